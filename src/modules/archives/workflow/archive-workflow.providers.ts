import type { Provider, Type } from '@nestjs/common';
import { ArchiveWorkflowController } from '../archive-workflow.controller';
import { ArchiveWorkflowService } from '../archive-workflow.service';
import { ArchivesService, type ArchiveSnapshot } from '../archives.service';
import { ARCHIVE_RECORDS, type ArchiveRecordsPort, type ArchiveRecordSnapshot } from './archive-records.port';
import { ArchiveWorkflowJobs } from './archive-workflow.jobs';
import { ArchiveWorkflowRepository } from './archive-workflow.repository';
import { ObjectionRateLimit } from './objection-rate-limit';
import { PublicNoticesController } from './public-notices.controller';

/** ArchivesService as the workflow sees it. */
export function archiveRecordsPort(archives: ArchivesService): ArchiveRecordsPort {
  return {
    async validateForSubmission(manager, archiveId, now) {
      return archives.validateForSubmission(manager, await archives.loadForUpdate(manager, archiveId), now);
    },
    async snapshot(manager, archiveId) {
      return archives.snapshot(await archives.loadForUpdate(manager, archiveId));
    },
    async recordVersion(manager, before: ArchiveRecordSnapshot, actorUserId, action) {
      const after = await archives.loadForUpdate(manager, before.archiveId);
      await archives.recordVersion(
        manager,
        before as ArchiveSnapshot,
        after,
        actorUserId ? { userId: actorUserId } : null,
        action,
      );
    },
  };
}

/** The workflow's part of ArchivesModule (spread into its providers and controllers). */
export const ARCHIVE_WORKFLOW_PROVIDERS: Provider[] = [
  ArchiveWorkflowRepository,
  ArchiveWorkflowService,
  ArchiveWorkflowJobs,
  ObjectionRateLimit,
  { provide: ARCHIVE_RECORDS, inject: [ArchivesService], useFactory: archiveRecordsPort },
];

export const ARCHIVE_WORKFLOW_CONTROLLERS: Type[] = [ArchiveWorkflowController, PublicNoticesController];
