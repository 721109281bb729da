/**
 * The batch-allocation problem in its compact form: needs and offers are indices, the candidate edges a
 * CSR list per need, every array typed. This is what the solvers, the worker runner and the bench take
 * (a 100k × 10k instance with 50 candidates per need is 5M edges: objects per edge would not fit).
 * `fromInput` (allocation-input.ts) builds it from ids.
 *
 * Invariants (checked by `assertInstance`): edges of need i are edgeOffer[edgeStart[i] .. edgeStart[i+1]),
 * sorted by offer index, no offer twice; every score an integer > 0; capacities integers ≥ 0;
 * perHouseholdLimit 0 = unlimited, else ≥ 1; household −1 = a household of its own.
 */
export interface AllocationInstance {
  needCount: number;
  offerCount: number;
  /** Per offer: how many needs it can take (free capacity). */
  capacity: Int32Array;
  /** Per offer: how many of one household's needs it can take; 0 = unlimited. */
  perHouseholdLimit: Int32Array;
  /** Per need: its household (dense index ≥ 0), or −1 when it shares its household with no other need. */
  household: Int32Array;
  /** needCount + 1 offsets into edgeOffer / edgeScore. */
  edgeStart: Int32Array;
  edgeOffer: Int32Array;
  /** Integer scores > 0 (real scores scaled, e.g. ×10⁴). */
  edgeScore: Int32Array;
}

export type AllocationStrategy = 'optimal' | 'greedy';

export interface AllocationResult {
  strategy: AllocationStrategy;
  /** Σ score of the assigned edges. */
  total: number;
  /** Optimal only: the dual objective of the LP relaxation (an upper bound on every plan); total == bound proves optimality. */
  bound?: number;
  assigned: number;
  /** Per need: the offer index it gets, or −1. */
  needOffer: Int32Array;
  /** Optimal only: the dual solution behind `bound` (per need, per offer, per household group). */
  duals?: AllocationDuals;
}

export interface AllocationDuals {
  need: Float64Array;
  offer: Float64Array;
  /** Per (household, offer) group whose limit can bind: its dual, with the group's offer, household and limit. */
  group: Float64Array;
  groupOffer: Int32Array;
  groupHousehold: Int32Array;
}

export type AllocationPhase = 'building' | 'solving' | 'done';

/**
 * Called now and then by the solvers (synchronously); `done`/`total` count needs, or capacity units while
 * the optimal solver grows the flow from the offers' side.
 */
export type ProgressListener = (phase: AllocationPhase, done: number, total: number) => void;

/** Throws on the first broken invariant of the compact form (a bug in the caller, not user input). */
export function assertInstance(instance: AllocationInstance): void {
  const { needCount, offerCount, capacity, perHouseholdLimit, household, edgeStart, edgeOffer, edgeScore } =
    instance;
  const fail = (message: string): never => {
    throw new Error(`invalid allocation instance: ${message}`);
  };
  if (!Number.isInteger(needCount) || needCount < 0) fail('needCount');
  if (!Number.isInteger(offerCount) || offerCount < 0) fail('offerCount');
  if (capacity.length !== offerCount || perHouseholdLimit.length !== offerCount) fail('offer arrays length');
  if (household.length !== needCount || edgeStart.length !== needCount + 1) fail('need arrays length');
  if (
    edgeStart[0] !== 0 ||
    edgeStart[needCount] !== edgeOffer.length ||
    edgeScore.length !== edgeOffer.length
  )
    fail('edge arrays length');
  for (let o = 0; o < offerCount; o++) {
    if (capacity[o] < 0) fail(`offer ${o} capacity < 0`);
    if (perHouseholdLimit[o] < 0) fail(`offer ${o} perHouseholdLimit < 0`);
  }
  for (let i = 0; i < needCount; i++) {
    if (household[i] < -1) fail(`need ${i} household`);
    if (edgeStart[i + 1] < edgeStart[i]) fail(`need ${i} edgeStart`);
    for (let e = edgeStart[i]; e < edgeStart[i + 1]; e++) {
      const o = edgeOffer[e];
      if (o < 0 || o >= offerCount) fail(`edge ${e} offer ${o}`);
      if (e > edgeStart[i] && edgeOffer[e - 1] >= o) fail(`need ${i} edges not sorted by offer / repeated`);
      if (edgeScore[e] <= 0) fail(`edge ${e} score ≤ 0`);
    }
  }
}

/** Σ score of a plan (per need: offer index or −1), looking each edge up in the need's list. */
export function planTotal(instance: AllocationInstance, needOffer: Int32Array): number {
  let total = 0;
  for (let i = 0; i < instance.needCount; i++) {
    const o = needOffer[i];
    if (o < 0) continue;
    const e = findEdge(instance, i, o);
    if (e < 0) throw new Error(`need ${i} has no edge to offer ${o}`);
    total += instance.edgeScore[e];
  }
  return total;
}

/** The edge index of (need, offer), or −1 (binary search: edges are sorted by offer). */
export function findEdge(instance: AllocationInstance, need: number, offer: number): number {
  let lo = instance.edgeStart[need];
  let hi = instance.edgeStart[need + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const o = instance.edgeOffer[mid];
    if (o === offer) return mid;
    if (o < offer) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
