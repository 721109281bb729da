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
  /** floor(monthlyIncomeFen / householdSize): never typed in, always computed here. */
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
 * The 低保边缘 ceiling: line × multiple, rounded down to the fen. The multiple has at most two decimals
 * (config validation), so it is applied in integer hundredths to keep floating point out of the money.
 */
export function marginalCeilingFen(dibaoLineFen: number, marginalMultiple: number): number {
  const hundredths = Math.round(marginalMultiple * 100);
  return Math.floor((dibaoLineFen * hundredths) / 100);
}

export interface CategoryCheckInput {
  category: ArchiveCategory;
  perCapitaIncomeFen: number;
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
 * needs `accident` or `disaster` among the causes and is not income-tested.
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
  if (input.category === 'dibao' && input.perCapitaIncomeFen > input.dibaoLineFen) {
    return [
      {
        ...base,
        code: 'CATEGORY_DIBAO_INCOME_ABOVE_LINE',
        message: `家庭月人均收入 ${yuan(input.perCapitaIncomeFen)} 元高于当地低保标准 ${yuan(input.dibaoLineFen)} 元，不符合低保户类别`,
      },
    ];
  }
  if (input.category === 'marginal') {
    const ceiling = marginalCeilingFen(input.dibaoLineFen, input.marginalMultiple);
    if (input.perCapitaIncomeFen > ceiling) {
      return [
        {
          ...base,
          code: 'CATEGORY_MARGINAL_INCOME_ABOVE_LIMIT',
          message: `家庭月人均收入 ${yuan(input.perCapitaIncomeFen)} 元高于低保边缘标准 ${yuan(ceiling)} 元（低保标准 × ${input.marginalMultiple}），不符合低保边缘户类别`,
        },
      ];
    }
  }
  return [];
}
