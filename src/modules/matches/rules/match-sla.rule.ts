/**
 * Match SLAs (issue 13 §4), pure: each active state has a number of days in which whoever must act
 * should act. A reminder goes out at half time and at the deadline; at the deadline the match is also
 * escalated to the reviewers of the unit above; past the hard limit (deadline × hardLimitFactor) a match
 * still before delivery expires and releases its capacity. Urgent and emergency needs get shorter days.
 * Days come from config/matching.yml (`sla`), overridable per menu item code.
 */
import { NEED_URGENCIES, type NeedUrgency } from '../../needs/needs.enums';
import type { MatchState } from '../matches.enums';

/** States with an SLA: every state in which someone still has to act. */
export const SLA_STATES = [
  'proposed',
  'approved',
  'accepted',
  'in_progress',
  'delivered',
  'confirmed',
  'followed_up',
] as const satisfies readonly MatchState[];
export type SlaState = (typeof SLA_STATES)[number];

export interface SlaSettings {
  /** Calendar days per state. */
  days: Record<SlaState, number>;
  /** Multiplier of the days for urgent and emergency needs (normal: 1). */
  urgency: Record<Exclude<NeedUrgency, 'normal'>, number>;
  /** The hard limit is the deadline's days × this (≥ 1). */
  hardLimitFactor: number;
  /** Per menu item code: days that replace the defaults for some states. */
  items: Record<string, Partial<Record<SlaState, number>>>;
}

/** States in which passing the hard limit expires the match (capacity is reserved, nothing delivered). */
const EXPIRING: ReadonlySet<MatchState> = new Set(['proposed', 'approved', 'accepted', 'in_progress']);

export interface SlaDeadlines {
  days: number;
  /** The half-time reminder. */
  remindAt: Date;
  /** Reminder and escalation to the unit above. */
  dueAt: Date;
  /** Expiry for states before delivery; null for the others (they are escalated, never expired). */
  expireAt: Date | null;
}

const DAY_MS = 86_400_000;

/** The deadlines of a match that entered `state` at `enteredAt`; null for states without an SLA. */
export function slaDeadlines(
  state: MatchState,
  enteredAt: Date,
  context: { itemCode: string; urgency: NeedUrgency },
  settings: SlaSettings,
): SlaDeadlines | null {
  if (!(SLA_STATES as readonly string[]).includes(state)) return null;
  const s = state as SlaState;
  const base = settings.items[context.itemCode]?.[s] ?? settings.days[s];
  const factor = context.urgency === 'normal' ? 1 : settings.urgency[context.urgency];
  // At least one day: an emergency still gets a working chance to act.
  const days = Math.max(1, Math.round(base * factor));
  const at = (d: number) => new Date(enteredAt.getTime() + d * DAY_MS);
  return {
    days,
    remindAt: at(days / 2),
    dueAt: at(days),
    expireAt: EXPIRING.has(state) ? at(days * settings.hardLimitFactor) : null,
  };
}

export type SlaStep = 'remind' | 'escalate' | 'expire';

/** Every step of a state's SLA, in the order they fall due: each happens once per (match, state entry). */
export const SLA_STEPS = ['remind-half', 'remind', 'escalate', 'expire'] as const;
export type SlaStepName = (typeof SLA_STEPS)[number];

/** When `step` falls due; null for `expire` in a state that never expires. */
export function slaStepAt(deadlines: SlaDeadlines, step: SlaStepName): Date | null {
  switch (step) {
    case 'remind-half':
      return deadlines.remindAt;
    case 'remind':
    case 'escalate':
      return deadlines.dueAt;
    case 'expire':
      return deadlines.expireAt;
  }
}

/**
 * Who must act in each state (the reminders go to them, the overdue view names them): a reviewer approves
 * or rejects; the partner accepts, starts and delivers (staff for a union programme); the worker confirms
 * receipt (本人领取); a caseworker follows up and closes.
 */
export const SLA_ACTORS = ['reviewer', 'partner', 'worker', 'caseworker'] as const;
export type SlaActor = (typeof SLA_ACTORS)[number];
export const SLA_ACTOR: Readonly<Record<SlaState, SlaActor>> = {
  proposed: 'reviewer',
  approved: 'partner',
  accepted: 'partner',
  in_progress: 'partner',
  delivered: 'worker',
  confirmed: 'caseworker',
  followed_up: 'caseworker',
};

/** The SLA states' names as those who must act read them (待审批, 待接单, …). */
export const SLA_STATE_NAMES: Readonly<Record<SlaState, string>> = {
  proposed: '待审批',
  approved: '待接单',
  accepted: '待开始服务',
  in_progress: '服务中',
  delivered: '待确认收到',
  confirmed: '待回访',
  followed_up: '待办结',
};

/**
 * The days of every (item code, state, urgency) as a lookup for SQL (the overdue view computes deadlines
 * in the database): key `code|state|urgency` for the items with their own days, `*|state|urgency` for the
 * defaults. Built with slaDeadlines itself, so the view and the jobs can never disagree on rounding.
 */
export function slaDaysLookup(settings: SlaSettings): Record<string, number> {
  const lookup: Record<string, number> = {};
  const epoch = new Date(0);
  for (const code of ['*', ...Object.keys(settings.items)])
    for (const state of SLA_STATES)
      for (const urgency of NEED_URGENCIES)
        lookup[`${code}|${state}|${urgency}`] = slaDeadlines(
          state,
          epoch,
          { itemCode: code, urgency },
          settings,
        )!.days;
  return lookup;
}

/**
 * What is due at `now` for a match in `state` since `enteredAt`, given what was already done: the
 * sweeper's view (the delayed jobs do the same step by step). Steps are idempotent by (match, state, step).
 */
export function dueSlaSteps(
  deadlines: SlaDeadlines,
  now: Date,
  done: ReadonlySet<SlaStep | 'remind-half'>,
): Array<SlaStep | 'remind-half'> {
  const due: Array<SlaStep | 'remind-half'> = [];
  const t = now.getTime();
  if (t >= deadlines.remindAt.getTime() && !done.has('remind-half')) due.push('remind-half');
  if (t >= deadlines.dueAt.getTime()) {
    if (!done.has('remind')) due.push('remind');
    if (!done.has('escalate')) due.push('escalate');
  }
  if (deadlines.expireAt && t >= deadlines.expireAt.getTime() && !done.has('expire')) due.push('expire');
  return due;
}
