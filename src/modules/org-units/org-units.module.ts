import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrgUnitEntity } from './org-unit.entity';
import { OrgUnitsController } from './org-units.controller';
import { OrgUnitsRepository } from './org-units.repository';
import { OrgUnitsService } from './org-units.service';

/**
 * The union tree; other modules import it for OrgUnitsService (scope paths, ancestors, subtrees). Needs
 * AuthorizationService (AuthorizationModule) and AuditService (AuditModule).
 */
@Module({
  imports: [TypeOrmModule.forFeature([OrgUnitEntity])],
  controllers: [OrgUnitsController],
  providers: [OrgUnitsRepository, OrgUnitsService],
  exports: [OrgUnitsService],
})
export class OrgUnitsModule {}
