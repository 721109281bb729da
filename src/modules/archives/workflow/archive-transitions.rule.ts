import { walkActors } from '../../../common/rules/actor-walk';
import type { StaffRole } from '../../auth/principal';
import { ARCHIVE_STATUSES, type ArchiveKind, type ArchiveStatus } from '../archive.enums';
import { ArchiveWorkflowErrorCode } from './archive-workflow.errors';

/**
 * The identification workflow and dynamic management as one table: which command (and decision) may
 * move an archive from which state to which, and who may give it. Pure: the service supplies the facts
 * (the caller's kind, roles and where its unit stands relative to the archive) and applies the answer.
 */

export const WORKFLOW_COMMANDS = [
  'submit',
  'review',
  'verify',
  'approve',
  'resolve-objection',
  'activate',
  'exit',
  'cancel',
  'transfer',
  'accept-transfer',
  'reject-transfer',
  'convert',
  'reverify',
  'reopen',
  'expire-temporary',
  'expire-draft',
] as const;
export type WorkflowCommand = (typeof WORKFLOW_COMMANDS)[number];

export const REVIEW_DECISIONS = ['approve', 'return', 'reject'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];
export const VERIFY_DECISIONS = ['pass', 'return'] as const;
export type VerifyDecision = (typeof VERIFY_DECISIONS)[number];
export const APPROVE_DECISIONS = ['approve', 'return', 'reject'] as const;
export type ApproveDecision = (typeof APPROVE_DECISIONS)[number];
/** `dismiss` leaves the archive where it is; only `uphold` is a transition. */
export const OBJECTION_DECISIONS = ['uphold', 'dismiss'] as const;
export type ObjectionDecision = (typeof OBJECTION_DECISIONS)[number];

/**
 * Where the caller's unit must stand:
 * - `own`: the archive's own (grassroots) unit — 基层审查;
 * - `parent`: the unit directly above the archive's unit — 复核 by the level above;
 * - `scope`: the archive's unit or any unit above it (the caller's subtree holds the archive);
 * - `receiving`: the caller's subtree holds the unit a transfer goes to.
 */
export type UnitRelation = 'own' | 'parent' | 'scope' | 'receiving';

export type TransitionActor =
  { kind: 'owner' } | { kind: 'staff'; roles: readonly StaffRole[]; unit: UnitRelation } | { kind: 'system' };

/** `restore`: back to the status the archive had before its transfer started. */
export type TransitionTarget = ArchiveStatus | 'same' | 'restore';

export interface Transition {
  command: WorkflowCommand;
  /** For commands with a decision; the transition applies to that decision only. */
  decision?: string;
  from: readonly ArchiveStatus[];
  to: TransitionTarget;
  actors: readonly TransitionActor[];
  /** Only archives of these kinds (convert: temporary ones). */
  kinds?: readonly ArchiveKind[];
  /**
   * Where a refusal sends an archive that is in a conversion round (转正: an active temporary archive sent
   * through the chain): back to `active`, still temporary, instead of `to`.
   */
  whenConverting?: ArchiveStatus;
}

/** Everything before activation in which the household may still be withdrawn or corrected. */
const IN_IDENTIFICATION: readonly ArchiveStatus[] = [
  'draft',
  'returned',
  'submitted',
  'verifying',
  'approving',
  'publicizing',
];

const owner: TransitionActor = { kind: 'owner' };
const system: TransitionActor = { kind: 'system' };
const staff = (unit: UnitRelation, ...roles: StaffRole[]): TransitionActor => ({
  kind: 'staff',
  roles,
  unit,
});

