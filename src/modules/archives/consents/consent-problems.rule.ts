import { PIPL_EFFECTIVE_AT } from '../../../common/validation/date-bounds';
import { ageOn, chinaDate, type RuleViolation } from '../rules/rule-violation';
import type { ConsentKind, ConsentPurpose, ConsentSubject } from './archive-consent.entity';

/** Below this age a member's data needs a parent's or guardian's consent (PIPL art. 31). */
export const GUARDIAN_CONSENT_AGE = 14;
export const REQUIRED_PURPOSE: ConsentPurpose = 'archive_management';

export interface ConsentFact {
  subject: ConsentSubject;
  memberId: string | null;
  purpose: ConsentPurpose;
  kind: ConsentKind;
  byGuardian: boolean;
  grantedAt: Date;
  withdrawnAt: Date | null;
}

export interface ConsentMember {
  id: string;
  birthDate: string;
}

/**
 * A consent counts from its signing until its withdrawal, and only if signed under PIPL: a date before
 * the law took effect is an entry error (or a probe), never a consent the submission rule may rely on.
 */
function effective(c: ConsentFact, now: Date): boolean {
  return (
    c.purpose === REQUIRED_PURPOSE &&
    c.grantedAt >= PIPL_EFFECTIVE_AT &&
    c.grantedAt <= now &&
    (c.withdrawnAt === null || c.withdrawnAt > now)
  );
}

/**
 * Consents missing before an archive may be submitted: the head's general consent and separate
 * sensitive-data consent (PIPL art. 29: health, income, children), and for each member under 14 a
 * guardian's consent (their data is sensitive by law, so a `sensitive` consent given by the guardian).
 * `members` are in the archive's order, so paths match what the client sent.
 */
export function consentProblems(
  members: readonly ConsentMember[],
  consents: readonly ConsentFact[],
  now: Date,
): RuleViolation[] {
  const live = consents.filter((c) => effective(c, now));
  const problems: RuleViolation[] = [];
  const head = live.filter((c) => c.subject === 'head');
  if (!head.some((c) => c.kind === 'general')) {
    problems.push({
      rule: 'consent',
      code: 'CONSENT_HEAD_GENERAL_MISSING',
      field: 'consents.head.general',
      message: '缺少户主对建档管理的个人信息处理同意',
    });
  }
  if (!head.some((c) => c.kind === 'sensitive')) {
    problems.push({
      rule: 'consent',
      code: 'CONSENT_HEAD_SENSITIVE_MISSING',
      field: 'consents.head.sensitive',
      message: '缺少户主对敏感个人信息（健康、收入、未成年人信息）处理的单独同意',
    });
  }
  const today = chinaDate(now);
  members.forEach((member, index) => {
    if (ageOn(member.birthDate, today) >= GUARDIAN_CONSENT_AGE) return;
    const ok = live.some(
      (c) => c.subject === 'member' && c.memberId === member.id && c.byGuardian && c.kind === 'sensitive',
    );
    if (!ok) {
      problems.push({
        rule: 'consent',
        code: 'CONSENT_GUARDIAN_MISSING',
        field: `members.${index}.consent`,
        message: `第 ${index + 1} 位家庭成员未满 ${GUARDIAN_CONSENT_AGE} 周岁，须有其监护人的单独同意`,
      });
    }
  });
  return problems;
}
