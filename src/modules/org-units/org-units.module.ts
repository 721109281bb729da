import { Module } from '@nestjs/common';
import { OrgUnitsController } from './org-units.controller';
import { OrgUnitsRepository } from './org-units.repository';
import { OrgUnitsService } from './org-units.service';

/**
 * The union tree; other modules import it for OrgUnitsService (scope paths, ancestors, subtrees). Needs
 * the global DataSource, AuthorizationService (AuthorizationModule) and AuditService (AuditModule).
 */
@Module({
  controllers: [OrgUnitsController],
  providers: [OrgUnitsRepository, OrgUnitsService],
  exports: [OrgUnitsService],
})
export class OrgUnitsModule {}
