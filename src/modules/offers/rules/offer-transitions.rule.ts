import type { StaffRole } from '../../auth/principal';
import type { OfferCloseReason, OfferState } from '../offers.enums';

/**
 * The offer state machine as one table: which command (and decision) moves an offer from which state to
 * which, and who may give it. Pure: the service supplies the facts about the caller and applies the answer.
 *
 *   draft ─submit→ pending_review ─publish→ published ─pause→ paused ─resume→ published
 *   pending_review ─return→ draft (with reasons)
 *   published | paused ─revise→ pending_review (an edit other than more capacity or a later end date)
 *   any open state ─close:withdrawn→ closed (the partner, or a caseworker for a union programme)
 *   any open state ─close:partner_suspended→ closed (a reviewer of the partner's unit or above)
 *   published | paused ─close:expired→ closed (the daily job) ─close:exhausted→ closed (the match lifecycle)
 *
 * Two kinds of offer: a partner's own (its accounts write, a reviewer of its unit or above publishes) and a
 * union programme (the unit's `union` partner: a caseworker writes, an approver publishes, never the same
 * person — the service checks that). `revise` is given by PATCH, not by a route of its own.
 */

export const OFFER_COMMANDS = ['submit', 'publish', 'return', 'pause', 'resume', 'revise', 'close'] as const;
export type OfferCommand = (typeof OFFER_COMMANDS)[number];

/** `close` takes the reason as its decision. */
export const CLOSE_DECISIONS: readonly OfferCloseReason[] = [
  'withdrawn',
  'partner_suspended',
  'expired',
  'exhausted',
];
/** The reasons people may close with (the others are the system's). */
export const MANUAL_CLOSE_REASONS = ['withdrawn', 'partner_suspended'] as const;
export type ManualCloseReason = (typeof MANUAL_CLOSE_REASONS)[number];

/** Whose offer a staff actor entry applies to. */
export type OfferProgramme = 'partner' | 'union';

export type OfferActor =
  | { kind: 'owner' }
  | { kind: 'staff'; roles: readonly StaffRole[]; programme: OfferProgramme | 'any' }
  | { kind: 'system' };

export interface OfferTransition {
  command: OfferCommand;
  /** For `close`: the reason; the transition applies to that reason only. */
  decision?: string;
  from: readonly OfferState[];
  to: OfferState;
  /** Staff act only on offers whose partner's unit lies in their subtree. */
  actors: readonly OfferActor[];
}

const owner: OfferActor = { kind: 'owner' };
const system: OfferActor = { kind: 'system' };
const staff = (programme: OfferProgramme | 'any', ...roles: StaffRole[]): OfferActor => ({
  kind: 'staff',
  roles,
  programme,
});

/** Who writes an offer (edit, submit, pause, resume, withdraw): the partner, or a caseworker for the union. */
export const OFFER_AUTHORS: readonly OfferActor[] = [owner, staff('union', 'caseworker')];
/** Who reviews it (publish, return): a reviewer for a partner's offer, an approver for a union programme. */
export const OFFER_REVIEWERS: readonly OfferActor[] = [
  staff('partner', 'reviewer'),
  staff('union', 'approver'),
];

const OPEN: readonly OfferState[] = ['draft', 'pending_review', 'published', 'paused'];
const LIVE: readonly OfferState[] = ['published', 'paused'];

export const OFFER_TRANSITIONS: readonly OfferTransition[] = [
  { command: 'submit', from: ['draft'], to: 'pending_review', actors: OFFER_AUTHORS },
  { command: 'publish', from: ['pending_review'], to: 'published', actors: OFFER_REVIEWERS },
  { command: 'return', from: ['pending_review'], to: 'draft', actors: OFFER_REVIEWERS },
  { command: 'pause', from: ['published'], to: 'paused', actors: OFFER_AUTHORS },
  { command: 'resume', from: ['paused'], to: 'published', actors: OFFER_AUTHORS },
  { command: 'revise', from: LIVE, to: 'pending_review', actors: OFFER_AUTHORS },
  { command: 'close', decision: 'withdrawn', from: OPEN, to: 'closed', actors: OFFER_AUTHORS },
  {
    command: 'close',
    decision: 'partner_suspended',
    from: OPEN,
    to: 'closed',
    actors: [staff('any', 'reviewer')],
  },
  { command: 'close', decision: 'expired', from: LIVE, to: 'closed', actors: [system] },
  { command: 'close', decision: 'exhausted', from: LIVE, to: 'closed', actors: [system] },
];

