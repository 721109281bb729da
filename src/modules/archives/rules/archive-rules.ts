import type { ArchiveCategory, Cause, IncomeKind } from '../archive.enums';
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
  incomeItems: readonly { kind: IncomeKind; monthlyAmountFen: number }[];
  dibaoCertificateNo: string | null;
  incidentOn: string | null;
  incidentIncomeLossFen: number | null;
  incidentExpenseFen: number | null;
}

export interface RuleContext {
  /** The 低保 line in force for the household's region on the application date (null if none on record). */
  dibaoLineFen: number | null;
  marginalMultiple: number;
  /** Income item kinds not counted (config `archives.excludedIncomeKinds`). */
  excludedIncomeKinds: readonly IncomeKind[];
  /** Whether a `dibao_certificate` evidence file is on file (needed when a 低保证 number is recorded). */
  dibaoCertificateEvidence: boolean;
  /** The application date (YYYY-MM-DD, China time): the 低保 line's date and the accident date's bound. */
  applicationDate: string;
  now: Date;
}

/**
 * Every pure check a submission (and an edit of an active archive) must pass: 五清, household figures
 * against the 低保 line, identity. The duplicate and consent checks need the database; the service adds
 * them (ArchivesService.validateForSubmission). Seeds call this to build only valid archives.
 */
export function submissionRuleViolations(facts: HouseholdFacts, context: RuleContext): RuleViolation[] {
  const figures = householdFigures(facts, context.excludedIncomeKinds);
  return [
    ...fiveClearsViolations(facts),
    ...categoryViolations({
      category: facts.category,
      monthlyIncomeFen: figures.monthlyIncomeFen,
      householdSize: figures.householdSize,
      primaryCause: facts.primaryCause,
      dibaoLineFen: context.dibaoLineFen,
      marginalMultiple: context.marginalMultiple,
      dibaoCertificateNo: facts.dibaoCertificateNo,
      dibaoCertificateEvidence: context.dibaoCertificateEvidence,
      incidentOn: facts.incidentOn,
      incidentIncomeLossFen: facts.incidentIncomeLossFen,
      incidentExpenseFen: facts.incidentExpenseFen,
      checkDate: context.applicationDate,
    }),
    ...identityViolations({ head: facts.head, members: facts.members, now: context.now }),
  ];
}
