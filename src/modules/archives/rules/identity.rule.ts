import { parseIdNumber, type Gender, type IdNumberInvalidReason } from '../../../common/validation';
import type { Relation, SchoolingStage } from '../archive.enums';
import { ageOn, chinaDate, type RuleViolation } from './rule-violation';

/** A person as entered: the ID number plus what the form may state separately (checked against the ID). */
export interface IdentityPerson {
  idNumber: string;
  /** Stated on the paper form; when given it must agree with the ID number. */
  statedBirthDate?: string | null;
  statedGender?: Gender | null;
  statedAge?: number | null;
}

export interface IdentityMember extends IdentityPerson {
  relation: Relation;
  schoolingStage: SchoolingStage;
}

export interface IdentityInput {
  head: IdentityPerson;
  members: readonly IdentityMember[];
  now: Date;
}

/** The head applies as a worker: below this age no one can hold a job (劳动法: 16). */
export const MIN_HEAD_AGE = 16;
/** 婚姻法 minimum marriage age is 20 (women) / 22 (men); the check uses the lower bound. */
export const MIN_SPOUSE_AGE = 20;

/** Plausible age ranges per schooling stage (wide on purpose: repeats, late starts, adult learners). */
export const SCHOOLING_AGE_RANGES: Record<Exclude<SchoolingStage, 'none'>, [number, number]> = {
  preschool: [0, 7],
  primary: [5, 16],
  junior_high: [10, 20],
  senior_high: [13, 25],
  vocational: [13, 30],
  college: [15, 60],
  postgraduate: [18, 70],
};

const ID_REASON_TEXT: Record<IdNumberInvalidReason, string> = {
  format: '身份证号码格式不正确（应为18位，最后一位可为X）',
  region: '身份证号码的地区码不正确',
  birth_date: '身份证号码中的出生日期不正确',
  checksum: '身份证号码校验位不正确',
};

const SCHOOLING_TEXT: Record<Exclude<SchoolingStage, 'none'>, string> = {
  preschool: '学前',
  primary: '小学',
  junior_high: '初中',
  senior_high: '高中',
  vocational: '中职',
  college: '大专/本科',
  postgraduate: '研究生',
};

function v(code: string, field: string, message: string): RuleViolation {
  return { rule: 'identity', code, field, message };
}

interface Derived {
  birthDate: string;
  gender: Gender;
  age: number;
}

function checkPerson(
  person: IdentityPerson,
  prefix: string,
  label: string,
  today: string,
  now: Date,
): {
  violations: RuleViolation[];
  derived: Derived | null;
} {
  const parsed = parseIdNumber(person.idNumber, { now });
  if (!parsed.ok) {
    return {
      violations: [
        v(
          `ID_NUMBER_INVALID_${parsed.reason.toUpperCase()}`,
          `${prefix}.idNumber`,
          `${label}${ID_REASON_TEXT[parsed.reason]}`,
        ),
      ],
      derived: null,
    };
  }
  const derived = { birthDate: parsed.birthDate, gender: parsed.gender, age: ageOn(parsed.birthDate, today) };
  const violations: RuleViolation[] = [];
  if (person.statedBirthDate && person.statedBirthDate !== derived.birthDate) {
    violations.push(
      v('BIRTH_DATE_MISMATCH', `${prefix}.birthDate`, `${label}填写的出生日期与身份证号码不一致`),
    );
  }
  if (person.statedGender && person.statedGender !== derived.gender) {
    violations.push(v('GENDER_MISMATCH', `${prefix}.gender`, `${label}填写的性别与身份证号码不一致`));
  }
  if (person.statedAge != null && person.statedAge !== derived.age) {
    violations.push(
      v(
        'AGE_MISMATCH',
        `${prefix}.age`,
        `${label}填写的年龄与身份证号码推算的年龄（${derived.age}岁）不一致`,
      ),
    );
  }
  return { violations, derived };
}

/**
 * Identity checks: every ID number valid (GB 11643 checksum, region, real birth date), stated birth
 * date / gender / age agree with it, the head is of working age, and each member's relation and
 * schooling stage are plausible for the ages the ID numbers give.
 */
export function identityViolations(input: IdentityInput): RuleViolation[] {
  const today = chinaDate(input.now);
  const head = checkPerson(input.head, 'head', '户主', today, input.now);
  const violations = [...head.violations];
  if (head.derived && head.derived.age < MIN_HEAD_AGE) {
    violations.push(v('HEAD_TOO_YOUNG', 'head.idNumber', `户主须年满 ${MIN_HEAD_AGE} 周岁`));
  }
  input.members.forEach((member, index) => {
    const prefix = `members.${index}`;
    const label = `第 ${index + 1} 位家庭成员`;
    const checked = checkPerson(member, prefix, label, today, input.now);
    violations.push(...checked.violations);
    const m = checked.derived;
    if (!m) return;
    if (member.relation === 'spouse' && m.age < MIN_SPOUSE_AGE) {
      violations.push(
        v('SPOUSE_TOO_YOUNG', `${prefix}.relation`, `${label}关系为配偶，但年龄不足 ${MIN_SPOUSE_AGE} 周岁`),
      );
    }
    if (head.derived) {
      const older = m.birthDate < head.derived.birthDate;
      const younger = m.birthDate > head.derived.birthDate;
      if ((member.relation === 'parent' || member.relation === 'grandparent') && !older) {
        violations.push(
          v('RELATION_AGE_IMPLAUSIBLE', `${prefix}.relation`, `${label}关系为长辈，但出生日期不早于户主`),
        );
      }
      if ((member.relation === 'child' || member.relation === 'grandchild') && !younger) {
        violations.push(
          v('RELATION_AGE_IMPLAUSIBLE', `${prefix}.relation`, `${label}关系为晚辈，但出生日期不晚于户主`),
        );
      }
    }
    if (member.schoolingStage !== 'none') {
      const [min, max] = SCHOOLING_AGE_RANGES[member.schoolingStage];
      if (m.age < min || m.age > max) {
        violations.push(
          v(
            'SCHOOLING_AGE_IMPLAUSIBLE',
            `${prefix}.schoolingStage`,
            `${label}的就学阶段「${SCHOOLING_TEXT[member.schoolingStage]}」与其年龄（${m.age}岁）不符`,
          ),
        );
      }
    }
  });
  return violations;
}
