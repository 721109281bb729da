/**
 * Exact batch allocation: min-cost flow by successive shortest paths, one need at a time (the
 * Jonker–Volgenant way of growing an assignment row by row), Dijkstra with Johnson potentials on an
 * indexed binary heap over typed arrays.
 *
 * Each need gets an extra edge need → sink of cost 0 ("stays unassigned"), so every need sends exactly
 * one unit and the problem is a transportation problem. The needs are added one by one: before need s is
 * added the flow is a min-cost flow for the needs added so far (its residual graph has no negative
 * cycle, certified by potentials p with reduced costs c + p[u] − p[v] ≥ 0 on every residual edge); one
 * unit from s along a shortest s → sink path keeps it min-cost (the successive-shortest-path theorem),
 * so after the last need the flow is optimal. A search stops as soon as the heap's minimum reaches the
 * best sink distance D found so far (usually after a handful of nodes: an offer with room left, or a
 * need that gives its offer up), and only the nodes it settled get their potential moved
 * (p[v] += d[v] − D), which keeps every reduced cost ≥ 0. A search from one need rather than from a
 * global source is what keeps it fast: from a source joined to every unassigned need each Dijkstra would
 * sweep the whole graph.
 *
 * Edges out of the sink are never searched (no shortest path to the sink passes through it), so offers
 * only ever fill up, and an offer's potential only goes down: open offers keep p = 0, full ones p ≤ 0.
 * That gives the LP duals directly (duals below): v_o = −p[o], w_g = p[offer(g)] − p[g], u_i the
 * smallest value that covers the need's edges; `bound` = Σu + Σ capacity·v + Σ limit·w is the dual
 * objective, an upper bound on every plan, and equal to the total only for an optimal one.
 *
 * When supply is scarce this growth is slow (every need beyond the capacity searches the whole alternating
 * tree before it is turned away), so `solveOptimal` then grows the same flow one unit of offer capacity at
 * a time instead (optimal-by-offers.ts); `grow` forces either side.
 */
import { AllocationDuals, AllocationInstance, AllocationResult, ProgressListener } from './instance';
import { solveByOfferUnits } from './optimal-by-offers';
import { AllocationNetwork, buildNetwork } from './network';

export interface OptimalOptions {
  onProgress?: ProgressListener;
  /**
   * Which side the flow is grown from: one need at a time (optimal.ts) or one unit of an offer's
   * capacity at a time (optimal-by-offers.ts). Both are exact; `auto` (default) grows from the scarcer
   * side: offers when their total usable capacity is below the number of needs with candidates.
   */
  grow?: 'needs' | 'offers' | 'auto';
  /** Needs added between two progress calls (default 4096). */
  progressEvery?: number;
}