export const ARCHIVE_TRANSITIONS: readonly Transition[] = [
  // 申请/提交: the worker itself, or a caseworker entering it for the worker.
  {
    command: 'submit',
    from: ['draft', 'returned'],
    to: 'submitted',
    actors: [owner, staff('scope', 'caseworker')],
  },
  // 基层审查 by the archive's own union.
  {
    command: 'review',
    decision: 'approve',
    from: ['submitted'],
    to: 'verifying',
    actors: [staff('own', 'reviewer')],
  },
  {
    command: 'review',
    decision: 'return',
    from: ['submitted'],
    to: 'returned',
    whenConverting: 'active',
    actors: [staff('own', 'reviewer')],
  },
  {
    command: 'review',
    decision: 'reject',
    from: ['submitted'],
    to: 'rejected',
    whenConverting: 'active',
    actors: [staff('own', 'reviewer')],
  },
  // 复核 / 入户核实 by the unit above.
  {
    command: 'verify',
    decision: 'pass',
    from: ['verifying'],
    to: 'approving',
    actors: [staff('parent', 'reviewer')],
  },
  {
    command: 'verify',
    decision: 'return',
    from: ['verifying'],
    to: 'returned',
    whenConverting: 'active',
    actors: [staff('parent', 'reviewer')],
  },
  // 审定.
  {
    command: 'approve',
    decision: 'approve',
    from: ['approving'],
    to: 'publicizing',
    actors: [staff('scope', 'approver')],
  },
  {
    command: 'approve',
    decision: 'return',
    from: ['approving'],
    to: 'returned',
    whenConverting: 'active',
    actors: [staff('scope', 'approver')],
  },
  {
    command: 'approve',
    decision: 'reject',
    from: ['approving'],
    to: 'rejected',
    whenConverting: 'active',
    actors: [staff('scope', 'approver')],
  },
  // 异议: upholding one during the notice sends the archive back to re-verification; an objection still
  // open once the archive has left the notice (another was upheld first) is resolved without a transition;
  // dismissing never moves the archive.
  {
    command: 'resolve-objection',
    decision: 'uphold',
    from: ['publicizing'],
    to: 'verifying',
    actors: [staff('scope', 'reviewer', 'approver')],
  },
  {
    command: 'resolve-objection',
    decision: 'uphold',
    from: ARCHIVE_STATUSES.filter((s) => s !== 'publicizing'),
    to: 'same',
    actors: [staff('scope', 'reviewer', 'approver')],
  },
  {
    command: 'resolve-objection',
    decision: 'dismiss',
    from: ARCHIVE_STATUSES,
    to: 'same',
    actors: [staff('scope', 'reviewer', 'approver')],
  },
  // A draft untouched for the configured days is cancelled (daily job); it reserved no one.
  { command: 'expire-draft', from: ['draft'], to: 'cancelled', actors: [system] },
  // 公示期满无异议 → 在档 (daily job).
  { command: 'activate', from: ['publicizing'], to: 'active', actors: [system] },
  // 动态管理.
  { command: 'exit', from: ['active'], to: 'exited', actors: [staff('scope', 'caseworker', 'reviewer')] },
  {
    command: 'cancel',
    from: [...IN_IDENTIFICATION, 'active', 'exited'],
    to: 'cancelled',
    actors: [staff('scope', 'reviewer', 'archivist')],
  },
  // 复核 of an active archive (动态管理): a home visit or document check recorded by a reviewer in scope
  // renews its verification; the status stays.
  {
    command: 'reverify',
    from: ['active'],
    to: 'same',
    actors: [staff('scope', 'reviewer')],
  },
  // 返困: an exited household falls back into hardship. The archive reopens as `returned` (its caseworker
  // brings the record up to date) and goes through the whole chain again: review, verification, approval,
  // public notice. Number and history are kept.
  {
    command: 'reopen',
    from: ['exited'],
    to: 'returned',
    actors: [staff('scope', 'caseworker')],
  },
  // Not from `exited`: an exited archive is closed for the one-archive-per-household rule, so its
  // people may already be in a new archive; a transfer would silently re-open it beside that one.
  {
    command: 'transfer',
    from: ['active'],
    to: 'transferring',
    actors: [staff('scope', 'archivist')],
  },
  {
    command: 'accept-transfer',
    from: ['transferring'],
    to: 'restore',
    actors: [staff('receiving', 'archivist')],
  },
  {
    command: 'reject-transfer',
    from: ['transferring'],
    to: 'restore',
    actors: [staff('receiving', 'archivist')],
  },
  // 转正: never one person's decision. Before the chain (draft, returned) the kind simply changes, and the
  // chain follows; an active temporary archive is submitted again (rules re-run) and goes through review,
  // verification, approval and notice, becoming formal at activation. Not in the middle of a chain.
  {
    command: 'convert',
    from: ['draft', 'returned'],
    to: 'same',
    kinds: ['temporary'],
    actors: [staff('scope', 'caseworker')],
  },
  {
    command: 'convert',
    from: ['active'],
    to: 'submitted',
    kinds: ['temporary'],
    actors: [staff('scope', 'caseworker')],
  },
  // 临时救助档案满期自动注销 (daily job).
  {
    command: 'expire-temporary',
    from: [...IN_IDENTIFICATION, 'active', 'transferring'],
    to: 'cancelled',
    kinds: ['temporary'],
    actors: [system],
  },
];

export type TransitionLookup = { ok: true; transition: Transition } | { ok: false; reason: 'state' | 'kind' };

/** The transition `command` (with `decision`) makes from `status`, or why there is none. */
export function findTransition(
  status: ArchiveStatus,
  kind: ArchiveKind,
  command: WorkflowCommand,
  decision?: string,
): TransitionLookup {
  const candidates = ARCHIVE_TRANSITIONS.filter(
    (t) => t.command === command && (t.decision === undefined || t.decision === decision),
  );
  const fromHere = candidates.find((t) => t.from.includes(status));
  if (!fromHere) return { ok: false, reason: 'state' };
  if (fromHere.kinds && !fromHere.kinds.includes(kind)) return { ok: false, reason: 'kind' };
  return { ok: true, transition: fromHere };
}

