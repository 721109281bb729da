import {
  ACCIDENT_PRIMARY_CAUSES,
  MARGINAL_PRIMARY_CAUSES,
  type ArchiveCategory,
  type Cause,
  type IncomeKind,
} from '../archive.enums';
import type { RuleViolation } from './rule-violation';

export interface HouseholdIncomeInput {
  headMonthlyIncomeFen: number;
  members: readonly { monthlyIncomeFen: number }[];
  incomeItems: readonly { kind: IncomeKind; monthlyAmountFen: number }[];
}

export interface HouseholdFigures {
  /** Head + members. */
  householdSize: number;
  /**
   * Head + members + income items, fen per month, without the excluded kinds: social-assistance payments
   * (低保金, 特困供养金, 临时救助金), special-care pensions (优抚金), awards and scholarships are not income
   * for the 低保 test (2021 national measures for 低保 household checks), or a real 低保 household would sit
   * at the line and any supplement would push it over.
   */
  monthlyIncomeFen: number;
  /**
   * floor(monthlyIncomeFen / householdSize): never typed in, always computed here. For display and
   * lists only: the category check compares the exact total (see categoryViolations).
   */
  perCapitaIncomeFen: number;
}

/**
 * The household's computed figures, all integer fen. `excludedKinds`: income item kinds that are not
 * counted (config `archives.excludedIncomeKinds`).
 */
export function householdFigures(
  input: HouseholdIncomeInput,
  excludedKinds: readonly IncomeKind[],
): HouseholdFigures {
  const householdSize = 1 + input.members.length;
  const monthlyIncomeFen =
    input.headMonthlyIncomeFen +
    input.members.reduce((sum, m) => sum + m.monthlyIncomeFen, 0) +
    input.incomeItems
      .filter((i) => !excludedKinds.includes(i.kind))
      .reduce((sum, i) => sum + i.monthlyAmountFen, 0);
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
  /** The household's counted monthly income (fen) and size: compared exactly, never a rounded per-capita. */
  monthlyIncomeFen: number;
  householdSize: number;
  primaryCause: Cause | null;
  /** The 低保 line in force for the household's region on the application date; null if none is on record. */
  dibaoLineFen: number | null;
  marginalMultiple: number;
  /** 低保证 number when the household holds one, and whether a `dibao_certificate` evidence file is on file. */
  dibaoCertificateNo: string | null;
  dibaoCertificateEvidence: boolean;
  /** 意外致困: when it happened, the monthly income it cut and the one-off expense it brought (fen). */
  incidentOn: string | null;
  incidentIncomeLossFen: number | null;
  incidentExpenseFen: number | null;
  /** The date the rules are judged on (YYYY-MM-DD, China time): the application's. */
  checkDate: string;
}

function yuan(fen: number): string {
  return (fen / 100).toFixed(2);
}

const CAUSE_LABELS: Record<Cause, string> = {
  illness: '大病',
  disability: '残疾',
  schooling: '子女上学',
  unemployment: '失业',
  low_income: '收入低',
  accident: '意外事故',
  disaster: '自然灾害',
  single_parent: '单亲',
  other: '其他',
};

function labels(causes: readonly Cause[]): string {
  return causes.map((c) => `「${CAUSE_LABELS[c]}」`).join('、');
}

/**
 * Whether the category fits the household, as the union federation defines the three categories:
 * - `dibao` (深度困难): per-capita income strictly below the 低保 line (exactly at the line is not below);
 *   a 低保证 held is recorded with its number and a `dibao_certificate` evidence file.
 * - `marginal` (相对困难): per-capita income above the line and at most line × the configured multiple
 *   (exactly at the ceiling passes, one fen over fails), with a primary cause among unemployment, major
 *   illness, schooling, accident or disaster.
 * - `accident` (意外致困): a sudden accident, disaster or major illness as the primary cause, its date, and
 *   the income it cut or the expense it brought recorded; not income-tested.
 * Per-capita income is compared in integers without dividing (total vs line × size), so a household a
 * fraction of a fen per person over or under the line is judged exactly.
 */
