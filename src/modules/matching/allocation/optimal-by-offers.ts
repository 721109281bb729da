/**
 * The same exact min-cost flow as optimal.ts, grown from the other side: one unit of an offer's capacity
 * at a time instead of one need at a time. Used when supply is scarce (total capacity below the number
 * of needs): growing by needs, every need beyond the capacity has to search the whole alternating tree
 * of the needs already placed before it is turned away, while a unit of capacity almost always finds a
 * free need among its first candidates.
 *
 * Network, mirrored: offer → need (cap 1, cost −score), or offer → group (cap limit, cost 0) → need for
 * a (household, offer) group whose limit can bind (network.ts); need → sink (cap 1, cost 0: "taken");
 * offer → sink (cost 0: "unit left unused"). A unit of offer s is added by a Dijkstra search from s with
 * Johnson potentials (reduced cost c + p[u] − p[v] ≥ 0 on every residual arc), stopped once the heap's
 * minimum reaches the best way to the sink; only settled nodes move their potential, as in optimal.ts.
 * Offers are added in index order, all their units one after the other; an offer is first reached only
 * when its first unit is added, so its potential (and its groups') is set then, high enough for its arcs.
 *
 * Duals: v_o = p[o] (≥ 0: the "unused" arc), w_g = max(0, p[g] − p[offer]), u_i the least value covering
 * the need's edges; an offer without capacity gets v_o = its best score (it costs nothing in the bound).
 */
import { AllocationInstance, ProgressListener } from './instance';
import { AllocationNetwork } from './network';

