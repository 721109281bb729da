import { Module } from '@nestjs/common';
import { AidLedgerModule } from '../aid-ledger/aid-ledger.module';
import { ArchivesModule } from '../archives/archives.module';
import { NeedsModule } from '../needs/needs.module';
import { OffersModule } from '../offers/offers.module';
import { MATCH_HISTORY, NoMatchesYetHistory } from './history/match-history.port';
import { SuggestionsController } from './suggestions.controller';
import { SuggestionsService } from './suggestions.service';

/**
 * Matching (issue 12): suggestions both ways. Uses NeedsService, OfferReadsService, DibaoLinesService
 * (the 低保 line for the income bound) and AidLedgerService (aid of the last 12 months, for fairness);
 * needs the global Clock, AuditService, AppConfig and SEARCH_ENGINE.
 * MATCH_HISTORY answers "no matches yet" until the match-lifecycle issue binds its own.
 */
@Module({
  imports: [NeedsModule, OffersModule, ArchivesModule, AidLedgerModule],
  controllers: [SuggestionsController],
  providers: [SuggestionsService, { provide: MATCH_HISTORY, useClass: NoMatchesYetHistory }],
  exports: [SuggestionsService],
})
export class MatchingModule {}
