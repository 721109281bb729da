import { solveGreedy } from './greedy';
import { AllocationInstance, AllocationResult, assertInstance } from './instance';
import { solveOptimal } from './optimal';
import { checkDuals, checkPlan } from './plan-check';
import { syntheticAllocation } from './synthetic-instance';

/** mulberry32, as the bench's: deterministic instances. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function instanceOf(spec: {
  capacity: number[];
  limit?: number[];
  household?: number[];
  edges: Array<Array<[number, number]>>;
}): AllocationInstance {
  const edgeStart = new Int32Array(spec.edges.length + 1);
  spec.edges.forEach((list, i) => (edgeStart[i + 1] = edgeStart[i] + list.length));
  const sorted = spec.edges.map((list) => [...list].sort((a, b) => a[0] - b[0]));
  const instance: AllocationInstance = {
    needCount: spec.edges.length,
    offerCount: spec.capacity.length,
    capacity: Int32Array.from(spec.capacity),
    perHouseholdLimit: Int32Array.from(spec.limit ?? spec.capacity.map(() => 0)),
    household: Int32Array.from(spec.household ?? spec.edges.map(() => -1)),
    edgeStart,
    edgeOffer: Int32Array.from(sorted.flat().map((edge) => edge[0])),
    edgeScore: Int32Array.from(sorted.flat().map((edge) => edge[1])),
  };
  assertInstance(instance);
  return instance;
}

function randomInstance(random: () => number): AllocationInstance {
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const needs = int(0, 8);
  const offers = int(1, 4);
  const households = int(1, Math.max(1, needs));
  // Small score range: many ties, the hard case for tie-breaking and potentials.
  const maxScore = random() < 0.5 ? 5 : 1000;
  return instanceOf({
    capacity: Array.from({ length: offers }, () => (random() < 0.2 ? 0 : int(1, 4))),
    limit: Array.from({ length: offers }, () => (random() < 0.5 ? int(1, 2) : 0)),
    household: Array.from({ length: needs }, () => (random() < 0.15 ? -1 : int(0, households - 1))),
    edges: Array.from({ length: needs }, () =>
      Array.from({ length: offers }, (_, o) => o)
        .filter(() => random() < 0.6)
        .map((o): [number, number] => [o, int(1, maxScore)]),
    ),
  });
}

/** Every plan by exhaustive search (each need: unassigned or one of its edges), constraints checked as it goes. */
function bruteForceMax(instance: AllocationInstance): number {
  const used = new Int32Array(instance.offerCount);
  const perHousehold = new Map<string, number>();
  let best = 0;
  const visit = (i: number, total: number) => {
    if (i === instance.needCount) {
      if (total > best) best = total;
      return;
    }
    visit(i + 1, total);
    for (let e = instance.edgeStart[i]; e < instance.edgeStart[i + 1]; e++) {
      const o = instance.edgeOffer[e];
      if (used[o] >= instance.capacity[o]) continue;
      const h = instance.household[i];
      const key = `${h >= 0 ? h : `n${i}`}/${o}`;
      const count = perHousehold.get(key) ?? 0;
      const limit = instance.perHouseholdLimit[o];
      if (limit > 0 && count >= limit) continue;
      used[o]++;
      perHousehold.set(key, count + 1);
      visit(i + 1, total + instance.edgeScore[e]);
      used[o]--;
      perHousehold.set(key, count);
    }
  };
  visit(0, 0);
  return best;
}

/** What every solve must satisfy: a feasible plan whose total adds up, and for the optimal one total == bound. */
function expectSound(instance: AllocationInstance, result: AllocationResult): void {
  expect(checkPlan(instance, result.needOffer, result.total)).toEqual([]);
  expect(result.assigned).toBe(Array.from(result.needOffer).filter((o) => o >= 0).length);
  if (result.strategy === 'optimal') {
    expect(result.total).toBe(result.bound);
    expect(checkDuals(instance, result.duals!, result.bound!)).toEqual([]);
  }
}