/** The transition `command` (with `decision`) makes from `state`, or null when the table has none. */
export function findOfferTransition(
  state: OfferState,
  command: OfferCommand,
  decision?: string,
): OfferTransition | null {
  return (
    OFFER_TRANSITIONS.find(
      (t) =>
        t.command === command &&
        (t.decision === undefined || t.decision === decision) &&
        t.from.includes(state),
    ) ?? null
  );
}

/**
 * Every state change the table allows as `[from, to]` pairs, sorted. The database holds the same pairs
 * (offer_state_transitions): a trigger refuses any other change of `offers.state`, and offer_history's
 * (from, to) must be one of them; a medium test keeps the two equal.
 */
export function allowedOfferStatePairs(): Array<[OfferState, OfferState]> {
  const pairs = new Map<string, [OfferState, OfferState]>();
  for (const t of OFFER_TRANSITIONS) for (const from of t.from) pairs.set(`${from}>${t.to}`, [from, t.to]);
  return [...pairs.values()].sort(([a, b], [c, d]) => a.localeCompare(c) || b.localeCompare(d));
}

/** What the service knows about the caller relative to one offer. */
export interface OfferActorFacts {
  kind: 'staff' | 'worker' | 'partner' | 'system';
  roles: readonly StaffRole[];
  /** A partner account of the offer's partner. */
  isOwner: boolean;
  /** Staff: the partner's unit lies in the caller's subtree. */
  inScope: boolean;
  /** The offer is a union programme (its partner is a unit's `union` partner). */
  unionProgramme: boolean;
}

/**
 * Whether the caller may act as one of `actors`: `role` when no entry fits its kind, roles and the kind
 * of offer, `scope` when one fits but the offer is not the caller's (another partner's, or its partner's
 * unit is outside the staff's subtree). A union programme has no partner accounts: `owner` never fits it.
 */
export function offerActorMay(
  actors: readonly OfferActor[],
  facts: OfferActorFacts,
): { ok: true } | { ok: false; reason: 'role' | 'scope' } {
  let roleFits = false;
  for (const actor of actors) {
    if (actor.kind === 'system') {
      if (facts.kind === 'system') return { ok: true };
      continue;
    }
    if (actor.kind === 'owner') {
      if (facts.kind !== 'partner') continue;
      roleFits = true;
      if (facts.isOwner && !facts.unionProgramme) return { ok: true };
      continue;
    }
    if (facts.kind !== 'staff' || !actor.roles.some((r) => facts.roles.includes(r))) continue;
    const programme = facts.unionProgramme ? 'union' : 'partner';
    if (actor.programme !== 'any' && actor.programme !== programme) continue;
    roleFits = true;
    if (facts.inScope) return { ok: true };
  }
  return { ok: false, reason: roleFits ? 'scope' : 'role' };
}

/** The commands people could give in `state` (the system's own steps and `revise` left out), for buttons. */
export function availableOfferCommands(state: OfferState): OfferCommand[] {
  const commands = new Set<OfferCommand>();
  for (const t of OFFER_TRANSITIONS)
    if (t.from.includes(state) && t.command !== 'revise' && t.actors.some((a) => a.kind !== 'system'))
      commands.add(t.command);
  return [...commands];
}

/**
 * What an edit of an offer in `state` does: `in_place` keeps the state (drafts and offers under review
 * are edited freely; a live offer may get more capacity or a later end date without review), `revise`
 * sends a live offer back to review, `refused` (closed) is 409 naming the state.
 */
export function offerEditEffect(
  state: OfferState,
  change: { onlyGrowth: boolean },
): 'in_place' | 'revise' | 'refused' {
  if (state === 'draft' || state === 'pending_review') return 'in_place';
  if (state === 'published' || state === 'paused') return change.onlyGrowth ? 'in_place' : 'revise';
  return 'refused';
}