export function solveByOfferUnits(
  instance: AllocationInstance,
  network: AllocationNetwork,
  onProgress: ProgressListener | undefined,
  progressEvery: number,
): { assignedEdge: Int32Array; p: Float64Array } {
  const { needCount: n, offerCount: m, edgeStart, edgeScore, edgeOffer, capacity } = instance;
  const { groupCount, edgeHead, groupOffer, groupLimit } = network;
  // Nodes: needs [0, n), offers [n, n + m), groups [n + m, n + m + groupCount) (network.ts numbering).
  const nodeCount = n + m + groupCount;
  const edgeCount = edgeOffer.length;

  // Per offer or group (index node − n): the edges entering it from needs, as (need, edge) lists.
  const outStart = new Int32Array(m + groupCount + 1);
  for (let e = 0; e < edgeCount; e++) outStart[edgeHead[e] - n + 1]++;
  for (let k = 0; k < m + groupCount; k++) outStart[k + 1] += outStart[k];
  const outEdge = new Int32Array(edgeCount);
  const outNeed = new Int32Array(edgeCount);
  const fill = outStart.slice(0, m + groupCount);
  for (let i = 0; i < n; i++)
    for (let e = edgeStart[i]; e < edgeStart[i + 1]; e++) {
      const at = fill[edgeHead[e] - n]++;
      outEdge[at] = e;
      outNeed[at] = i;
    }
  // Per offer: its groups.
  const groupStart = new Int32Array(m + 1);
  for (let g = 0; g < groupCount; g++) groupStart[groupOffer[g] + 1]++;
  for (let o = 0; o < m; o++) groupStart[o + 1] += groupStart[o];
  const groupsOf = new Int32Array(groupCount);
  const groupFill = groupStart.slice(0, m);
  for (let g = 0; g < groupCount; g++) groupsOf[groupFill[groupOffer[g]]++] = g;

  const p = new Float64Array(nodeCount);
  const assignedEdge = new Int32Array(n).fill(-1);
  const groupUsed = new Int32Array(groupCount);

  const dist = new Float64Array(nodeCount).fill(Infinity);
  const pred = new Int32Array(nodeCount);
  const predEdge = new Int32Array(nodeCount);
  const heap = new Int32Array(nodeCount);
  const heapPos = new Int32Array(nodeCount).fill(-1);
  const touched = new Int32Array(nodeCount);
  const settled = new Int32Array(nodeCount);
  let heapSize = 0;
  let touchedCount = 0;

  const siftUp = (at: number) => {
    const node = heap[at];
    const key = dist[node];
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const other = heap[parent];
      if (dist[other] <= key) break;
      heap[at] = other;
      heapPos[other] = at;
      at = parent;
    }
    heap[at] = node;
    heapPos[node] = at;
  };
  const popMin = () => {
    const top = heap[0];
    const last = heap[--heapSize];
    if (heapSize > 0) {
      const key = dist[last];
      let at = 0;
      for (;;) {
        let child = 2 * at + 1;
        if (child >= heapSize) break;
        if (child + 1 < heapSize && dist[heap[child + 1]] < dist[heap[child]]) child++;
        const other = heap[child];
        if (dist[other] >= key) break;
        heap[at] = other;
        heapPos[other] = at;
        at = child;
      }
      heap[at] = last;
      heapPos[last] = at;
    }
    heapPos[top] = -2;
  };
  const relax = (v: number, d: number, from: number, edge: number) => {
    const pos = heapPos[v];
    if (pos === -2 || d >= dist[v]) return;
    if (pos === -1) {
      touched[touchedCount++] = v;
      dist[v] = d;
      heap[heapSize] = v;
      siftUp(heapSize++);
    } else {
      dist[v] = d;
      siftUp(pos);
    }
    pred[v] = from;
    predEdge[v] = edge;
  };

  let units = 0;
  for (let o = 0; o < m; o++) units += capacity[o];
  let unit = 0; // progress counts capacity units; an offer's units beyond what it adds are skipped at once

  for (let o = 0; o < m; o++) {
    const s = n + o;
    // More units than the offer has candidate needs can never all be used: one more than that is
    // enough (the last one is left unused, which also sets the offer's potential to 0, its dual).
    let degree = outStart[o + 1] - outStart[o];
    for (let j = groupStart[o]; j < groupStart[o + 1]; j++)
      degree += outStart[m + groupsOf[j] + 1] - outStart[m + groupsOf[j]];
    const unitsOf = Math.min(capacity[o], degree + 1);
    if (degree === 0 || unitsOf === 0) {
      unit += capacity[o];
      continue;
    }
    // First unit: potentials for the offer's groups and the offer itself that make their arcs' reduced
    // costs ≥ 0 (nothing enters them yet).
    let ps = 0;
    for (let k = outStart[o]; k < outStart[o + 1]; k++) {
      const value = edgeScore[outEdge[k]] + p[outNeed[k]];
      if (value > ps) ps = value;
    }
    for (let j = groupStart[o]; j < groupStart[o + 1]; j++) {
      const g = groupsOf[j];
      let pg = 0;
      for (let k = outStart[m + g]; k < outStart[m + g + 1]; k++) {
        const value = edgeScore[outEdge[k]] + p[outNeed[k]];
        if (value > pg) pg = value;
      }
      p[n + m + g] = pg;
      if (pg > ps) ps = pg;
    }
    p[s] = ps;

    for (let c = 0; c < unitsOf; c++, unit++) {
      if (onProgress && unit % progressEvery === 0) onProgress('solving', unit, units);
      let best = p[s]; // this unit left unused
      let sinkPred = s;
      touchedCount = 0;
      let settledCount = 0;
      touched[touchedCount++] = s;
      dist[s] = 0;
      heap[0] = s;
      heapPos[s] = 0;
      heapSize = 1;
      while (heapSize > 0) {
        const u = heap[0];
        const du = dist[u];
        if (du >= best) break;
        popMin();
        settled[settledCount++] = u;
        const pu = p[u];
        if (u < n) {
          const own = assignedEdge[u];
          if (own < 0) {
            // A free need: taken.
            if (du + pu < best) {
              best = du + pu;
              sinkPred = u;
            }
          } else {
            // Taken elsewhere: back along its arc to its offer or group.
            const h = edgeHead[own];
            relax(h, du + edgeScore[own] + pu - p[h], u, own);
          }
        } else {
          const k = u - n;
          if (k < m) {
            if (u !== s && du + pu < best) {
              best = du + pu;
              sinkPred = u;
            }
            for (let j = groupStart[k]; j < groupStart[k + 1]; j++) {
              const g = groupsOf[j];
              if (groupUsed[g] < groupLimit[g]) relax(n + m + g, du + pu - p[n + m + g], u, -1);
            }
          } else if (groupUsed[k - m] > 0) {
            const offer = n + groupOffer[k - m];
            relax(offer, du + pu - p[offer], u, -1);
          }
          for (let a = outStart[k], end = outStart[k + 1]; a < end; a++) {
            const e = outEdge[a];
            const i = outNeed[a];
            if (assignedEdge[i] === e) continue;
            relax(i, du - edgeScore[e] + pu - p[i], u, e);
          }
        }
      }
      for (let k = 0; k < settledCount; k++) {
        const v = settled[k];
        p[v] += dist[v] - best;
      }
      // Augment, walking back from the end so a need is unassigned before it is assigned again.
      for (let v = sinkPred; v !== s;) {
        const u = pred[v];
        if (v < n) {
          assignedEdge[v] = predEdge[v]; // offer/group → need, forward
        } else if (u < n) {
          assignedEdge[u] = -1; // need → its offer/group, backward
        } else if (v - n >= m) {
          groupUsed[v - n - m]++; // offer → group, forward
        } else {
          groupUsed[u - n - m]--; // group → offer, backward
        }
        v = u;
      }
      for (let k = 0; k < touchedCount; k++) {
        const v = touched[k];
        dist[v] = Infinity;
        heapPos[v] = -1;
      }
    }
    unit += capacity[o] - unitsOf;
  }
  return { assignedEdge, p };
}
