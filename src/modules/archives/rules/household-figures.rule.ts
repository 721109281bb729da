import type { ArchiveCategory, Cause } from '../archive.enums';
import type { RuleViolation } from './rule-violation';

export interface HouseholdIncomeInput {
  headMonthlyIncomeFen: number;
  members: readonly { monthlyIncomeFen: number }[];
  incomeItems: readonly { monthlyAmountFen: number }[];
}

export interface HouseholdFigures {
  /** Head + members. */
  householdSize: number;
  /** Head + members + income items, fen per month. */
  monthlyIncomeFen: number;
  /**
   * floor(monthlyIncomeFen / householdSize): never typed in, always computed here. For display and
   * lists only: the category check compares the exact total (see categoryViolations).
   */
  perCapitaIncomeFen: number;
}

/** The household's computed figures, all integer fen. */
export function householdFigures(input: HouseholdIncomeInput): HouseholdFigures {
  const householdSize = 1 + input.members.length;
  const monthlyIncomeFen =
    input.headMonthlyIncomeFen +
    input.members.reduce((sum, m) => sum + m.monthlyIncomeFen, 0) +
    input.incomeItems.reduce((sum, i) => sum + i.monthlyAmountFen, 0);
  return {
    householdSize,
    monthlyIncomeFen,
    perCapitaIncomeFen: Math.floor(monthlyIncomeFen / householdSize),
  };
}

/**
 * The multiple in integer hundredths: it has at most two decimals (config validation), so this keeps
 * floating point out of the money.
 */
function multipleHundredths(marginalMultiple: number): number {
  return Math.round(marginalMultiple * 100);
}

/** The 低保边缘 ceiling per person, line × multiple rounded down to the fen: for messages only. */
export function marginalCeilingFen(dibaoLineFen: number, marginalMultiple: number): number {
  return Math.floor((dibaoLineFen * multipleHundredths(marginalMultiple)) / 100);
}

export interface CategoryCheckInput {
  category: ArchiveCategory;
  /** The household's total monthly income (fen) and size: compared exactly, never a rounded per-capita. */
  monthlyIncomeFen: number;
  householdSize: number;
  causes: readonly Cause[];
  /** The 低保 line in force for the household's region on the check date; null if none is on record. */
  dibaoLineFen: number | null;
  marginalMultiple: number;
}

function yuan(fen: number): string {
  return (fen / 100).toFixed(2);
}

/**
 * Whether the category fits the household: `dibao` needs per-capita income ≤ the line, `marginal`
 * ≤ line × multiple (both inclusive: exactly at the limit passes, one fen over fails); `accident`
 * needs `accident` or `disaster` among the causes and is not income-tested. Per-capita income is
 * compared in integers without dividing (total ≤ line × size), so a household a fraction of a fen per
 * person over the line does not pass through a rounded-down per-capita figure.
 */
export function categoryViolations(input: CategoryCheckInput): RuleViolation[] {
  const base = { rule: 'household-figures' as const, field: 'category' };
  if (input.category === 'accident') {
    if (input.causes.includes('accident') || input.causes.includes('disaster')) return [];
    return [
      {
        ...base,
        code: 'CATEGORY_ACCIDENT_CAUSE_REQUIRED',
        field: 'causes',
        message: '意外致困户的致困原因须包含「意外事故」或「自然灾害」',
      },
    ];
  }
  if (input.dibaoLineFen === null) {
    return [
      {
        ...base,
        code: 'DIBAO_LINE_MISSING',
        field: 'regionCode',
        message: '所在地区尚未登记当期低保标准，无法核定类别，请联系档案管理员补录',
      },
    ];
  }
  const perCapita = Math.floor(input.monthlyIncomeFen / input.householdSize);
  if (input.category === 'dibao' && input.monthlyIncomeFen > input.dibaoLineFen * input.householdSize) {
    return [
      {
        ...base,
        code: 'CATEGORY_DIBAO_INCOME_ABOVE_LINE',
        message: `家庭月人均收入 ${yuan(perCapita)} 元高于当地低保标准 ${yuan(input.dibaoLineFen)} 元，不符合低保户类别`,
      },
    ];
  }
  if (input.category === 'marginal') {
    const ceiling = marginalCeilingFen(input.dibaoLineFen, input.marginalMultiple);
    const limitHundredths =
      input.dibaoLineFen * multipleHundredths(input.marginalMultiple) * input.householdSize;
    if (input.monthlyIncomeFen * 100 > limitHundredths) {
      return [
        {
          ...base,
          code: 'CATEGORY_MARGINAL_INCOME_ABOVE_LIMIT',
          message: `家庭月人均收入 ${yuan(perCapita)} 元高于低保边缘标准 ${yuan(ceiling)} 元（低保标准 × ${input.marginalMultiple}），不符合低保边缘户类别`,
        },
      ];
    }
  }
  return [];
}
