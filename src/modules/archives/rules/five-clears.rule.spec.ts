import { fiveClearsStatus, fiveClearsViolations, type FiveClearsInput } from './five-clears.rule';

const complete: FiveClearsInput = {
  householdSituation: '夫妻二人与一女同住，妻子患尿毒症需长期透析，女儿读高二。',
  causes: ['illness', 'schooling'],
  primaryCause: 'illness',
  causeDescription: '妻子2024年确诊尿毒症，每周透析三次，自付医疗费用高。',
  skills: '电焊，持中级焊工证',
  jobWishes: '希望就近找白班工作，便于照顾家人',
  stateOfMind: '情绪稳定，积极配合治疗',
};

describe('fiveClearsStatus', () => {
  it('all five clear for a complete record', () => {
    expect(fiveClearsStatus(complete).every((s) => s.clear)).toBe(true);
    expect(fiveClearsViolations(complete)).toEqual([]);
  });

  it.each([
    {
      name: 'household situation empty',
      change: { householdSituation: null },
      code: 'FIVE_CLEARS_HOUSEHOLD_SITUATION_MISSING',
      field: 'householdSituation',
      reason: 'empty',
    },
    {
      name: 'household situation blank',
      change: { householdSituation: '   ' },
      code: 'FIVE_CLEARS_HOUSEHOLD_SITUATION_MISSING',
      field: 'householdSituation',
      reason: 'empty',
    },
    {
      name: 'household situation too short',
      change: { householdSituation: '困难' },
      code: 'FIVE_CLEARS_HOUSEHOLD_SITUATION_MISSING',
      field: 'householdSituation',
      reason: 'too_short',
    },
    {
      name: 'no cause chosen',
      change: { causes: [], primaryCause: null },
      code: 'FIVE_CLEARS_CAUSES_MISSING',
      field: 'causes',
      reason: 'no_cause',
    },
    {
      name: 'no primary cause',
      change: { primaryCause: null },
      code: 'FIVE_CLEARS_CAUSES_MISSING',
      field: 'primaryCause',
      reason: 'no_primary_cause',
    },
    {
      name: 'primary cause not among causes',
      change: { primaryCause: 'disaster' },
      code: 'FIVE_CLEARS_CAUSES_MISSING',
      field: 'primaryCause',
      reason: 'primary_not_in_causes',
    },
    {
      name: 'cause description missing',
      change: { causeDescription: '' },
      code: 'FIVE_CLEARS_CAUSES_MISSING',
      field: 'causeDescription',
      reason: 'cause_description_missing',
    },
    {
      name: 'skills missing',
      change: { skills: null },
      code: 'FIVE_CLEARS_SKILLS_MISSING',
      field: 'skills',
      reason: 'empty',
    },
    {
      name: 'skills a placeholder',
      change: { skills: '待定' },
      code: 'FIVE_CLEARS_SKILLS_MISSING',
      field: 'skills',
      reason: 'placeholder',
    },
    {
      name: 'job wishes only punctuation',
      change: { jobWishes: '——' },
      code: 'FIVE_CLEARS_JOB_WISHES_MISSING',
      field: 'jobWishes',
      reason: 'placeholder',
    },
    {
      name: 'job wishes "N/A"',
      change: { jobWishes: 'N/A' },
      code: 'FIVE_CLEARS_JOB_WISHES_MISSING',
      field: 'jobWishes',
      reason: 'placeholder',
    },
    {
      name: 'state of mind unknown',
      change: { stateOfMind: '不详' },
      code: 'FIVE_CLEARS_STATE_OF_MIND_MISSING',
      field: 'stateOfMind',
      reason: 'placeholder',
    },
  ] as const)('$name → $code', ({ change, code, field, reason }) => {
    const input = { ...complete, ...change } as FiveClearsInput;
    const violations = fiveClearsViolations(input);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ rule: 'five-clears', code, field });
    expect(violations[0].message).toMatch(/^五清「/);
    const status = fiveClearsStatus(input).find((s) => !s.clear);
    expect(status).toMatchObject({ clear: false, reason });
  });

  it('a short real answer counts for skills, job wishes and state of mind', () => {
    expect(
      fiveClearsViolations({ ...complete, skills: '无', jobWishes: '暂无', stateOfMind: '乐观' }),
    ).toEqual([]);
  });

  it('an empty record lists all five items', () => {
    const empty: FiveClearsInput = {
      householdSituation: null,
      causes: [],
      primaryCause: null,
      causeDescription: null,
      skills: null,
      jobWishes: null,
      stateOfMind: null,
    };
    expect(fiveClearsStatus(empty).map((s) => [s.item, s.clear])).toEqual([
      ['household_situation', false],
      ['causes', false],
      ['skills', false],
      ['job_wishes', false],
      ['state_of_mind', false],
    ]);
    expect(fiveClearsViolations(empty)).toHaveLength(5);
  });
});
