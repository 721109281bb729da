import { ARCHIVE_KINDS, ARCHIVE_STATUSES, type ArchiveKind, type ArchiveStatus } from '../archive.enums';
import {
  allowedStatusPairs,
  APPROVE_DECISIONS,
  findTransition,
  OBJECTION_DECISIONS,
  REVIEW_DECISIONS,
  targetStatus,
  transitionRefusalCode,
  VERIFY_DECISIONS,
  WORKFLOW_COMMANDS,
  type WorkflowCommand,
} from './archive-transitions.rule';

/**
 * The whole workflow table, written out by hand (not derived from ARCHIVE_TRANSITIONS): for every command,
 * every decision any command knows (and none), every kind and every status, the cell is either the status
 * the archive moves to or the error code the refusal answers with. A transition added, dropped or widened
 * in the rule (review/reject from `draft`, say) changes a cell and fails here.
 */

type Cell = ArchiveStatus | 'ARCHIVE_INVALID_TRANSITION' | 'ARCHIVE_NOT_TEMPORARY';
const STATE = 'ARCHIVE_INVALID_TRANSITION';
const KIND = 'ARCHIVE_NOT_TEMPORARY';

const IN_IDENTIFICATION: ArchiveStatus[] = [
  'draft',
  'returned',
  'submitted',
  'verifying',
  'approving',
  'publicizing',
];
/** Where `accept-transfer`/`reject-transfer` go back to in this table (the status before the transfer). */
const BEFORE_TRANSFER: ArchiveStatus = 'active';

/** From-status → target, for the statuses the command is allowed from; every other status is refused. */
type Row = Partial<Record<ArchiveStatus, ArchiveStatus | 'same'>>;
const only = (statuses: ArchiveStatus[], to: ArchiveStatus | 'same'): Row =>
  Object.fromEntries(statuses.map((s) => [s, to]));

/** `command` or `command:decision` → its row; kinds other than `kinds` get KIND where the row allows. */
const TABLE: Record<string, { row: Row; kinds?: ArchiveKind[] }> = {
  submit: { row: only(['draft', 'returned'], 'submitted') },
  'review:approve': { row: only(['submitted'], 'verifying') },
  'review:return': { row: only(['submitted'], 'returned') },
  'review:reject': { row: only(['submitted'], 'rejected') },
  'verify:pass': { row: only(['verifying'], 'approving') },
  'verify:return': { row: only(['verifying'], 'returned') },
  'approve:approve': { row: only(['approving'], 'publicizing') },
  'approve:return': { row: only(['approving'], 'returned') },
  'approve:reject': { row: only(['approving'], 'rejected') },
  'resolve-objection:uphold': { row: { ...only([...ARCHIVE_STATUSES], 'same'), publicizing: 'verifying' } },
  'resolve-objection:dismiss': { row: only([...ARCHIVE_STATUSES], 'same') },
  activate: { row: only(['publicizing'], 'active') },
  exit: { row: only(['active'], 'exited') },
  cancel: { row: only([...IN_IDENTIFICATION, 'active', 'exited'], 'cancelled') },
  transfer: { row: only(['active'], 'transferring') },
  'accept-transfer': { row: only(['transferring'], BEFORE_TRANSFER) },
  'reject-transfer': { row: only(['transferring'], BEFORE_TRANSFER) },
  reverify: { row: only(['active'], 'same') },
  reopen: { row: only(['exited'], 'returned') },
  convert: { row: { draft: 'same', returned: 'same', active: 'submitted' }, kinds: ['temporary'] },
  'expire-temporary': {
    row: only([...IN_IDENTIFICATION, 'active', 'transferring'], 'cancelled'),
    kinds: ['temporary'],
  },
  'expire-draft': { row: only(['draft'], 'cancelled') },
};

/**
 * In a 转正 round (an active temporary archive sent through the chain) a return or rejection sends the
 * archive back to `active` instead: `command:decision` → that status.
 */
const WHEN_CONVERTING: Record<string, ArchiveStatus> = {
  'review:return': 'active',
  'review:reject': 'active',
  'verify:return': 'active',
  'approve:return': 'active',
  'approve:reject': 'active',
};