describe('batch allocation', () => {
  it('equals the brute-force maximum on 1500 random small instances, with total == bound, greedy ≤ optimal', () => {
    const random = prng(20261206);
    let greedyBelow = 0;
    let withGroups = 0;
    for (let run = 0; run < 1500; run++) {
      const instance = randomInstance(random);
      const optimal = solveOptimal(instance);
      const greedy = solveGreedy(instance);
      expectSound(instance, optimal);
      expectSound(instance, greedy);
      const best = bruteForceMax(instance);
      if (optimal.total !== best)
        throw new Error(`run ${run}: optimal ${optimal.total} ≠ brute force ${best}`);
      expect(greedy.total).toBeLessThanOrEqual(optimal.total);
      if (greedy.total < optimal.total) greedyBelow++;
      if ((optimal.duals?.group.length ?? 0) > 0) withGroups++;
    }
    // The instances do exercise what they are meant to: greedy losing, household groups that bind.
    expect(greedyBelow).toBeGreaterThan(50);
    expect(withGroups).toBeGreaterThan(250);
  });

  it('an empty instance, needs without edges and offers without capacity give an empty plan', () => {
    const cases = [
      instanceOf({ capacity: [], edges: [] }),
      instanceOf({ capacity: [3, 1], edges: [[], [], []] }),
      instanceOf({
        capacity: [0, 0],
        edges: [
          [
            [0, 5],
            [1, 7],
          ],
          [[1, 9]],
        ],
      }),
    ];
    for (const instance of cases) {
      for (const result of [solveOptimal(instance), solveGreedy(instance)]) {
        expectSound(instance, result);
        expect(result.total).toBe(0);
        expect(result.assigned).toBe(0);
      }
      expect(solveOptimal(instance).bound).toBe(0);
      expect(solveOptimal(instance, { grow: 'offers' }).bound).toBe(0);
    }
  });

  it('moves a need to its second choice when that frees its first for a need with no other (greedy does not)', () => {
    // n0: o0 10, o1 9; n1: o0 8. Greedy: n0→o0, n1 nothing = 10. Optimal: n0→o1, n1→o0 = 17.
    const instance = instanceOf({
      capacity: [1, 1],
      edges: [
        [
          [0, 10],
          [1, 9],
        ],
        [[0, 8]],
      ],
    });
    const optimal = solveOptimal(instance);
    expectSound(instance, optimal);
    expect(Array.from(optimal.needOffer)).toEqual([1, 0]);
    expect(optimal.total).toBe(17);
    expect(solveGreedy(instance).total).toBe(10);
  });

  it('keeps a household under the per-household limit across its needs', () => {
    // Three needs of one household on o0 (capacity 3, one per household); n2 also has o1.
    const instance = instanceOf({
      capacity: [3, 1],
      limit: [1, 0],
      household: [0, 0, 0],
      edges: [
        [[0, 50]],
        [[0, 40]],
        [
          [0, 60],
          [1, 15],
        ],
      ],
    });
    const optimal = solveOptimal(instance);
    expectSound(instance, optimal);
    expect(optimal.total).toBe(65); // n0→o0 (50) + n2→o1 (15): beats n2→o0 (60) alone
    expect(optimal.duals?.group.length).toBe(1);
    const greedy = solveGreedy(instance);
    expectSound(instance, greedy);
    expect(greedy.total).toBe(60);
  });

  it('reports a progress call per phase and at least start and end of solving', () => {
    const instance = instanceOf({ capacity: [1], edges: [[[0, 1]], [[0, 2]]] });
    const phases: string[] = [];
    const onProgress = (phase: string, done: number, total: number) =>
      phases.push(`${phase} ${done}/${total}`);
    solveOptimal(instance, { onProgress, grow: 'needs' });
    expect(phases).toEqual(['building 0/2', 'solving 0/2', 'solving 2/2', 'done 2/2']);
    phases.length = 0;
    // Grown from offers, solving counts capacity units (one here), then ends as needs.
    solveOptimal(instance, { onProgress });
    expect(phases).toEqual(['building 0/2', 'solving 0/1', 'solving 2/2', 'done 2/2']);
  });

  it('gives the same certified optimum grown from needs or from offers on mid-sized synthetic instances', () => {
    for (const supply of [0.3, 0.8, 1.2, 1.5])
      for (const seed of [1, 2, 3]) {
        const instance = syntheticAllocation({ needs: 2000, offers: 200, k: 8, supply, seed });
        const byNeeds = solveOptimal(instance, { grow: 'needs' });
        const byOffers = solveOptimal(instance, { grow: 'offers' });
        expectSound(instance, byNeeds);
        expectSound(instance, byOffers);
        expect(byOffers.total).toBe(byNeeds.total);
        expect(solveGreedy(instance).total).toBeLessThanOrEqual(byNeeds.total);
      }
  });

  it('breaks greedy ties by need order, then offer order', () => {
    // Every edge scores 5: n0 takes o0 (its first), n1 finds o0 full and takes o1, n2 gets nothing.
    const instance = instanceOf({
      capacity: [1, 1],
      edges: [
        [
          [1, 5],
          [0, 5],
        ],
        [
          [0, 5],
          [1, 5],
        ],
        [
          [0, 5],
          [1, 5],
        ],
      ],
    });
    expect(Array.from(solveGreedy(instance).needOffer)).toEqual([0, 1, -1]);
  });
});
