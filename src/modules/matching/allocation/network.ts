/**
 * The flow network of an instance (typed arrays only). Nodes: needs [0, N), offers [N, N+M), then one
 * node per (household, offer) group whose per-household limit can bind — a household with more needs on
 * the offer than the limit allows. Every other edge runs need → offer directly: a limit at least the
 * household's count of needs on the offer can never be reached, so it needs no node.
 *
 *   source → need (cap 1) → group (cap 1, cost −score) → offer (cap limit) → sink (cap capacity)
 *                         ↘ offer directly (cap 1, cost −score)
 */
import { AllocationInstance } from './instance';

export interface AllocationNetwork {
  needCount: number;
  offerCount: number;
  groupCount: number;
  /** Per edge (same indices as the instance's edges): the node it enters, an offer or a group node. */
  edgeHead: Int32Array;
  /** Per group: its offer index, household and limit. */
  groupOffer: Int32Array;
  groupHousehold: Int32Array;
  groupLimit: Int32Array;
}

export function buildNetwork(instance: AllocationInstance): AllocationNetwork {
  const { needCount: n, offerCount: m, household, edgeStart, edgeOffer, perHouseholdLimit } = instance;
  const edgeHead = new Int32Array(edgeOffer.length);
  for (let e = 0; e < edgeOffer.length; e++) edgeHead[e] = n + edgeOffer[e];

  // Needs ordered by household (counting sort), households with one need skipped.
  let households = 0;
  for (let i = 0; i < n; i++) if (household[i] + 1 > households) households = household[i] + 1;
  const householdStart = new Int32Array(households + 1);
  for (let i = 0; i < n; i++) if (household[i] >= 0) householdStart[household[i] + 1]++;
  for (let h = 0; h < households; h++) householdStart[h + 1] += householdStart[h];
  const fill = householdStart.slice(0, households);
  const members = new Int32Array(householdStart[households]);
  for (let i = 0; i < n; i++) if (household[i] >= 0) members[fill[household[i]]++] = i;

  const count = new Int32Array(m);
  const groupOf = new Int32Array(m).fill(-1);
  const touched: number[] = [];
  const groupOffer: number[] = [];
  const groupHousehold: number[] = [];
  const groupLimit: number[] = [];
  for (let h = 0; h < households; h++) {
    const from = householdStart[h];
    const to = householdStart[h + 1];
    if (to - from < 2) continue;
    for (let k = from; k < to; k++) {
      const i = members[k];
      for (let e = edgeStart[i]; e < edgeStart[i + 1]; e++) {
        const o = edgeOffer[e];
        if (perHouseholdLimit[o] === 0) continue;
        if (count[o]++ === 0) touched.push(o);
      }
    }
    for (const o of touched) {
      if (count[o] > perHouseholdLimit[o]) {
        groupOf[o] = n + m + groupOffer.length;
        groupOffer.push(o);
        groupHousehold.push(h);
        groupLimit.push(perHouseholdLimit[o]);
      }
    }
    for (let k = from; k < to; k++) {
      const i = members[k];
      for (let e = edgeStart[i]; e < edgeStart[i + 1]; e++) {
        const g = groupOf[edgeOffer[e]];
        if (g >= 0) edgeHead[e] = g;
      }
    }
    for (const o of touched) {
      count[o] = 0;
      groupOf[o] = -1;
    }
    touched.length = 0;
  }
  return {
    needCount: n,
    offerCount: m,
    groupCount: groupOffer.length,
    edgeHead,
    groupOffer: Int32Array.from(groupOffer),
    groupHousehold: Int32Array.from(groupHousehold),
    groupLimit: Int32Array.from(groupLimit),
  };
}