const DECISIONS_OF: Partial<Record<WorkflowCommand, readonly string[]>> = {
  review: REVIEW_DECISIONS,
  verify: VERIFY_DECISIONS,
  approve: APPROVE_DECISIONS,
  'resolve-objection': OBJECTION_DECISIONS,
};
const EVERY_DECISION = [
  undefined,
  ...new Set([...REVIEW_DECISIONS, ...VERIFY_DECISIONS, ...APPROVE_DECISIONS, ...OBJECTION_DECISIONS]),
];

/** The expected cell: commands without decisions ignore one; with decisions, only their own match. */
function expected(
  command: WorkflowCommand,
  decision: string | undefined,
  kind: ArchiveKind,
  from: ArchiveStatus,
): Cell {
  const decisions = DECISIONS_OF[command];
  if (decisions && (decision === undefined || !decisions.includes(decision))) return STATE;
  const entry = TABLE[decisions ? `${command}:${decision}` : command];
  if (!entry) throw new Error(`the table has no row for ${command} ${decision ?? ''}`);
  const to = entry.row[from];
  if (to === undefined) return STATE;
  if (entry.kinds && !entry.kinds.includes(kind)) return KIND;
  return to === 'same' ? from : to;
}

function actual(
  command: WorkflowCommand,
  decision: string | undefined,
  kind: ArchiveKind,
  from: ArchiveStatus,
): Cell {
  const lookup = findTransition(from, kind, command, decision);
  if (!lookup.ok) return transitionRefusalCode(lookup.reason) as Cell;
  return targetStatus(lookup.transition, from, BEFORE_TRANSFER);
}

describe('archive transitions: the complete table (command × decision × kind × status)', () => {
  const rows = WORKFLOW_COMMANDS.flatMap((command) =>
    EVERY_DECISION.map((decision) => [command, decision] as const),
  );

  it.each(rows)('%s, decision %s: every kind and status', (command, decision) => {
    const cells = (cell: typeof expected) =>
      Object.fromEntries(
        ARCHIVE_KINDS.flatMap((kind) =>
          ARCHIVE_STATUSES.map((from) => [`${kind} ${from}`, cell(command, decision, kind, from)]),
        ),
      );
    expect(cells(actual)).toEqual(cells(expected));
  });

  it.each(rows)('%s, decision %s, in a 转正 round', (command, decision) => {
    for (const from of ARCHIVE_STATUSES) {
      const lookup = findTransition(from, 'temporary', command, decision);
      const plain = expected(command, decision, 'temporary', from);
      const converting = lookup.ok ? targetStatus(lookup.transition, from, BEFORE_TRANSFER, true) : plain;
      const key = `${command}:${decision}`;
      expect([from, converting]).toEqual([
        from,
        plain === STATE || plain === KIND ? plain : (WHEN_CONVERTING[key] ?? plain),
      ]);
    }
  });

  it('covers every command of the rule', () => {
    const named = new Set(Object.keys(TABLE).map((key) => key.split(':')[0]));
    expect([...named].sort()).toEqual([...WORKFLOW_COMMANDS].sort());
  });

  it('the status pairs the database allows are exactly the moves of the table', () => {
    const moves = new Set<string>();
    for (const [command, decision] of rows)
      for (const kind of ARCHIVE_KINDS)
        for (const from of ARCHIVE_STATUSES) {
          const to = expected(command, decision, kind, from);
          if (to !== STATE && to !== KIND && to !== from) moves.add(`${from}>${to}`);
          const converting = WHEN_CONVERTING[`${command}:${decision}`];
          if (to !== STATE && to !== KIND && converting && converting !== from)
            moves.add(`${from}>${converting}`);
        }
    expect(allowedStatusPairs().map(([from, to]) => `${from}>${to}`)).toEqual([...moves].sort());
    expect([...moves]).toEqual(
      expect.arrayContaining([
        'active>submitted',
        'submitted>active',
        'verifying>active',
        'approving>active',
      ]),
    );
  });
});
