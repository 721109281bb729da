import type { ArchiveCategory, Cause, EmploymentStatus } from '../../archives/archive.enums';

/** An offer's eligibility as stored (an empty list: any; null: no bound). */
export interface OfferEligibility {
  categories: readonly ArchiveCategory[];
  causes: readonly Cause[];
  employment: readonly EmploymentStatus[];
  ageMin: number | null;
  ageMax: number | null;
  /** Per-capita income ≤ this × the household's 低保 line (decimal text, as stored). */
  incomeFactor: string | null;
  requiresActiveArchive: boolean;
}

/** What the caller (the matcher, later) knows of a household and the person to be helped. */
export interface HouseholdFacts {
  archiveActive: boolean;
  category: ArchiveCategory;
  causes: readonly Cause[];
  /** The head of household's. */
  employmentStatus: EmploymentStatus;
  /** The beneficiary's age in whole years on the day asked. */
  beneficiaryAge: number;
  /** Monthly per-capita income and the household's 低保 line, both in fen; null when unknown. */
  perCapitaIncomeFen: number | null;
  dibaoLineFen: number | null;
}

export type EligibilityCriterion = 'active_archive' | 'category' | 'cause' | 'employment' | 'age' | 'income';

/**
 * The criteria of `offer` the household fails, in a fixed order (empty: eligible). A cause matches when
 * any of the household's causes is listed; the income bound compares in integer fen (income × 100 ≤
 * line × factor × 100), and an unknown income or line fails it rather than passing it.
 */
export function offerEligibilityFailures(
  offer: OfferEligibility,
  facts: HouseholdFacts,
): EligibilityCriterion[] {
  const failed: EligibilityCriterion[] = [];
  if (offer.requiresActiveArchive && !facts.archiveActive) failed.push('active_archive');
  if (offer.categories.length > 0 && !offer.categories.includes(facts.category)) failed.push('category');
  if (offer.causes.length > 0 && !facts.causes.some((c) => offer.causes.includes(c))) failed.push('cause');
  if (offer.employment.length > 0 && !offer.employment.includes(facts.employmentStatus))
    failed.push('employment');
  if (
    (offer.ageMin !== null && facts.beneficiaryAge < offer.ageMin) ||
    (offer.ageMax !== null && facts.beneficiaryAge > offer.ageMax)
  )
    failed.push('age');
  if (offer.incomeFactor !== null) {
    const hundredths = Math.round(Number(offer.incomeFactor) * 100);
    if (
      facts.perCapitaIncomeFen === null ||
      facts.dibaoLineFen === null ||
      facts.perCapitaIncomeFen * 100 > facts.dibaoLineFen * hundredths
    )
      failed.push('income');
  }
  return failed;
}
