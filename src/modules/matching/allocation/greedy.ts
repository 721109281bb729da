/**
 * The greedy plan reported beside the optimal one: edges by score, highest first (ties: need order, then
 * offer order), each taken while its need is free, its offer has room and its household is under the
 * offer's per-household limit.
 */
import { AllocationInstance, AllocationResult, ProgressListener } from './instance';
import { buildNetwork } from './network';

export function solveGreedy(
  instance: AllocationInstance,
  options: { onProgress?: ProgressListener } = {},
): AllocationResult {
  const { onProgress } = options;
  const { needCount: n, offerCount: m, edgeStart, edgeOffer, edgeScore, capacity } = instance;
  onProgress?.('building', 0, n);
  const network = buildNetwork(instance);
  const edgeCount = edgeOffer.length;
  const edgeNeed = new Int32Array(edgeCount);
  let maxScore = 0;
  for (let i = 0; i < n; i++)
    for (let e = edgeStart[i]; e < edgeStart[i + 1]; e++) {
      edgeNeed[e] = i;
      if (edgeScore[e] > maxScore) maxScore = edgeScore[e];
    }
  onProgress?.('solving', 0, n);
  // Edges are stored by need, then offer: the edge index is the tie order. One numeric sort of
  // (maxScore − score)·E + e when that stays exact in a double, else a comparator sort.
  let order: ArrayLike<number>;
  if ((maxScore + 1) * edgeCount < Number.MAX_SAFE_INTEGER) {
    const keys = new Float64Array(edgeCount);
    for (let e = 0; e < edgeCount; e++) keys[e] = (maxScore - edgeScore[e]) * edgeCount + e;
    keys.sort();
    for (let k = 0; k < edgeCount; k++) keys[k] = keys[k] % edgeCount;
    order = keys;
  } else {
    const indices = new Int32Array(edgeCount);
    for (let e = 0; e < edgeCount; e++) indices[e] = e;
    order = Array.from(indices).sort((a, b) => edgeScore[b] - edgeScore[a] || a - b);
  }

  const needOffer = new Int32Array(n).fill(-1);
  const offerUsed = new Int32Array(m);
  const groupUsed = new Int32Array(network.groupCount);
  const groupBase = n + m;
  let total = 0;
  let assigned = 0;
  for (let k = 0; k < edgeCount; k++) {
    const e = order[k];
    const i = edgeNeed[e];
    if (needOffer[i] >= 0) continue;
    const o = edgeOffer[e];
    if (offerUsed[o] >= capacity[o]) continue;
    const head = network.edgeHead[e];
    if (head >= groupBase) {
      const g = head - groupBase;
      if (groupUsed[g] >= network.groupLimit[g]) continue;
      groupUsed[g]++;
    }
    offerUsed[o]++;
    needOffer[i] = o;
    total += edgeScore[e];
    assigned++;
  }
  onProgress?.('done', n, n);
  return { strategy: 'greedy', total, assigned, needOffer };
}
