/** Need vocabulary (GLOSSARY.md, DESIGN §2). Stored as these strings. */

/**
 * submitted → screening → open → matched → fulfilled → closed; side states rejected (reason codes),
 * withdrawn (before matched), expired (validity passed while open).
 */
export const NEED_STATES = [
  'submitted',
  'screening',
  'open',
  'matched',
  'fulfilled',
  'closed',
  'rejected',
  'withdrawn',
  'expired',
] as const;
export type NeedState = (typeof NEED_STATES)[number];

/** States a need never leaves. Every other state is "open" for the one-need-per-household-item-beneficiary rule. */
export const FINAL_NEED_STATES: readonly NeedState[] = ['closed', 'rejected', 'withdrawn', 'expired'];
export const ACTIVE_NEED_STATES: readonly NeedState[] = NEED_STATES.filter(
  (s) => !FINAL_NEED_STATES.includes(s),
);

/** In list order: emergency first. */
export const NEED_URGENCIES = ['emergency', 'urgent', 'normal'] as const;
export type NeedUrgency = (typeof NEED_URGENCIES)[number];

/**
 * Orders of a need list: `urgency` (default) — emergency first, then the longest waiting; `oldest` —
 * the longest waiting first; `newest` — the latest submitted first. Ties by id on every engine.
 */
export const NEED_LIST_SORTS = ['urgency', 'oldest', 'newest'] as const;
export type NeedListSort = (typeof NEED_LIST_SORTS)[number];

export const NEED_MODES = ['onsite', 'online', 'any'] as const;
export type NeedMode = (typeof NEED_MODES)[number];

/** How the worker wants to be contacted: 电话, 短信, 上门, 经所在工会转达. */
export const CONTACT_PREFERENCES = ['phone', 'sms', 'visit', 'via_union'] as const;
export type ContactPreference = (typeof CONTACT_PREFERENCES)[number];

/**
 * Rule codes of the automatic screening (a need failing any is `rejected` with them), and the reasons a
 * reviewer may give (the screening ones, plus the reviewer's own judgement).
 */
export const SCREENING_RULES = [
  'archive_not_active',
  'archive_ended',
  'temporary_archive_not_accepted',
  'beneficiary_not_in_household',
  'beneficiary_not_eligible',
  'item_inactive',
] as const;
export type ScreeningRule = (typeof SCREENING_RULES)[number];

export const REVIEW_REJECT_REASONS = [
  ...SCREENING_RULES,
  'not_in_hardship_scope',
  'insufficient_information',
  'already_helped',
  'other',
] as const;
export type NeedRejectReason = (typeof REVIEW_REJECT_REASONS)[number];

export const NEED_LIMITS = {
  descriptionMax: 1000,
  noteMax: 500,
  tagsMax: 10,
} as const;

/** Beneficiary age bands carried by the search index (never a birth date). */
export const AGE_BANDS = ['under_6', '6_17', '18_34', '35_59', '60_plus'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];
