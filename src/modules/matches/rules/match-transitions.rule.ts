import { walkActors } from '../../../common/rules/actor-walk';
import type { StaffRole } from '../../auth/principal';
import type { NeedCommand } from '../../needs/rules/need-transitions.rule';
import { RESERVING_MATCH_STATES, type MatchState } from '../matches.enums';

/**
 * The match state machine as one table (issue 13 §1): which command moves a match from which state to
 * which, who may give it, and what follows for the need and the offer's capacity. Pure: the service
 * supplies the facts about the caller and applies the answer.
 *
 *   (none) ─propose→ proposed ─approve→ approved ─accept→ accepted ─start→ in_progress ─deliver→ delivered
 *     ─confirm→ confirmed ─follow-up→ followed_up ─close→ closed
 *   proposed | approved ─reject→ rejected            approved | accepted ─decline→ declined
 *   proposed … in_progress ─cancel→ cancelled         proposed … in_progress ─expire→ expired (SLA job)
 *   accepted ─deliver→ delivered (one-off aid needs no separate start)
 *
 * Who: staff act on matches whose need lies in their subtree. Approve and reject: a reviewer (or an
 * approver) who did not propose it; cash above the configured amount needs an approver. Accept, start,
 * deliver: the offer's partner, or staff for a union programme (the offer of a union's own partner,
 * which has no accounts of its own to act). Decline: the partner, the worker, or staff for a union
 * programme. Confirm receipt (本人领取): the worker, or a caseworker on its behalf (the service records the
 * reason). Follow up: a caseworker. Close: a caseworker or a reviewer. Cancel: staff before delivery.
 */

export const MATCH_COMMANDS = [
  'propose',
  'approve',
  'reject',
  'accept',
  'decline',
  'start',
  'deliver',
  'confirm',
  'follow-up',
  'close',
  'cancel',
  'expire',
] as const;
export type MatchCommand = (typeof MATCH_COMMANDS)[number];

export type MatchActor =
  | { kind: 'system' }
  /** The worker whose household the need is for. */
  | { kind: 'owner' }
  /** An account of the offer's partner organisation. */
  | { kind: 'partner' }
  | {
      kind: 'staff';
      roles: readonly StaffRole[];
      /** Only for a union programme's offer (staff act for the union partner). */
      unionProgrammeOnly?: true;
      /** Never the staff member who proposed the match. */
      notProposer?: true;
    };

export interface MatchTransition {
  command: MatchCommand;
  /** Empty for `propose`: it creates the match. */
  from: readonly MatchState[];
  to: MatchState;
  actors: readonly MatchActor[];
}

const system: MatchActor = { kind: 'system' };
const owner: MatchActor = { kind: 'owner' };
const partner: MatchActor = { kind: 'partner' };
const staff = (
  roles: StaffRole[],
  only: Omit<Extract<MatchActor, { kind: 'staff' }>, 'kind' | 'roles'> = {},
): MatchActor => ({
  kind: 'staff',
  roles,
  ...only,
});
const ALL_CASE_STAFF: StaffRole[] = ['caseworker', 'reviewer', 'approver'];
const forUnionProgramme = staff(ALL_CASE_STAFF, { unionProgrammeOnly: true });
const BEFORE_DELIVERY: MatchState[] = ['proposed', 'approved', 'accepted', 'in_progress'];

export const MATCH_TRANSITIONS: readonly MatchTransition[] = [
  { command: 'propose', from: [], to: 'proposed', actors: [staff(ALL_CASE_STAFF), system] },
  {
    command: 'approve',
    from: ['proposed'],
    to: 'approved',
    actors: [staff(['reviewer', 'approver'], { notProposer: true })],
  },
  {
    command: 'reject',
    from: ['proposed', 'approved'],
    to: 'rejected',
    actors: [staff(['reviewer', 'approver'], { notProposer: true })],
  },
  { command: 'accept', from: ['approved'], to: 'accepted', actors: [partner, forUnionProgramme] },
  {
    command: 'decline',
    from: ['approved', 'accepted'],
    to: 'declined',
    actors: [partner, owner, forUnionProgramme],
  },
  { command: 'start', from: ['accepted'], to: 'in_progress', actors: [partner, forUnionProgramme] },
  {
    command: 'deliver',
    from: ['accepted', 'in_progress'],
    to: 'delivered',
    actors: [partner, forUnionProgramme],
  },
  { command: 'confirm', from: ['delivered'], to: 'confirmed', actors: [owner, staff(['caseworker'])] },
  { command: 'follow-up', from: ['confirmed'], to: 'followed_up', actors: [staff(['caseworker'])] },
  { command: 'close', from: ['followed_up'], to: 'closed', actors: [staff(['caseworker', 'reviewer'])] },
  { command: 'cancel', from: BEFORE_DELIVERY, to: 'cancelled', actors: [staff(ALL_CASE_STAFF)] },
  { command: 'expire', from: BEFORE_DELIVERY, to: 'expired', actors: [system] },
];

