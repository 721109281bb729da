/** Offer vocabulary (GLOSSARY.md, DESIGN §2). Stored as these strings. */

/** draft → pending_review → published ⇄ paused; closed (with a reason) from any of them. */
export const OFFER_STATES = ['draft', 'pending_review', 'published', 'paused', 'closed'] as const;
export type OfferState = (typeof OFFER_STATES)[number];

/** States an offer can still be edited in (closed is final). */
export const OPEN_OFFER_STATES: readonly OfferState[] = ['draft', 'pending_review', 'published', 'paused'];

/** States in which staff whose unit an offer's scope covers see it (besides the partner's own unit's staff). */
export const SHOWN_BY_SCOPE_STATES: readonly OfferState[] = ['published', 'paused', 'closed'];

/**
 * `slots` (名额: training places, jobs, service hours) and `goods` (件: 米面油, 棉衣) count pieces; `cash`
 * counts beneficiaries: capacity is the number of people the budget pays the fixed amount to, so budget
 * = capacity × amountPerBeneficiaryFen always holds and reserved/used/remaining are people too.
 */
export const OFFER_KINDS = ['slots', 'goods', 'cash'] as const;
export type OfferKind = (typeof OFFER_KINDS)[number];

/** The menu item unit an offer kind serves (a cash offer serves `yuan` items). */
export const OFFER_KIND_ITEM_UNIT = { slots: 'slots', goods: 'goods', cash: 'yuan' } as const;

/** Why an offer closed: 名额/预算用完, 有效期届满, 合作方撤回, 合作方被暂停. */
export const OFFER_CLOSE_REASONS = ['exhausted', 'expired', 'withdrawn', 'partner_suspended'] as const;
export type OfferCloseReason = (typeof OFFER_CLOSE_REASONS)[number];

/** Reasons a reviewer returns an offer to its author (at least one, plus an optional note). */
export const OFFER_RETURN_REASONS = [
  'eligibility_unclear',
  'scope_too_wide',
  'capacity_unrealistic',
  'description_insufficient',
  'item_mismatch',
  'contact_invalid',
  'other',
] as const;
export type OfferReturnReason = (typeof OFFER_RETURN_REASONS)[number];

export const OFFER_LIMITS = {
  titleMax: 100,
  descriptionMax: 2000,
  addressMax: 200,
  noteMax: 500,
  itemsMax: 10,
  /** Slots, pieces or beneficiaries. */
  capacityMax: 1_000_000,
  /** 5,000,000 yuan per beneficiary at most (fen). */
  amountMaxFen: 500_000_000,
  /** The whole budget: 1 billion yuan (fen), inside a bigint. */
  budgetMaxFen: 100_000_000_000,
  /** A validity window of at most two years. */
  validityMaxDays: 731,
  perHouseholdMax: 100,
  cooldownMaxDays: 3650,
  ageMax: 120,
  /** Per-capita income ≤ k × the 低保 line: k in (0, 5]. */
  incomeFactorMax: 5,
} as const;
