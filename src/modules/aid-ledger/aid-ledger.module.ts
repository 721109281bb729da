import { Module } from '@nestjs/common';
import { ArchivesModule } from '../archives/archives.module';
import { OrgUnitsModule } from '../org-units/org-units.module';
import { AidLedgerController } from './aid-ledger.controller';
import { AidLedgerRepository } from './aid-ledger.repository';
import { AidLedgerService } from './aid-ledger.service';

/**
 * The aid ledger (帮扶台账, issue 13 §6). Matches import it for AidLedgerService (checkAtApproval,
 * record, reverse); matching for valueLast12Months (fairness). Needs the global DataSource, Clock,
 * AppConfig and AuditService.
 */
@Module({
  imports: [ArchivesModule, OrgUnitsModule],
  controllers: [AidLedgerController],
  providers: [AidLedgerRepository, AidLedgerService],
  exports: [AidLedgerService],
})
export class AidLedgerModule {}