/** The error a refused lookup answers with: `kind` only for kind-bound commands (convert, expiry). */
export function transitionRefusalCode(reason: 'state' | 'kind'): string {
  return reason === 'kind'
    ? ArchiveWorkflowErrorCode.ARCHIVE_NOT_TEMPORARY
    : ArchiveWorkflowErrorCode.ARCHIVE_INVALID_TRANSITION;
}

/**
 * Every status change the table allows, as `[from, to]` pairs (`same` makes none; `restore` goes back to
 * a status a transfer starts from). The database holds the same pairs (archive_status_transitions) and a
 * trigger refuses any other change of `archives.status`, so a write that bypasses this service cannot
 * leave an illegal state; a medium test keeps the two equal. A new transition needs a migration adding its
 * pair.
 */
export function allowedStatusPairs(): Array<[ArchiveStatus, ArchiveStatus]> {
  const transferStarts = ARCHIVE_TRANSITIONS.filter((t) => t.command === 'transfer').flatMap((t) => t.from);
  const pairs = new Map<string, [ArchiveStatus, ArchiveStatus]>();
  for (const transition of ARCHIVE_TRANSITIONS) {
    const targets = [
      ...(transition.to === 'same' ? [] : transition.to === 'restore' ? transferStarts : [transition.to]),
      ...(transition.whenConverting ? [transition.whenConverting] : []),
    ];
    for (const from of transition.from)
      for (const to of targets) if (to !== from) pairs.set(`${from}>${to}`, [from, to]);
  }
  return [...pairs.values()].sort(([a, b], [c, d]) => a.localeCompare(c) || b.localeCompare(d));
}

/**
 * The commands people could give now (for clients to show the right buttons; the daily jobs' own steps
 * are left out); decisions collapsed. Whether this caller may is still up to `actorMay`.
 */
export function availableCommands(status: ArchiveStatus, kind: ArchiveKind): WorkflowCommand[] {
  const commands = new Set<WorkflowCommand>();
  for (const t of ARCHIVE_TRANSITIONS) {
    if (t.actors.every((a) => a.kind === 'system')) continue;
    if (t.from.includes(status) && (!t.kinds || t.kinds.includes(kind))) commands.add(t.command);
  }
  return [...commands];
}

/**
 * The status after `transition`; `statusBeforeTransfer` answers `restore`; `converting` (the archive is in
 * a 转正 round) takes `whenConverting` where the transition has one.
 */
export function targetStatus(
  transition: Transition,
  current: ArchiveStatus,
  statusBeforeTransfer: ArchiveStatus | null,
  converting = false,
): ArchiveStatus {
  if (converting && transition.whenConverting) return transition.whenConverting;
  if (transition.to === 'same') return current;
  if (transition.to === 'restore') return statusBeforeTransfer ?? 'active';
  return transition.to;
}

/** What the service knows about the caller relative to one archive. */
export interface ActorFacts {
  kind: 'staff' | 'worker' | 'partner' | 'system';
  roles: readonly StaffRole[];
  /** The caller is the worker who owns the archive. */
  isOwner: boolean;
  /** The caller's unit is the archive's unit. */
  isOwnUnit: boolean;
  /** The caller's unit is the parent of the archive's unit. */
  isParentUnit: boolean;
  /** The archive's unit lies in the caller's subtree. */
  inScope: boolean;
  /** The transfer's receiving unit lies in the caller's subtree. */
  receivingInScope: boolean;
}

/**
 * Whether the caller may perform `transition`. `role`: no actor entry fits the caller's kind and roles
 * (403 access denied); `unit`: a role fits but not from this unit (403, wrong level or out of scope).
 */
export function actorMay(
  transition: Transition,
  facts: ActorFacts,
): { ok: true } | { ok: false; reason: 'role' | 'unit' } {
  return walkActors(transition.actors, (actor): true | 'unit' | null => {
    if (actor.kind === 'system') return facts.kind === 'system' ? true : null;
    if (actor.kind === 'owner') return facts.kind !== 'worker' ? null : facts.isOwner || 'unit';
    if (facts.kind !== 'staff' || !actor.roles.some((role) => facts.roles.includes(role))) return null;
    return unitFits(actor.unit, facts) || 'unit';
  });
}

function unitFits(relation: UnitRelation, facts: ActorFacts): boolean {
  switch (relation) {
    case 'own':
      return facts.isOwnUnit;
    case 'parent':
      return facts.isParentUnit;
    case 'scope':
      return facts.inScope;
    case 'receiving':
      return facts.receivingInScope;
  }
}
