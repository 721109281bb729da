import type { RuleViolation } from './rule-violation';

/** One person of this archive, by the blind index of the ID number, and where the client sent it. */
export interface HouseholdPerson {
  /** `head.idNumber` or `members.N.idNumber`. */
  field: string;
  idNumberBlindIndex: string;
}

/** Someone with the same blind index in another open archive (found by the repository). */
export interface DuplicateMatch {
  idNumberBlindIndex: string;
  archiveId: string;
  orgUnitName: string;
}

/** What a worker (not staff) is told: that the person is in a hardship archive, not where. */
export const PERSON_ALREADY_IN_ARCHIVE_MESSAGE = '该人员已在其他困难职工档案中，请联系所在基层工会核实';

export interface DuplicateAudience {
  /**
   * Staff see the other unit's name so the caseworker can call them. A worker does not: typing a
   * relative's or colleague's ID number must not tell it that person is in a hardship archive, and where.
   */
  namesUnits: boolean;
}

/**
 * One archive per household (一户一档): nobody may appear twice in this archive, nor in another open
 * archive in any unit. Messages for staff name the other archive's unit; for workers they are generic
 * (`PERSON_ALREADY_IN_ARCHIVE`). They never name the person or the number.
 */
export function householdDuplicateViolations(
  people: readonly HouseholdPerson[],
  matches: readonly DuplicateMatch[],
  thisArchiveId: string | null,
  audience: DuplicateAudience = { namesUnits: true },
): RuleViolation[] {
  const violations: RuleViolation[] = [];
  const firstField = new Map<string, string>();
  for (const person of people) {
    const earlier = firstField.get(person.idNumberBlindIndex);
    if (earlier) {
      violations.push({
        rule: 'household-duplicate',
        code: 'HOUSEHOLD_PERSON_REPEATED',
        field: person.field,
        message: `同一人在本档案中重复登记（与 ${earlier} 相同）`,
      });
      continue;
    }
    firstField.set(person.idNumberBlindIndex, person.field);
    const units = [
      ...new Set(
        matches
          .filter((m) => m.idNumberBlindIndex === person.idNumberBlindIndex && m.archiveId !== thisArchiveId)
          .map((m) => m.orgUnitName),
      ),
    ].sort();
    if (units.length > 0 && !audience.namesUnits) {
      violations.push({
        rule: 'household-duplicate',
        code: 'PERSON_ALREADY_IN_ARCHIVE',
        field: person.field,
        message: PERSON_ALREADY_IN_ARCHIVE_MESSAGE,
      });
    } else if (units.length > 0) {
      violations.push({
        rule: 'household-duplicate',
        code: 'HOUSEHOLD_DUPLICATE_ARCHIVE',
        field: person.field,
        message: `此人已在「${units.join('」「')}」的困难职工档案中，一户只能建一个档案，请与该单位联系核实`,
      });
    }
  }
  return violations;
}
