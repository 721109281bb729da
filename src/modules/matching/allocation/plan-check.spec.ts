import { AllocationDuals, AllocationInstance } from './instance';
import { checkDuals, checkPlan } from './plan-check';

// n0, n1 of household 0; n2 alone. o0: capacity 2, one per household; o1: capacity 1.
const instance: AllocationInstance = {
  needCount: 3,
  offerCount: 2,
  capacity: Int32Array.from([2, 1]),
  perHouseholdLimit: Int32Array.from([1, 0]),
  household: Int32Array.from([0, 0, -1]),
  edgeStart: Int32Array.from([0, 2, 3, 5]),
  edgeOffer: Int32Array.from([0, 1, 0, 0, 1]),
  edgeScore: Int32Array.from([10, 4, 8, 6, 5]),
};
const plan = (...offers: number[]) => Int32Array.from(offers);

describe('checkPlan', () => {
  it.each([
    ['the optimal plan', plan(1, 0, 0), 18, []],
    ['a feasible plan', plan(0, -1, 1), 15, []],
    ['the empty plan', plan(-1, -1, -1), 0, []],
    [
      'a need on an offer it has no edge to',
      plan(-1, 1, -1),
      undefined,
      [/need 1 assigned to offer 1 without an edge/],
    ],
    ['an offer over capacity', plan(1, -1, 1), undefined, [/offer 1: 2 needs > capacity 1/]],
    [
      'a household over the per-household limit',
      plan(0, 0, -1),
      undefined,
      [/household\/offer 0\/0: 2 needs > limit 1/],
    ],
    ['a wrong total', plan(0, -1, 1), 16, [/total 16 ≠ Σ scores 15/]],
    ['a plan of the wrong length', plan(0), undefined, [/plan has 1 needs, instance 3/]],
  ])('%s', (_name, needOffer, total, expected) => {
    const problems = checkPlan(instance, needOffer, total);
    expect(problems).toHaveLength(expected.length);
    expected.forEach((pattern, k) => expect(problems[k]).toMatch(pattern));
  });
});

describe('checkDuals', () => {
  // The optimum is n0→o1, n1→o0, n2→o0 (4 + 8 + 6 = 18); its certificate: u = (4, 2, 5), v = (1, 0), and
  // w = 5 on (household 0, o0), whose limit binds: 11 + 2·1 + 1·5 = 18.
  const duals = (need: number[], offer: number[], group: number[] = []): AllocationDuals => ({
    need: Float64Array.from(need),
    offer: Float64Array.from(offer),
    group: Float64Array.from(group),
    groupOffer: Int32Array.from(group.map(() => 0)),
    groupHousehold: Int32Array.from(group.map(() => 0)),
  });
  it.each([
    ['the optimal certificate', duals([4, 2, 5], [1, 0], [5]), 18, []],
    ['a feasible but loose one (a valid, higher bound)', duals([10, 8, 6], [0, 0]), 24, []],
    [
      'edges left uncovered without the group dual',
      duals([4, 2, 5], [1, 0]),
      13,
      [/need 0 → offer 0: duals 4 \+ 1 \+ 0 < score 10/, /need 1 → offer 0/],
    ],
    [
      'a negative dual',
      duals([10, 8, 6], [-1, 0]),
      22,
      [/offer 0: dual -1 < 0/, /need 0 → offer 0/, /need 1 → offer 0/, /need 2 → offer 0/],
    ],
    [
      'a bound that is not the objective',
      duals([4, 2, 5], [1, 0], [5]),
      17,
      [/bound 17 ≠ dual objective 18/],
    ],
  ])('%s', (_name, certificate, bound, expected) => {
    const problems = checkDuals(instance, certificate, bound);
    expect(problems).toHaveLength(expected.length);
    expected.forEach((pattern, k) => expect(problems[k]).toMatch(pattern));
  });
});
