import { Module } from '@nestjs/common';
import { StorageModule } from '../../infra/storage';
import { AidLedgerModule } from '../aid-ledger/aid-ledger.module';
import { ArchivesModule } from '../archives/archives.module';
import { MatchingModule } from '../matching/matching.module';
import { NeedsModule } from '../needs/needs.module';
import { OffersModule } from '../offers/offers.module';
import { MatchEvidenceController } from './evidence/match-evidence.controller';
import { MatchEvidenceRepository } from './evidence/match-evidence.repository';
import { MatchEvidenceService } from './evidence/match-evidence.service';
import { MatchReadsService } from './match-reads.service';
import { MatchesController } from './matches.controller';
import { MatchesService } from './matches.service';
import { PlanApprovalController } from './plan-approval.controller';
import { NotificationsModule } from '../notifications/notifications.module';
import { MatchAfterCommit } from './ports/match-after-commit';
import { MatchNotifications } from './ports/match-notifications';
import { MatchSlaStepJob, MatchSlaSweepJob } from './match-sla.jobs';
import { MatchSlaRepository } from './match-sla.repository';
import { MatchSlaScheduler } from './match-sla.scheduler';
import { MatchSlaService } from './match-sla.service';
import { MatchAidLedger } from './ports/match-aid-ledger';
import { AID_LEDGER_SEAM, MATCH_NOTIFIER_SEAM } from './ports/match-seams.port';

/**
 * Matches (issue 13): the lifecycle to closure. Uses NeedsService (the need follows), OfferReadsService
 * and OfferCapacityService (capacity), SuggestionsService (the pair's hard filters), ArchivesService (the
 * disclosed contact); MatchesRepository comes from the global MatchHistoryModule, which also binds
 * MATCH_HISTORY for the matcher. MATCH_NOTIFIER_SEAM (MatchAfterCommit) writes the inbox rows of those
 * who must act and schedules the SLA jobs of the state entered (MatchSlaScheduler; the steps, the daily
 * sweep and the overdue view in MatchSlaService); AID_LEDGER_SEAM is MatchAidLedger over AidLedgerService
 * (rules at approval, the row at confirmation).
 */
@Module({
  imports: [
    NeedsModule,
    OffersModule,
    MatchingModule,
    ArchivesModule,
    NotificationsModule,
    AidLedgerModule,
    StorageModule,
  ],
  controllers: [MatchesController, PlanApprovalController, MatchEvidenceController],
  providers: [
    MatchesService,
    MatchReadsService,
    MatchNotifications,
    MatchSlaRepository,
    MatchSlaScheduler,
    MatchSlaService,
    MatchSlaStepJob,
    MatchSlaSweepJob,
    MatchEvidenceRepository,
    MatchEvidenceService,
    { provide: AID_LEDGER_SEAM, useClass: MatchAidLedger },
    { provide: MATCH_NOTIFIER_SEAM, useClass: MatchAfterCommit },
  ],
  exports: [MatchesService, MatchReadsService],
})
export class MatchesModule {}
