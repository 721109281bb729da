import { Module } from '@nestjs/common';
import { ArchivesModule } from '../archives/archives.module';
import { MatchingModule } from '../matching/matching.module';
import { NeedsModule } from '../needs/needs.module';
import { OffersModule } from '../offers/offers.module';
import { MatchReadsService } from './match-reads.service';
import { MatchesController } from './matches.controller';
import { MatchesService } from './matches.service';
import {
  AID_LEDGER_SEAM,
  MATCH_NOTIFIER_SEAM,
  NoAidLedgerYet,
  NoMatchNotificationsYet,
} from './ports/match-seams.port';

/**
 * Matches (issue 13): the lifecycle to closure. Uses NeedsService (the need follows), OfferReadsService
 * and OfferCapacityService (capacity), SuggestionsService (the pair's hard filters), ArchivesService (the
 * disclosed contact); MatchesRepository comes from the global MatchHistoryModule, which also binds
 * MATCH_HISTORY for the matcher. AID_LEDGER_SEAM and MATCH_NOTIFIER_SEAM are no-ops until the aid ledger
 * and the notifications bind theirs.
 */
@Module({
  imports: [NeedsModule, OffersModule, MatchingModule, ArchivesModule],
  controllers: [MatchesController],
  providers: [
    MatchesService,
    MatchReadsService,
    { provide: AID_LEDGER_SEAM, useClass: NoAidLedgerYet },
    { provide: MATCH_NOTIFIER_SEAM, useClass: NoMatchNotificationsYet },
  ],
  exports: [MatchesService, MatchReadsService],
})
export class MatchesModule {}
