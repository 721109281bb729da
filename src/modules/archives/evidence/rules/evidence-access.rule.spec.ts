import { ARCHIVE_STATUSES, type ArchiveStatus } from '../../archive.enums';
import { evidenceRefusal, EvidenceAccessInput } from './evidence-access.rule';

describe('evidenceRefusal', () => {
  const writable = (actorKind: 'staff' | 'worker', status: ArchiveStatus) =>
    evidenceRefusal({ actorKind, status, operation: 'upload' }) === null;

  it.each([
    // actor, status, operation, uploaded it, expected
    ['worker', 'draft', 'upload', undefined, null],
    ['worker', 'returned', 'upload', undefined, null],
    ['worker', 'submitted', 'upload', undefined, 'status'],
    ['worker', 'active', 'upload', undefined, 'status'],
    ['worker', 'draft', 'delete', true, null],
    ['worker', 'returned', 'delete', true, null],
    ['worker', 'draft', 'delete', false, 'not_uploader'],
    ['worker', 'verifying', 'delete', true, 'status'],
    ['worker', 'cancelled', 'list', undefined, null],
    ['worker', 'active', 'download', undefined, null],
    ['staff', 'draft', 'upload', undefined, null],
    ['staff', 'verifying', 'upload', undefined, null],
    ['staff', 'active', 'upload', undefined, null],
    ['staff', 'transferring', 'upload', undefined, null],
    ['staff', 'rejected', 'upload', undefined, 'status'],
    ['staff', 'exited', 'upload', undefined, 'status'],
    ['staff', 'cancelled', 'upload', undefined, 'status'],
    ['staff', 'approving', 'delete', false, null],
    ['staff', 'cancelled', 'delete', true, 'status'],
    ['staff', 'cancelled', 'list', undefined, null],
    ['staff', 'rejected', 'download', undefined, null],
  ] as const)(
    '%s on a %s archive, %s (uploaded it: %s) → %s',
    (actorKind, status, operation, uploaded, expected) => {
      const input: EvidenceAccessInput = { actorKind, status, operation, actorUploadedIt: uploaded };
      expect(evidenceRefusal(input)).toBe(expected);
    },
  );

  it('lets a worker write in exactly draft and returned', () => {
    expect(ARCHIVE_STATUSES.filter((s) => writable('worker', s))).toEqual(['draft', 'returned']);
  });

  it('freezes exactly the closed archives for staff', () => {
    expect(ARCHIVE_STATUSES.filter((s) => !writable('staff', s))).toEqual([
      'rejected',
      'exited',
      'cancelled',
    ]);
  });
});
