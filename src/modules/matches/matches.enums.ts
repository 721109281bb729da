/** Match vocabulary (DESIGN §2 Match, GLOSSARY.md). Stored as these strings. */

/**
 * proposed → approved → accepted → in_progress → delivered → confirmed → followed_up → closed;
 * side exits rejected, declined, cancelled, expired.
 */
export const MATCH_STATES = [
  'proposed',
  'approved',
  'accepted',
  'in_progress',
  'delivered',
  'confirmed',
  'followed_up',
  'closed',
  'rejected',
  'declined',
  'cancelled',
  'expired',
] as const;
export type MatchState = (typeof MATCH_STATES)[number];

/** States a match never leaves. */
export const FINAL_MATCH_STATES: readonly MatchState[] = [
  'closed',
  'rejected',
  'declined',
  'cancelled',
  'expired',
];

/** States that hold a reservation of the offer's capacity (approval reserves, delivery uses). */
export const RESERVING_MATCH_STATES: readonly MatchState[] = ['approved', 'accepted', 'in_progress'];

/** 办结 outcomes. */
export const MATCH_OUTCOMES = ['resolved', 'partially_resolved', 'unresolved'] as const;
export type MatchOutcome = (typeof MATCH_OUTCOMES)[number];

/**
 * Coded reasons of a decline: 名额/物资已无, 联系后发现不符合条件, 联系不上职工, 职工本人拒绝, 重复, 其他.
 * Some park the pair or the need for a configured number of days (the matcher leaves them out meanwhile).
 */
export const DECLINE_REASONS = [
  'no_longer_available',
  'not_eligible_on_contact',
  'worker_unreachable',
  'worker_refused',
  'duplicate',
  'other',
] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

/** 回访 channels. */
export const FOLLOW_UP_CHANNELS = ['phone', 'visit', 'online', 'via_union'] as const;
export type FollowUpChannel = (typeof FOLLOW_UP_CHANNELS)[number];
