import type { MenuUnit } from '../../menu/menu.enums';
import { OFFER_KIND_ITEM_UNIT, OFFER_LIMITS, type OfferKind } from '../offers.enums';

/** An offer's terms as they will be stored (after an edit is applied), for the checks below. */
export interface OfferTerms {
  kind: OfferKind;
  items: ReadonlyArray<{ code: string; unit: MenuUnit }>;
  /** Slots or pieces; for cash the number of beneficiaries. */
  capacity: number;
  /** Cash only: the fixed amount each beneficiary receives (fen). */
  amountPerBeneficiaryFen: number | null;
  /** Cash only: the budget asked for (fen), which must be capacity × amount. */
  budgetFen: number | null;
  reserved: number;
  used: number;
  ageMin: number | null;
  ageMax: number | null;
  /** YYYY-MM-DD, China dates, both inclusive. */
  validFrom: string;
  validUntil: string;
}

export type OfferTermsProblem =
  | { code: 'kind_mismatch'; items: string[] }
  | { code: 'cash_terms'; reason: 'amount_required' | 'amount_not_allowed' | 'budget_not_multiple' }
  | { code: 'capacity_below_committed'; committed: number }
  | { code: 'age_range'; reason: 'order' }
  | { code: 'validity'; reason: 'order' | 'too_long' | 'ended' };

const DAY_MS = 86_400_000;

/**
 * What is wrong with `terms` on `today` (YYYY-MM-DD, China): every item fits the kind (a cash offer
 * serves `yuan` items, slots `slots`, goods `goods`); cash has its per-beneficiary amount and a budget
 * that is a whole number of beneficiaries, the others have neither; capacity covers what is reserved and
 * used; the age range is ordered; the validity window is ordered, at most two years, and not over.
 */
export function offerTermsProblems(terms: OfferTerms, today: string): OfferTermsProblem[] {
  const problems: OfferTermsProblem[] = [];
  const wrongItems = terms.items
    .filter((i) => i.unit !== OFFER_KIND_ITEM_UNIT[terms.kind])
    .map((i) => i.code);
  if (wrongItems.length > 0) problems.push({ code: 'kind_mismatch', items: wrongItems });
  if (terms.kind === 'cash') {
    if (terms.amountPerBeneficiaryFen === null)
      problems.push({ code: 'cash_terms', reason: 'amount_required' });
    else if (terms.budgetFen !== null && terms.budgetFen !== terms.capacity * terms.amountPerBeneficiaryFen)
      problems.push({ code: 'cash_terms', reason: 'budget_not_multiple' });
  } else if (terms.amountPerBeneficiaryFen !== null || terms.budgetFen !== null) {
    problems.push({ code: 'cash_terms', reason: 'amount_not_allowed' });
  }
  const committed = terms.reserved + terms.used;
  if (terms.capacity < committed) problems.push({ code: 'capacity_below_committed', committed });
  if (terms.ageMin !== null && terms.ageMax !== null && terms.ageMin > terms.ageMax)
    problems.push({ code: 'age_range', reason: 'order' });
  if (terms.validUntil < terms.validFrom) problems.push({ code: 'validity', reason: 'order' });
  else if (daysBetween(terms.validFrom, terms.validUntil) > OFFER_LIMITS.validityMaxDays)
    problems.push({ code: 'validity', reason: 'too_long' });
  else if (terms.validUntil < today) problems.push({ code: 'validity', reason: 'ended' });
  return problems;
}

/**
 * Whether an edit of a live offer only grows it (no review needed): nothing but `capacity` and
 * `validUntil` changed, capacity did not shrink and the end date did not move earlier. For cash offers
 * more capacity is more beneficiaries at the same amount (the budget rises by amount × the increase).
 */
export function isGrowthOnly(
  changed: ReadonlySet<string>,
  before: { capacity: number; validUntil: string },
  after: { capacity: number; validUntil: string },
): boolean {
  for (const field of changed) if (field !== 'capacity' && field !== 'validUntil') return false;
  return after.capacity >= before.capacity && after.validUntil >= before.validUntil;
}

function daysBetween(from: string, until: string): number {
  return Math.round((Date.parse(`${until}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}
