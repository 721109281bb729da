import { consentProblems, type ConsentFact } from './consent-problems.rule';

const NOW = new Date('2026-11-23T04:00:00Z');
const at = (iso: string) => new Date(iso);

function consent(overrides: Partial<ConsentFact> = {}): ConsentFact {
  return {
    subject: 'head',
    memberId: null,
    purpose: 'archive_management',
    kind: 'general',
    byGuardian: false,
    grantedAt: at('2026-11-01T00:00:00Z'),
    withdrawnAt: null,
    ...overrides,
  };
}

const headBoth = [consent(), consent({ kind: 'sensitive' })];
const child = { id: 'child-1', birthDate: '2015-06-01' }; // 11
const teen = { id: 'teen-1', birthDate: '2012-11-23' }; // exactly 14 on NOW
const almost14 = { id: 'teen-2', birthDate: '2012-11-24' }; // 14 tomorrow
const guardian = (memberId: string, kind: 'general' | 'sensitive' = 'sensitive') =>
  consent({ subject: 'member', memberId, kind, byGuardian: true });

describe('consentProblems', () => {
  it.each([
    { name: 'head general + sensitive, adult-only household', members: [], consents: headBoth, codes: [] },
    {
      name: 'nothing recorded',
      members: [],
      consents: [],
      codes: ['CONSENT_HEAD_GENERAL_MISSING', 'CONSENT_HEAD_SENSITIVE_MISSING'],
    },
    {
      name: 'only the general consent',
      members: [],
      consents: [consent()],
      codes: ['CONSENT_HEAD_SENSITIVE_MISSING'],
    },
    {
      name: 'only the sensitive consent',
      members: [],
      consents: [consent({ kind: 'sensitive' })],
      codes: ['CONSENT_HEAD_GENERAL_MISSING'],
    },
    {
      name: 'another purpose does not count',
      members: [],
      consents: [consent({ purpose: 'partner_disclosure' }), consent({ kind: 'sensitive' })],
      codes: ['CONSENT_HEAD_GENERAL_MISSING'],
    },
    {
      name: 'withdrawn consent does not count',
      members: [],
      consents: [consent({ withdrawnAt: at('2026-11-10T00:00:00Z') }), consent({ kind: 'sensitive' })],
      codes: ['CONSENT_HEAD_GENERAL_MISSING'],
    },
    {
      name: 'a consent dated before PIPL took effect (1800-01-01) does not count',
      members: [],
      consents: [consent({ grantedAt: at('1800-01-01T00:00:00Z') }), consent({ kind: 'sensitive' })],
      codes: ['CONSENT_HEAD_GENERAL_MISSING'],
    },
    {
      name: 'a consent signed at the hour PIPL took effect counts',
      members: [],
      consents: [consent({ grantedAt: at('2021-11-01T00:00:00+08:00') }), consent({ kind: 'sensitive' })],
      codes: [],
    },
    {
      name: 'consent dated in the future does not count yet',
      members: [],
      consents: [consent({ grantedAt: at('2026-12-01T00:00:00Z') }), consent({ kind: 'sensitive' })],
      codes: ['CONSENT_HEAD_GENERAL_MISSING'],
    },
    {
      name: 'child under 14 without guardian consent',
      members: [child],
      consents: headBoth,
      codes: ['CONSENT_GUARDIAN_MISSING'],
    },
    {
      name: 'child under 14 with guardian sensitive consent',
      members: [child],
      consents: [...headBoth, guardian('child-1')],
      codes: [],
    },
    {
      name: 'guardian consent for another member does not count',
      members: [child],
      consents: [...headBoth, guardian('someone-else')],
      codes: ['CONSENT_GUARDIAN_MISSING'],
    },
    {
      name: 'consent for the child not given by a guardian',
      members: [child],
      consents: [...headBoth, consent({ subject: 'member', memberId: 'child-1', kind: 'sensitive' })],
      codes: ['CONSENT_GUARDIAN_MISSING'],
    },
    {
      name: 'guardian general consent alone is not enough',
      members: [child],
      consents: [...headBoth, guardian('child-1', 'general')],
      codes: ['CONSENT_GUARDIAN_MISSING'],
    },
    {
      // A removed member's consent is kept without its member; it must not count for anyone.
      name: 'a detached member consent does not count',
      members: [child],
      consents: [
        ...headBoth,
        consent({ subject: 'member', memberId: null, kind: 'sensitive', byGuardian: true }),
      ],
      codes: ['CONSENT_GUARDIAN_MISSING'],
    },
    { name: 'member turning 14 today needs none', members: [teen], consents: headBoth, codes: [] },
    {
      name: 'member turning 14 tomorrow still needs one',
      members: [almost14],
      consents: headBoth,
      codes: ['CONSENT_GUARDIAN_MISSING'],
    },
  ])('$name', ({ members, consents, codes }) => {
    expect(consentProblems(members, consents, NOW).map((p) => p.code)).toEqual(codes);
  });

  it('points at the member by position', () => {
    const [problem] = consentProblems([{ id: 'adult', birthDate: '1970-01-01' }, child], headBoth, NOW);
    expect(problem).toMatchObject({ rule: 'consent', field: 'members.1.consent' });
    expect(problem.message).toContain('第 2 位家庭成员');
  });
});
