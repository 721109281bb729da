/**
 * Synthetic allocation instances for the bench and tests (deterministic for a seed): `needs` needs in households of 1–3 needs,
 * `offers` offers, K candidate offers per need drawn with a popularity skew (some offers are wanted by
 * many), integer scores in [1, 10000] (a [0, 1] score ×10⁴), total capacity = supply × needs spread
 * over the offers, and a per-household limit of 1 on a third of the offers.
 */
import { AllocationInstance } from './instance';

/** mulberry32 (as bench/harness.ts): a small deterministic PRNG in [0, 1). */
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

export function syntheticAllocation(options: {
  needs: number;
  offers: number;
  k: number;
  supply: number;
  seed: number;
}): AllocationInstance {
  const { needs: n, offers: m, supply, seed } = options;
  const k = Math.min(options.k, m);
  const random = prng(seed);
  const household = new Int32Array(n);
  let h = 0;
  for (let i = 0; i < n;) {
    const size = 1 + Math.floor(random() * 3);
    for (let j = 0; j < size && i < n; j++) household[i++] = h;
    h++;
  }
  const capacity = new Int32Array(m);
  const totalCapacity = Math.round(supply * n);
  for (let c = 0; c < totalCapacity; c++) capacity[Math.floor(random() * random() * m)]++;
  const perHouseholdLimit = new Int32Array(m);
  for (let o = 0; o < m; o++) perHouseholdLimit[o] = random() < 1 / 3 ? 1 : 0;
  const edgeStart = new Int32Array(n + 1);
  const edgeOffer = new Int32Array(n * k);
  const edgeScore = new Int32Array(n * k);
  const chosen = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    let count = 0;
    while (count < k) {
      // Popularity skew: low indices (the big offers) are candidates more often.
      const r = random();
      const o = Math.floor(r * Math.sqrt(r) * m); // r^1.5 without Math.pow, whose last bit may differ between JIT tiers
      let seen = false;
      for (let j = 0; j < count; j++) if (chosen[j] === o) seen = true;
      if (!seen) chosen[count++] = o;
    }
    const sorted = chosen.slice(0, count).sort();
    const base = i * k;
    for (let j = 0; j < count; j++) {
      edgeOffer[base + j] = sorted[j];
      edgeScore[base + j] = 1 + Math.floor(random() * 10000);
    }
    edgeStart[i + 1] = base + count;
  }
  return {
    needCount: n,
    offerCount: m,
    capacity,
    perHouseholdLimit,
    household,
    edgeStart,
    edgeOffer,
    edgeScore,
  };
}
