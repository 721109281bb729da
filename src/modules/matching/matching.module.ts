import { Module } from '@nestjs/common';
import { AidLedgerModule } from '../aid-ledger/aid-ledger.module';
import { ArchivesModule } from '../archives/archives.module';
import { NeedsModule } from '../needs/needs.module';
import { OffersModule } from '../offers/offers.module';
import { OrgUnitsModule } from '../org-units/org-units.module';
import { AllocationRunner } from './allocations/allocation-runner';
import { AllocationsController } from './allocations/allocations.controller';
import { AllocationsRepository } from './allocations/allocations.repository';
import { AllocationsService } from './allocations/allocations.service';
import { PairHistoryService } from './history/pair-history.service';
import { SuggestionsController } from './suggestions.controller';
import { SuggestionsService } from './suggestions.service';

/**
 * Matching (issue 12): suggestions both ways, and batch allocation (a job: AllocationRunner). Uses
 * NeedsService, OfferReadsService, DibaoLinesService (the 低保 line for the income bound), AidLedgerService
 * (aid of the last 12 months, for fairness) and OrgUnitsService (an allocation's scope); needs the global
 * Clock, AuditService, AppConfig, JobQueue and SEARCH_ENGINE.
 * MATCH_HISTORY is bound by the matches module (MatchHistoryModule, global: matches sits above matching).
 */
@Module({
  imports: [NeedsModule, OffersModule, ArchivesModule, AidLedgerModule, OrgUnitsModule],
  controllers: [SuggestionsController, AllocationsController],
  providers: [
    SuggestionsService,
    AllocationsRepository,
    AllocationsService,
    AllocationRunner,
    PairHistoryService,
  ],
  exports: [SuggestionsService, AllocationsService],
})
export class MatchingModule {}
