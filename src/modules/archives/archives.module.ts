import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ArchiveAidExclusionEntity } from './aid-exclusions/archive-aid-exclusion.entity';
import { AidExclusionsRepository } from './aid-exclusions/aid-exclusions.repository';
import { ArchiveIncomeItemEntity, ArchiveMemberEntity } from './archive-household.entities';
import { ArchiveEntity } from './archive.entity';
import { ArchiveChangeRequestEntity } from './change-requests/archive-change-request.entity';
import { ArchiveConsentEntity } from './consents/archive-consent.entity';
import { DibaoLineEntity } from './dibao-lines/dibao-line.entity';
import { ArchiveVersionEntity } from './versions/archive-version.entity';
import { ARCHIVE_WORKFLOW_ENTITIES } from './workflow/archive-workflow.entities';
import { OrgUnitsModule } from '../org-units/org-units.module';
import { UsersModule } from '../users/users.module';
import { ArchivesController } from './archives.controller';
import { ArchiveChangeRequestsController } from './change-requests/archive-change-requests.controller';
import { ArchiveChangeRequestsRepository } from './change-requests/archive-change-requests.repository';
import { ArchiveChangeRequestsService } from './change-requests/archive-change-requests.service';
import { ArchivesRepository } from './archives.repository';
import { ArchivesService } from './archives.service';
import { DibaoLinesController } from './dibao-lines/dibao-lines.controller';
import { DibaoLinesRepository } from './dibao-lines/dibao-lines.repository';
import { DibaoLinesService } from './dibao-lines/dibao-lines.service';
import { EvidenceModule } from './evidence/evidence.module';
import { AidExclusionsController } from './aid-exclusions/aid-exclusions.controller';
import { AidExclusionsService } from './aid-exclusions/aid-exclusions.service';
import {
  ARCHIVE_WORKFLOW_CONTROLLERS,
  ARCHIVE_WORKFLOW_PROVIDERS,
} from './workflow/archive-workflow.providers';

/**
 * Hardship archives: the record (ArchivesService), the 低保 line table, consents and versions, and the
 * identification workflow. Needs the global Clock, FieldCipher, AppConfig, AuditService and
 * AuthorizationService.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      ArchiveEntity,
      ArchiveMemberEntity,
      ArchiveIncomeItemEntity,
      DibaoLineEntity,
      ArchiveConsentEntity,
      ArchiveVersionEntity,
      ...ARCHIVE_WORKFLOW_ENTITIES,
      ArchiveChangeRequestEntity,
      ArchiveAidExclusionEntity,
    ]),
    OrgUnitsModule,
    UsersModule,
    EvidenceModule,
  ],
  controllers: [
    ArchivesController,
    DibaoLinesController,
    ArchiveChangeRequestsController,
    AidExclusionsController,
    ...ARCHIVE_WORKFLOW_CONTROLLERS,
  ],
  providers: [
    ArchivesRepository,
    ArchivesService,
    DibaoLinesRepository,
    DibaoLinesService,
    ArchiveChangeRequestsRepository,
    ArchiveChangeRequestsService,
    AidExclusionsRepository,
    AidExclusionsService,
    // Workflow (engineer B): service, repository, jobs, objection rate limit, and the ARCHIVE_RECORDS port
    // binding ArchivesService (validateForSubmission, snapshot, recordVersion) for it.
    ...ARCHIVE_WORKFLOW_PROVIDERS,
  ],
  exports: [ArchivesService, DibaoLinesService],
})
export class ArchivesModule {}