export function categoryViolations(input: CategoryCheckInput): RuleViolation[] {
  const base = { rule: 'household-figures' as const, field: 'category' };
  const violations: RuleViolation[] = [];
  if (input.dibaoCertificateNo !== null && !input.dibaoCertificateEvidence) {
    violations.push({
      ...base,
      code: 'DIBAO_CERTIFICATE_EVIDENCE_REQUIRED',
      field: 'dibaoCertificateNo',
      message: '已登记低保证号，须上传低保证（材料类别「低保证」）作为证明',
    });
  }
  if (input.category === 'accident') return [...violations, ...accidentViolations(input)];
  if (input.dibaoLineFen === null) {
    return [
      ...violations,
      {
        ...base,
        code: 'DIBAO_LINE_MISSING',
        field: 'regionCode',
        message: '所在地区在申请日尚无执行中的低保标准，无法核定类别，请联系档案管理员补录',
      },
    ];
  }
  const line = input.dibaoLineFen;
  const perCapita = Math.floor(input.monthlyIncomeFen / input.householdSize);
  const lineTotal = line * input.householdSize;
  if (input.category === 'dibao' && input.monthlyIncomeFen >= lineTotal) {
    violations.push({
      ...base,
      code: 'CATEGORY_DIBAO_INCOME_NOT_BELOW_LINE',
      message: `家庭月人均收入 ${yuan(perCapita)} 元不低于当地低保标准 ${yuan(line)} 元，不符合低保户（深度困难）类别`,
    });
  }
  if (input.category === 'marginal') {
    const ceiling = marginalCeilingFen(line, input.marginalMultiple);
    if (input.monthlyIncomeFen <= lineTotal) {
      violations.push({
        ...base,
        code: 'CATEGORY_MARGINAL_INCOME_NOT_ABOVE_LINE',
        message: `家庭月人均收入 ${yuan(perCapita)} 元未高于当地低保标准 ${yuan(line)} 元，低保边缘户须高于低保标准（低于标准的应认定为低保户）`,
      });
    } else if (
      input.monthlyIncomeFen * 100 >
      line * multipleHundredths(input.marginalMultiple) * input.householdSize
    ) {
      violations.push({
        ...base,
        code: 'CATEGORY_MARGINAL_INCOME_ABOVE_LIMIT',
        message: `家庭月人均收入 ${yuan(perCapita)} 元高于低保边缘标准 ${yuan(ceiling)} 元（低保标准 × ${input.marginalMultiple}），不符合低保边缘户类别`,
      });
    }
    if (input.primaryCause === null || !MARGINAL_PRIMARY_CAUSES.includes(input.primaryCause)) {
      violations.push({
        ...base,
        code: 'CATEGORY_MARGINAL_PRIMARY_CAUSE',
        field: 'primaryCause',
        message: `低保边缘户的主要致困原因须为${labels(MARGINAL_PRIMARY_CAUSES)}之一`,
      });
    }
  }
  return violations;
}

function accidentViolations(input: CategoryCheckInput): RuleViolation[] {
  const base = { rule: 'household-figures' as const };
  const violations: RuleViolation[] = [];
  if (input.primaryCause === null || !ACCIDENT_PRIMARY_CAUSES.includes(input.primaryCause)) {
    violations.push({
      ...base,
      code: 'CATEGORY_ACCIDENT_CAUSE_REQUIRED',
      field: 'primaryCause',
      message: `意外致困户的主要致困原因须为${labels(ACCIDENT_PRIMARY_CAUSES)}之一`,
    });
  }
  if (input.incidentOn === null) {
    violations.push({
      ...base,
      code: 'CATEGORY_ACCIDENT_DATE_REQUIRED',
      field: 'incidentOn',
      message: '意外致困户须登记事故、灾害或大病发生的日期',
    });
  } else if (input.incidentOn > input.checkDate) {
    violations.push({
      ...base,
      code: 'CATEGORY_ACCIDENT_DATE_IN_FUTURE',
      field: 'incidentOn',
      message: '事故、灾害或大病的发生日期不能晚于申请日期',
    });
  }
  if ((input.incidentIncomeLossFen ?? 0) <= 0 && (input.incidentExpenseFen ?? 0) <= 0) {
    violations.push({
      ...base,
      code: 'CATEGORY_ACCIDENT_IMPACT_REQUIRED',
      field: 'incidentIncomeLossFen',
      message: '意外致困户须登记因此减少的家庭月收入或产生的大额支出（至少一项，单位：分）',
    });
  }
  return violations;
}
