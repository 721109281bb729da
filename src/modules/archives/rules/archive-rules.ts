import type { ArchiveCategory, Cause } from '../archive.enums';
import { fiveClearsViolations, type FiveClearsInput } from './five-clears.rule';
import { categoryViolations, householdFigures } from './household-figures.rule';
import { identityViolations, type IdentityPerson, type IdentityMember } from './identity.rule';
import type { RuleViolation } from './rule-violation';

/** A household as plain facts (decrypted ID numbers): what the pure submission rules need. */
export interface HouseholdFacts extends FiveClearsInput {
  category: ArchiveCategory;
  causes: readonly Cause[];
  headMonthlyIncomeFen: number;
  head: IdentityPerson;
  members: readonly (IdentityMember & { monthlyIncomeFen: number })[];
  incomeItems: readonly { monthlyAmountFen: number }[];
}

export interface RuleContext {
  /** The 低保 line in force for the household's region on `now`'s date (null if none on record). */
  dibaoLineFen: number | null;
  marginalMultiple: number;
  now: Date;
}

/**
 * Every pure check a submission (and an edit of an active archive) must pass: 五清, household figures
 * against the 低保 line, identity. The duplicate and consent checks need the database; the service adds
 * them (ArchivesService.validateForSubmission). Seeds call this to build only valid archives.
 */
export function submissionRuleViolations(facts: HouseholdFacts, context: RuleContext): RuleViolation[] {
  const figures = householdFigures(facts);
  return [
    ...fiveClearsViolations(facts),
    ...categoryViolations({
      category: facts.category,
      monthlyIncomeFen: figures.monthlyIncomeFen,
      householdSize: figures.householdSize,
      causes: facts.causes,
      dibaoLineFen: context.dibaoLineFen,
      marginalMultiple: context.marginalMultiple,
    }),
    ...identityViolations({ head: facts.head, members: facts.members, now: context.now }),
  ];
}
