import type { EntityManager } from 'typeorm';
import type { RuleViolation } from '../rules/rule-violation';

/** A snapshot of an archive taken before a transition (opaque to the workflow). */
export type ArchiveRecordSnapshot = { readonly archiveId: string };

/**
 * What the workflow needs from the archive data side, on the archive as locked in `manager`'s
 * transaction. ArchivesModule binds it to ArchivesService (see archive-workflow.providers.ts).
 */
export interface ArchiveRecordsPort {
  /** Every submission rule (五清, figures against the 低保 line, identity, household duplicates, consents). */
  validateForSubmission(manager: EntityManager, archiveId: string, now: Date): Promise<RuleViolation[]>;
  /** The archive's fields before a change, for its version diff. */
  snapshot(manager: EntityManager, archiveId: string): Promise<ArchiveRecordSnapshot>;
  /** Writes the version row (field-level diff against `before`) for the archive as it now is. */
  recordVersion(
    manager: EntityManager,
    before: ArchiveRecordSnapshot,
    actorUserId: string | null,
    action: string,
  ): Promise<void>;
}

export const ARCHIVE_RECORDS = Symbol('ARCHIVE_RECORDS');
