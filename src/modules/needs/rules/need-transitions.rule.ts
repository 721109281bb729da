import { walkActors } from '../../../common/rules/actor-walk';
import type { StaffRole } from '../../auth/principal';
import type { NeedState } from '../needs.enums';

/**
 * The need state machine as one table: which command (and decision) moves a need from which state to
 * which, and who may give it. Pure: the service supplies the facts about the caller and applies the answer.
 *
 *   submitted ─auto-screen:pass→ screening ─screen:approve→ open ─match→ matched ─fulfil→ fulfilled ─close→ closed
 *   submitted ─auto-screen:fail→ rejected;   screening ─screen:reject→ rejected
 *   submitted | screening | open ─withdraw→ withdrawn (the worker, or a caseworker on its behalf)
 *   open ─expire→ expired (daily job);       matched ─release→ open (the match left the active path)
 *
 * A need is created in `submitted` (history row from nothing) and screened automatically in the same
 * transaction. `match`, `release`, `fulfil` and `close` belong to the match lifecycle (a later issue);
 * they are in the table so the database already allows exactly these moves.
 */

export const NEED_COMMANDS = [
  'auto-screen',
  'screen',
  'withdraw',
  'expire',
  'match',
  'release',
  'fulfil',
  'close',
] as const;
export type NeedCommand = (typeof NEED_COMMANDS)[number];

export const AUTO_SCREEN_DECISIONS = ['pass', 'fail'] as const;
export const SCREEN_DECISIONS = ['approve', 'reject'] as const;
export type ScreenDecision = (typeof SCREEN_DECISIONS)[number];

export type NeedActor =
  { kind: 'owner' } | { kind: 'staff'; roles: readonly StaffRole[] } | { kind: 'system' };

export interface NeedTransition {
  command: NeedCommand;
  /** For commands with a decision; the transition applies to that decision only. */
  decision?: string;
  from: readonly NeedState[];
  to: NeedState;
  /** Staff act only on needs of archives in their subtree (the archive's unit or above). */
  actors: readonly NeedActor[];
}

const owner: NeedActor = { kind: 'owner' };
const system: NeedActor = { kind: 'system' };
const staff = (...roles: StaffRole[]): NeedActor => ({ kind: 'staff', roles });

export const NEED_TRANSITIONS: readonly NeedTransition[] = [
  { command: 'auto-screen', decision: 'pass', from: ['submitted'], to: 'screening', actors: [system] },
  { command: 'auto-screen', decision: 'fail', from: ['submitted'], to: 'rejected', actors: [system] },
  { command: 'screen', decision: 'approve', from: ['screening'], to: 'open', actors: [staff('reviewer')] },
  { command: 'screen', decision: 'reject', from: ['screening'], to: 'rejected', actors: [staff('reviewer')] },
  {
    command: 'withdraw',
    from: ['submitted', 'screening', 'open'],
    to: 'withdrawn',
    actors: [owner, staff('caseworker')],
  },
  { command: 'expire', from: ['open'], to: 'expired', actors: [system] },
  { command: 'match', from: ['open'], to: 'matched', actors: [system] },
  { command: 'release', from: ['matched'], to: 'open', actors: [system] },
  { command: 'fulfil', from: ['matched'], to: 'fulfilled', actors: [system] },
  { command: 'close', from: ['fulfilled'], to: 'closed', actors: [system] },
];

/** The transition `command` (with `decision`) makes from `state`, or null when the table has none. */
export function findNeedTransition(
  state: NeedState,
  command: NeedCommand,
  decision?: string,
): NeedTransition | null {
  return (
    NEED_TRANSITIONS.find(
      (t) =>
        t.command === command &&
        (t.decision === undefined || t.decision === decision) &&
        t.from.includes(state),
    ) ?? null
  );
}

/**
 * Every state change the table allows as `[from, to]` pairs, sorted. The database holds the same pairs
 * (need_state_transitions): a trigger refuses any other change of `needs.state` and need_history's
 * (from, to) references the table; a medium test keeps the two equal.
 */
export function allowedNeedStatePairs(): Array<[NeedState, NeedState]> {
  const pairs = new Map<string, [NeedState, NeedState]>();
  for (const t of NEED_TRANSITIONS) for (const from of t.from) pairs.set(`${from}>${t.to}`, [from, t.to]);
  return [...pairs.values()].sort(([a, b], [c, d]) => a.localeCompare(c) || b.localeCompare(d));
}

/** What the service knows about the caller relative to one need. */
export interface NeedActorFacts {
  kind: 'staff' | 'worker' | 'partner' | 'system';
  roles: readonly StaffRole[];
  /** The caller is the worker who owns the need's archive. */
  isOwner: boolean;
  /** The need's archive's unit lies in the caller's subtree. */
  inScope: boolean;
}

/**
 * Whether the caller may perform `transition`: `role` when no actor entry fits its kind and roles,
 * `scope` when one fits but the need is not the caller's (another worker's, or out of the staff's subtree).
 */
export function needActorMay(
  transition: NeedTransition,
  facts: NeedActorFacts,
): { ok: true } | { ok: false; reason: 'role' | 'scope' } {
  return walkActors(transition.actors, (actor): true | 'scope' | null => {
    if (actor.kind === 'system') return facts.kind === 'system' ? true : null;
    if (actor.kind === 'owner') return facts.kind !== 'worker' ? null : facts.isOwner || 'scope';
    if (facts.kind !== 'staff' || !actor.roles.some((r) => facts.roles.includes(r))) return null;
    return facts.inScope || 'scope';
  });
}

/** The commands people could give in `state` (the system's own steps left out), for clients' buttons. */
export function availableNeedCommands(state: NeedState): NeedCommand[] {
  const commands = new Set<NeedCommand>();
  for (const t of NEED_TRANSITIONS)
    if (t.from.includes(state) && t.actors.some((a) => a.kind !== 'system')) commands.add(t.command);
  return [...commands];
}
