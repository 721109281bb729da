import { Module } from '@nestjs/common';
import { ArchivesModule } from '../archives/archives.module';
import { NeedsModule } from '../needs/needs.module';
import { OffersModule } from '../offers/offers.module';
import { SuggestionsController } from './suggestions.controller';
import { SuggestionsService } from './suggestions.service';

/**
 * Matching (issue 12): suggestions both ways. Uses NeedsService, OfferReadsService and DibaoLinesService
 * (the 低保 line for the income bound); needs the global Clock, AuditService, AppConfig and SEARCH_ENGINE.
 * MATCH_HISTORY is bound by the matches module (MatchHistoryModule, global: matches sits above matching).
 */
@Module({
  imports: [NeedsModule, OffersModule, ArchivesModule],
  controllers: [SuggestionsController],
  providers: [SuggestionsService],
  exports: [SuggestionsService],
})
export class MatchingModule {}
