import type { ArchiveStatus } from '../../archive.enums';

export type EvidenceOperation = 'list' | 'download' | 'upload' | 'delete';

/** Why a caller who passed the role and ownership/scope checks is still refused. */
export type EvidenceRefusal = 'status' | 'not_uploader';

/**
 * A worker adds or removes material only while the archive is in its hands (draft, or returned for
 * correction); after submission the file is the reviewers' record.
 */
const WORKER_WRITABLE: readonly ArchiveStatus[] = ['draft', 'returned'];

/**
 * Staff may add material at every stage where the archive is still worked on (home-visit photos during
 * verification, a renewed disability certificate of an active household). Closed archives are frozen.
 */
const STAFF_FROZEN: readonly ArchiveStatus[] = ['rejected', 'exited', 'cancelled'];

export interface EvidenceAccessInput {
  /** Partners hold no evidence permission (PERMISSIONS), so never get here. */
  actorKind: 'staff' | 'worker';
  status: ArchiveStatus;
  operation: EvidenceOperation;
  /** For `delete`: whether the caller uploaded the file. */
  actorUploadedIt?: boolean;
}

/**
 * The state-dependent part of evidence access, after AuthGuard (role) and AuthorizationService (worker
 * owns the archive / staff in scope): null when allowed, else the refusal. Reading is never limited by
 * state; a worker deletes only what it uploaded itself, not what a caseworker added.
 */
export function evidenceRefusal(input: EvidenceAccessInput): EvidenceRefusal | null {
  const { actorKind, status, operation } = input;
  if (operation === 'list' || operation === 'download') return null;
  if (actorKind === 'worker') {
    if (!WORKER_WRITABLE.includes(status)) return 'status';
    if (operation === 'delete' && !input.actorUploadedIt) return 'not_uploader';
    return null;
  }
  return STAFF_FROZEN.includes(status) ? 'status' : null;
}
