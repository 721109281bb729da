import type { Cause } from '../archive.enums';
import type { RuleViolation } from './rule-violation';

/** The five things a caseworker must know about a household (五清). */
export const FIVE_CLEARS_ITEMS = [
  'household_situation',
  'causes',
  'skills',
  'job_wishes',
  'state_of_mind',
] as const;
export type FiveClearsItem = (typeof FIVE_CLEARS_ITEMS)[number];

/** Why an item is not clear. */
export const FIVE_CLEARS_MISSING_REASONS = [
  'empty',
  'too_short',
  'placeholder',
  'no_cause',
  'no_primary_cause',
  'primary_not_in_causes',
  'cause_description_missing',
] as const;
export type FiveClearsMissingReason = (typeof FIVE_CLEARS_MISSING_REASONS)[number];

export interface FiveClearsInput {
  householdSituation: string | null;
  causes: readonly Cause[];
  primaryCause: Cause | null;
  causeDescription: string | null;
  skills: string | null;
  jobWishes: string | null;
  stateOfMind: string | null;
}

export type FiveClearsItemStatus =
  | { item: FiveClearsItem; field: string; clear: true }
  | { item: FiveClearsItem; field: string; clear: false; reason: FiveClearsMissingReason; message: string };

/**
 * The two narrative items (家庭情况, 致困原因说明) must say something: at least this many characters.
 * Skills, job wishes and state of mind may legitimately be short (「无」「暂无就业意愿」), so they only
 * need a real answer rather than a placeholder.
 */
export const MIN_NARRATIVE_CHARS = 10;

/** Answers that mean "not asked yet" rather than an answer (compared after trimming, punctuation removed). */
const PLACEHOLDERS = new Set([
  '待定',
  '待填',
  '待补充',
  '不详',
  '未知',
  '暂缺',
  '略',
  'tbd',
  'na',
  'n/a',
  'null',
  'todo',
]);
const PUNCTUATION_ONLY = /^[\s\p{P}\p{S}]*$/u;

function textProblem(value: string | null, minChars: number): FiveClearsMissingReason | null {
  const text = (value ?? '').trim();
  if (text.length === 0) return 'empty';
  if (PUNCTUATION_ONLY.test(text)) return 'placeholder';
  if (PLACEHOLDERS.has(text.toLowerCase().replace(/[\s\p{P}]+/gu, ''))) return 'placeholder';
  if (Array.from(text).length < minChars) return 'too_short';
  return null;
}

const ITEM_LABELS: Record<FiveClearsItem, string> = {
  household_situation: '家庭情况',
  causes: '致困原因',
  skills: '技术特长',
  job_wishes: '就业要求',
  state_of_mind: '思想状况',
};

const REASON_TEXT: Record<FiveClearsMissingReason, string> = {
  empty: '未填写',
  too_short: `说明过短（至少 ${MIN_NARRATIVE_CHARS} 个字）`,
  placeholder: '填写的是占位内容，不是实际情况',
  no_cause: '未选择致困原因',
  no_primary_cause: '未指定主要致困原因',
  primary_not_in_causes: '主要致困原因不在所选致困原因之中',
  cause_description_missing: '致困原因说明未填写或过短',
};

function status(
  item: FiveClearsItem,
  field: string,
  reason: FiveClearsMissingReason | null,
): FiveClearsItemStatus {
  if (reason === null) return { item, field, clear: true };
  return {
    item,
    field,
    clear: false,
    reason,
    message: `五清「${ITEM_LABELS[item]}」不清：${REASON_TEXT[reason]}`,
  };
}

/** Each of the five items, clear or missing with the reason (shown to staff as a checklist). */
export function fiveClearsStatus(input: FiveClearsInput): FiveClearsItemStatus[] {
  let causesReason: FiveClearsMissingReason | null = null;
  let causesField = 'causes';
  if (input.causes.length === 0) causesReason = 'no_cause';
  else if (!input.primaryCause) {
    causesReason = 'no_primary_cause';
    causesField = 'primaryCause';
  } else if (!input.causes.includes(input.primaryCause)) {
    causesReason = 'primary_not_in_causes';
    causesField = 'primaryCause';
  } else if (textProblem(input.causeDescription, MIN_NARRATIVE_CHARS) !== null) {
    causesReason = 'cause_description_missing';
    causesField = 'causeDescription';
  }
  return [
    status(
      'household_situation',
      'householdSituation',
      textProblem(input.householdSituation, MIN_NARRATIVE_CHARS),
    ),
    status('causes', causesField, causesReason),
    status('skills', 'skills', textProblem(input.skills, 1)),
    status('job_wishes', 'jobWishes', textProblem(input.jobWishes, 1)),
    status('state_of_mind', 'stateOfMind', textProblem(input.stateOfMind, 1)),
  ];
}

/** One violation per item that is not clear; submission is refused while there is any. */
export function fiveClearsViolations(input: FiveClearsInput): RuleViolation[] {
  return fiveClearsStatus(input).flatMap((s) =>
    s.clear
      ? []
      : [
          {
            rule: 'five-clears' as const,
            code: `FIVE_CLEARS_${s.item.toUpperCase()}_MISSING`,
            field: s.field,
            message: s.message,
          },
        ],
  );
}