export function solveOptimal(instance: AllocationInstance, options: OptimalOptions = {}): AllocationResult {
  const { onProgress, progressEvery = 4096, grow = 'auto' } = options;
  onProgress?.('building', 0, instance.needCount);
  const network = buildNetwork(instance);
  if (grow === 'offers' || (grow === 'auto' && scarce(instance))) {
    const { assignedEdge, p } = solveByOfferUnits(instance, network, onProgress, progressEvery);
    onProgress?.('solving', instance.needCount, instance.needCount);
    return resultOf(instance, network, assignedEdge, mirroredDuals(instance, network, p), onProgress);
  }
  const { needCount: n, offerCount: m, groupCount } = network;
  const { edgeStart, edgeScore, capacity } = instance;
  const { edgeHead, groupOffer, groupLimit } = network;
  const nodeCount = n + m + groupCount;

  const p = new Float64Array(nodeCount);
  const assignedEdge = new Int32Array(n).fill(-1);
  // Offers and groups, indexed by node − n: flow out (to the sink / to the offer) and its capacity.
  const used = new Int32Array(m + groupCount);
  const room = new Int32Array(m + groupCount);
  room.set(capacity, 0);
  room.set(groupLimit, m);
  // Children of an offer or group (the nodes sending it flow: needs, or groups for an offer), as
  // doubly linked lists keyed by the child node (a node has at most one parent at a time).
  const childHead = new Int32Array(m + groupCount).fill(-1);
  const childNext = new Int32Array(nodeCount).fill(-1);
  const childPrev = new Int32Array(nodeCount).fill(-1);
  const addChild = (parent: number, child: number) => {
    const head = childHead[parent - n];
    childNext[child] = head;
    childPrev[child] = -1;
    if (head >= 0) childPrev[head] = child;
    childHead[parent - n] = child;
  };
  const removeChild = (parent: number, child: number) => {
    const next = childNext[child];
    const prev = childPrev[child];
    if (prev >= 0) childNext[prev] = next;
    else childHead[parent - n] = next;
    if (next >= 0) childPrev[next] = prev;
    childNext[child] = childPrev[child] = -1;
  };

  // Dijkstra state, reset after each search for the nodes it touched only.
  const dist = new Float64Array(nodeCount).fill(Infinity);
  const pred = new Int32Array(nodeCount);
  const predEdge = new Int32Array(nodeCount);
  const heap = new Int32Array(nodeCount);
  const heapPos = new Int32Array(nodeCount).fill(-1); // −1 unseen, −2 settled, ≥ 0 position in heap
  const touched = new Int32Array(nodeCount);
  const settled = new Int32Array(nodeCount);
  const path = new Int32Array(nodeCount);
  let heapSize = 0;

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
  const popMin = (): number => {
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
    return top;
  };

  let touchedCount = 0;
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

  for (let s = 0; s < n; s++) {
    if (onProgress && s % progressEvery === 0) onProgress('solving', s, n);
    const first = edgeStart[s];
    const last = edgeStart[s + 1];
    if (first === last) continue;
    // A potential for the new need that makes its edges' reduced costs ≥ 0 (nothing enters it yet).
    let ps = 0;
    for (let e = first; e < last; e++) {
      const value = edgeScore[e] + p[edgeHead[e]];
      if (value > ps) ps = value;
    }
    p[s] = ps;

    // Best way to the sink so far: the new need's own "unassigned" edge, reduced cost p[s] − p[sink] = p[s].
    let best = ps;
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
        // A need: its other edges forward; if it is assigned, giving its offer up (its unassigned edge).
        const own = assignedEdge[u];
        if (u !== s && du + pu < best) {
          best = du + pu;
          sinkPred = u;
        }
        for (let e = edgeStart[u], end = edgeStart[u + 1]; e < end; e++) {
          if (e === own) continue;
          const v = edgeHead[e];
          relax(v, du - edgeScore[e] + pu - p[v], u, e);
        }
      } else {
        const k = u - n;
        if (k < m) {
          if (used[k] < room[k] && du + pu < best) {
            best = du + pu;
            sinkPred = u;
          }
        } else if (used[k] < room[k]) {
          const offer = n + groupOffer[k - m];
          relax(offer, du + pu - p[offer], u, -1);
        }
        // Back along the flow: to each need (or group) sending this node a unit.
        for (let c = childHead[k]; c >= 0; c = childNext[c]) {
          const cost = c < n ? edgeScore[assignedEdge[c]] : 0;
          relax(c, du + cost + pu - p[c], u, -1);
        }
      }
    }

    for (let k = 0; k < settledCount; k++) {
      const v = settled[k];
      p[v] += dist[v] - best;
    }

    // Augment along s → … → sinkPred → sink, walked forward so a need leaves its old parent's list
    // before it joins its new one.
    let length = 0;
    for (let v = sinkPred; v !== s; v = pred[v]) path[length++] = v;
    path[length++] = s;
    for (let k = length - 1; k > 0; k--) {
      const a = path[k];
      const b = path[k - 1];
      if (a < n) {
        assignedEdge[a] = predEdge[b];
        addChild(b, a);
      } else if (b < n) {
        removeChild(a, b);
        assignedEdge[b] = -1;
      } else if (a - n >= m) {
        // group → its offer, forward
        if (used[a - n]++ === 0) addChild(b, a);
      } else {
        // offer → group, backward
        if (--used[b - n] === 0) removeChild(a, b);
      }
    }
    if (sinkPred >= n) used[sinkPred - n]++;

    for (let k = 0; k < touchedCount; k++) {
      const v = touched[k];
      dist[v] = Infinity;
      heapPos[v] = -1;
    }
  }
  onProgress?.('solving', n, n);
  return resultOf(instance, network, assignedEdge, dualsOf(instance, network, p), onProgress);
}

function resultOf(
  instance: AllocationInstance,
  network: AllocationNetwork,
  assignedEdge: Int32Array,
  duals: { bound: number; duals: AllocationDuals },
  onProgress: ProgressListener | undefined,
): AllocationResult {
  const n = instance.needCount;
  const needOffer = new Int32Array(n).fill(-1);
  let total = 0;
  let assigned = 0;
  for (let i = 0; i < n; i++) {
    const e = assignedEdge[i];
    if (e < 0) continue;
    needOffer[i] = instance.edgeOffer[e];
    total += instance.edgeScore[e];
    assigned++;
  }
  onProgress?.('done', n, n);
  return { strategy: 'optimal', total, bound: duals.bound, assigned, needOffer, duals: duals.duals };
}

