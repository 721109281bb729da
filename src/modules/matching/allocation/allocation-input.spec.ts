import { AllocationInputError, allocationOutput, parseAllocationInput } from './allocation-input';
import { solveOptimal } from './optimal';
import { checkPlan } from './plan-check';

const valid = {
  needs: [
    {
      id: 'n1',
      household: 'h1',
      edges: [
        { offer: 'o2', score: 5 },
        { offer: 'o1', score: 730 },
      ],
    },
    { id: 'n2', household: 'h1', edges: [{ offer: 'o1', score: 700 }] },
    { id: 'n3', edges: [] },
  ],
  offers: [
    { id: 'o1', capacity: 3, perHouseholdLimit: 1 },
    { id: 'o2', capacity: 0 },
  ],
};
const refused = (data: unknown): string => {
  try {
    parseAllocationInput(typeof data === 'string' ? data : JSON.stringify(data));
  } catch (error) {
    if (error instanceof AllocationInputError) return error.message;
    throw error;
  }
  throw new Error('accepted');
};
const withNeed = (need: unknown) => ({ ...valid, needs: [...valid.needs, need] });
const withOffer = (offer: unknown) => ({ ...valid, offers: [...valid.offers, offer] });

describe('allocation input', () => {
  it('builds the compact instance (edges sorted by offer, households dense) and prints plans by id', () => {
    const parsed = parseAllocationInput(JSON.stringify(valid));
    const { instance } = parsed;
    expect(Array.from(instance.edgeStart)).toEqual([0, 2, 3, 3]);
    expect(Array.from(instance.edgeOffer)).toEqual([0, 1, 0]);
    expect(Array.from(instance.edgeScore)).toEqual([730, 5, 700]);
    expect(Array.from(instance.household)).toEqual([0, 0, -1]);
    expect(Array.from(instance.perHouseholdLimit)).toEqual([1, 0]);
    const result = solveOptimal(instance);
    expect(checkPlan(instance, result.needOffer, result.total)).toEqual([]);
    const output = allocationOutput(parsed, result, 0.0012);
    expect(output).toEqual({
      strategy: 'optimal',
      total: 730,
      bound: 730,
      assigned: 1,
      seconds: 0.001,
      assignments: [{ need: 'n1', offer: 'o1' }],
    });
  });

  it.each([
    ['malformed JSON', '{"needs": [', /JSON 格式错误/],
    ['not an object', [], /输入必须是对象/],
    ['needs missing', { offers: [] }, /needs 必须是数组/],
    [
      'unknown offer',
      withNeed({ id: 'n4', edges: [{ offer: 'o9', score: 1 }] }),
      /needs\[3\] \("n4"\)\.edges\[0\]\.offer 未知: "o9"/,
    ],
    [
      'same offer twice in a need',
      withNeed({
        id: 'n4',
        edges: [
          { offer: 'o1', score: 1 },
          { offer: 'o1', score: 2 },
        ],
      }),
      /offer 重复/,
    ],
    ['duplicate need id', withNeed({ id: 'n1', edges: [] }), /needs\[3\]\.id 重复: "n1"/],
    ['duplicate offer id', withOffer({ id: 'o1', capacity: 1 }), /offers\[2\]\.id 重复: "o1"/],
    ['negative capacity', withOffer({ id: 'o3', capacity: -1 }), /capacity 必须是非负整数, 得到 -1/],
    ['fractional capacity', withOffer({ id: 'o3', capacity: 1.5 }), /capacity 必须是非负整数/],
    [
      'zero per-household limit',
      withOffer({ id: 'o3', capacity: 1, perHouseholdLimit: 0 }),
      /perHouseholdLimit 必须是正整数/,
    ],
    [
      'non-integer score',
      withNeed({ id: 'n4', edges: [{ offer: 'o1', score: 7.5 }] }),
      /score 必须是正整数 .*得到 7.5/,
    ],
    ['zero score', withNeed({ id: 'n4', edges: [{ offer: 'o1', score: 0 }] }), /score 必须是正整数/],
    ['string score', withNeed({ id: 'n4', edges: [{ offer: 'o1', score: '5' }] }), /score 必须是正整数/],
    ['empty need id', withNeed({ id: '', edges: [] }), /needs\[3\]\.id 必须是非空字符串/],
  ])('refuses %s with the first problem', (_name, data, message) => {
    expect(refused(data)).toMatch(message);
  });

  it('names the first problem when there are several', () => {
    const data = {
      offers: [
        { id: 'o1', capacity: -1 },
        { id: 'o1', capacity: 1 },
      ],
      needs: [],
    };
    expect(refused(data)).toMatch(/offers\[0\].*capacity/);
  });
});