/** The transition `command` makes from `state` (null: creation), or null when the table has none. */
export function findMatchTransition(state: MatchState | null, command: MatchCommand): MatchTransition | null {
  return (
    MATCH_TRANSITIONS.find(
      (t) => t.command === command && (state === null ? t.from.length === 0 : t.from.includes(state)),
    ) ?? null
  );
}

/** Every state change the table allows as `[from, to]` pairs (creation left out), sorted. */
export function allowedMatchStatePairs(): Array<[MatchState, MatchState]> {
  const pairs = new Map<string, [MatchState, MatchState]>();
  for (const t of MATCH_TRANSITIONS) for (const from of t.from) pairs.set(`${from}>${t.to}`, [from, t.to]);
  return [...pairs.values()].sort(([a, b], [c, d]) => a.localeCompare(c) || b.localeCompare(d));
}

/** What the service knows about the caller relative to one match. */
export interface MatchActorFacts {
  kind: 'staff' | 'worker' | 'partner' | 'system';
  roles: readonly StaffRole[];
  /** The worker whose household the need is for. */
  isOwner: boolean;
  /** An account of the offer's partner. */
  isOfferPartner: boolean;
  /** The need's unit lies in the staff member's subtree. */
  inScope: boolean;
  /** The caller proposed this match. */
  isProposer: boolean;
  /** The offer belongs to a union's own partner (a union programme). */
  unionProgramme: boolean;
  /** Cash above the configured amount: approving it takes an approver. */
  needsApprover: boolean;
}

export type MatchRefusal = 'role' | 'scope' | 'proposer' | 'approver_required' | 'not_union_programme';

/**
 * Whether the caller may perform `transition`, or the most specific reason it may not: `role` when no
 * actor entry fits its kind and roles; otherwise what the fitting entry required — the need in the
 * staff member's scope (or the caller's own household or offer: `scope`), someone other than the
 * proposer, an approver for large cash, a union programme.
 */
export function matchActorMay(
  transition: MatchTransition,
  facts: MatchActorFacts,
): { ok: true } | { ok: false; reason: MatchRefusal } {
  return walkActors(transition.actors, (actor): true | MatchRefusal | null => {
    switch (actor.kind) {
      case 'system':
        return facts.kind === 'system' ? true : null;
      case 'owner':
        return facts.kind !== 'worker' ? null : facts.isOwner || 'scope';
      case 'partner':
        return facts.kind !== 'partner' ? null : facts.isOfferPartner || 'scope';
      case 'staff':
        if (facts.kind !== 'staff' || !actor.roles.some((r) => facts.roles.includes(r))) return null;
        return staffProblem(transition, actor, facts) ?? true;
    }
  });
}

function staffProblem(
  transition: MatchTransition,
  actor: Extract<MatchActor, { kind: 'staff' }>,
  facts: MatchActorFacts,
): MatchRefusal | null {
  if (!facts.inScope) return 'scope';
  if (actor.unionProgrammeOnly && !facts.unionProgramme) return 'not_union_programme';
  if (actor.notProposer && facts.isProposer) return 'proposer';
  if (transition.command === 'approve' && facts.needsApprover && !facts.roles.includes('approver'))
    return 'approver_required';
  return null;
}

/** What a transition does to the offer's capacity: approval reserves, delivery uses, leaving releases. */
export type CapacityEffect = 'reserve' | 'use' | 'release' | null;

export function capacityEffect(from: MatchState | null, to: MatchState): CapacityEffect {
  if (to === 'approved') return 'reserve';
  if (to === 'delivered') return 'use';
  if (
    from !== null &&
    RESERVING_MATCH_STATES.includes(from) &&
    ['rejected', 'declined', 'cancelled', 'expired'].includes(to)
  )
    return 'release';
  return null;
}

/**
 * What the need does when its match moves: `matched` on approval, back to `open` when the match leaves
 * the active path after approval (the need service decides whether it is still valid), `fulfilled` on
 * confirmation, `closed` when the match closes.
 */
export function needCommandFor(from: MatchState | null, to: MatchState): NeedCommand | null {
  const effect = capacityEffect(from, to);
  if (effect === 'reserve') return 'match';
  if (effect === 'release') return 'release';
  if (to === 'confirmed') return 'fulfil';
  if (to === 'closed') return 'close';
  return null;
}

/** The commands people could give in `state` (the system's own steps left out), for clients' buttons. */
export function availableMatchCommands(state: MatchState): MatchCommand[] {
  const commands = new Set<MatchCommand>();
  for (const t of MATCH_TRANSITIONS)
    if (t.from.includes(state) && t.actors.some((a) => a.kind !== 'system')) commands.add(t.command);
  return [...commands];
}