/** Supply below demand: Σ min(capacity, candidates) over offers < needs with at least one candidate. */
function scarce(instance: AllocationInstance): boolean {
  const { needCount: n, offerCount: m, edgeStart, edgeOffer, capacity } = instance;
  const degree = new Int32Array(m);
  for (let e = 0; e < edgeOffer.length; e++) degree[edgeOffer[e]]++;
  let supply = 0;
  for (let o = 0; o < m; o++) supply += Math.min(capacity[o], degree[o]);
  let demand = 0;
  for (let i = 0; i < n; i++) if (edgeStart[i + 1] > edgeStart[i]) demand++;
  return supply < demand;
}

/**
 * The duals of a flow grown by offer units (optimal-by-offers.ts): v_o = p[o], w_g = p[g] − p[offer],
 * u_i covering; an offer without capacity is never reached and gets its best score (free in the bound).
 */
function mirroredDuals(
  instance: AllocationInstance,
  network: AllocationNetwork,
  p: Float64Array,
): { bound: number; duals: AllocationDuals } {
  const { needCount: n, offerCount: m } = network;
  const offer = new Float64Array(m);
  for (let o = 0; o < m; o++) offer[o] = Math.max(0, p[n + o]);
  for (let e = 0; e < instance.edgeOffer.length; e++) {
    const o = instance.edgeOffer[e];
    if (instance.capacity[o] === 0 && instance.edgeScore[e] > offer[o]) offer[o] = instance.edgeScore[e];
  }
  const group = new Float64Array(network.groupCount);
  for (let g = 0; g < network.groupCount; g++)
    group[g] = Math.max(0, p[n + m + g] - p[n + network.groupOffer[g]]);
  return dualObjective(instance, network, offer, group);
}

/**
 * Dual of the LP  max Σ s_e x_e  s.t.  Σ_{e ∋ i} x_e ≤ 1 (u_i),  Σ_{e ∋ o} x_e ≤ capacity_o (v_o),
 * Σ_{e ∈ g} x_e ≤ limit_g (w_g),  x ≥ 0:  min Σu + Σ capacity·v + Σ limit·w  s.t.  u_i + v_o + w_g ≥ s_e,
 * u, v, w ≥ 0. Offer and group duals come from the potentials; each u_i is then the least value that
 * covers its need's edges, so the solution is feasible whatever the potentials (the bound is always
 * valid) and tight exactly when the potentials certify the plan.
 */
function dualsOf(
  instance: AllocationInstance,
  network: AllocationNetwork,
  p: Float64Array,
): { bound: number; duals: AllocationDuals } {
  const { needCount: n, offerCount: m, groupCount, groupOffer } = network;
  const offer = new Float64Array(m);
  const group = new Float64Array(groupCount);
  for (let o = 0; o < m; o++) offer[o] = Math.max(0, -p[n + o]);
  for (let g = 0; g < groupCount; g++) group[g] = Math.max(0, p[n + groupOffer[g]] - p[n + m + g]);
  return dualObjective(instance, network, offer, group);
}

/** Given offer and group duals: each need's least covering dual, and the dual objective. */
function dualObjective(
  instance: AllocationInstance,
  network: AllocationNetwork,
  offer: Float64Array,
  group: Float64Array,
): { bound: number; duals: AllocationDuals } {
  const {
    needCount: n,
    offerCount: m,
    groupCount,
    edgeHead,
    groupOffer,
    groupLimit,
    groupHousehold,
  } = network;
  const need = new Float64Array(n);
  let bound = 0;
  for (let o = 0; o < m; o++) bound += instance.capacity[o] * offer[o];
  for (let g = 0; g < groupCount; g++) bound += groupLimit[g] * group[g];
  for (let i = 0; i < n; i++) {
    let u = 0;
    for (let e = instance.edgeStart[i]; e < instance.edgeStart[i + 1]; e++) {
      const head = edgeHead[e];
      const slack =
        instance.edgeScore[e] - offer[instance.edgeOffer[e]] - (head >= n + m ? group[head - n - m] : 0);
      if (slack > u) u = slack;
    }
    need[i] = u;
    bound += u;
  }
  return { bound, duals: { need, offer, group, groupOffer, groupHousehold } };
}
