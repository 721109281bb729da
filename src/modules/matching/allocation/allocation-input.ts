/**
 * The JSON form of an allocation instance (the `npm run allocate` input), validated and turned into the
 * compact form. The first problem found is refused with a message naming where it is.
 *
 *   {"needs":[{"id":"n1","household":"h1","edges":[{"offer":"o1","score":730}]}],
 *    "offers":[{"id":"o1","capacity":3,"perHouseholdLimit":1}]}
 *
 * household and perHouseholdLimit are optional (no household: the need is a household of its own; no
 * limit: unlimited). Scores are integers in [1, 2³¹ − 1], capacities integers ≥ 0.
 */
import { AllocationInstance, AllocationResult } from './instance';

export class AllocationInputError extends Error {}

export interface ParsedAllocationInput {
  instance: AllocationInstance;
  needIds: string[];
  offerIds: string[];
}

const MAX_INT32 = 2 ** 31 - 1;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function parseAllocationInput(text: string): ParsedAllocationInput {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new AllocationInputError(`JSON 格式错误: ${(error as Error).message}`);
  }
  return allocationInputFrom(data);
}

export function allocationInputFrom(data: unknown): ParsedAllocationInput {
  const fail = (message: string): never => {
    throw new AllocationInputError(message);
  };
  if (!isObject(data)) fail('输入必须是对象 {"needs": [...], "offers": [...]}');
  const root = data as Record<string, unknown>;
  if (!Array.isArray(root.offers)) fail('offers 必须是数组');
  if (!Array.isArray(root.needs)) fail('needs 必须是数组');
  const offers = root.offers as unknown[];
  const needs = root.needs as unknown[];
  const isId = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

  const offerIndex = new Map<string, number>();
  const capacity = new Int32Array(offers.length);
  const perHouseholdLimit = new Int32Array(offers.length);
  offers.forEach((offer, o) => {
    const at = `offers[${o}]`;
    if (!isObject(offer)) fail(`${at} 必须是对象`);
    const { id, capacity: cap, perHouseholdLimit: limit } = offer as Record<string, unknown>;
    if (!isId(id)) fail(`${at}.id 必须是非空字符串`);
    if (offerIndex.has(id as string)) fail(`${at}.id 重复: "${id as string}"`);
    offerIndex.set(id as string, o);
    if (typeof cap !== 'number' || !Number.isInteger(cap) || cap < 0 || cap > MAX_INT32)
      fail(`${at} ("${id as string}").capacity 必须是非负整数, 得到 ${JSON.stringify(cap)}`);
    capacity[o] = cap as number;
    if (limit !== undefined && limit !== null) {
      if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_INT32)
        fail(`${at} ("${id as string}").perHouseholdLimit 必须是正整数, 得到 ${JSON.stringify(limit)}`);
      perHouseholdLimit[o] = limit as number;
    }
  });

  const needIndex = new Set<string>();
  const householdIndex = new Map<string, number>();
  const household = new Int32Array(needs.length).fill(-1);
  const edgeStart = new Int32Array(needs.length + 1);
  const offersOf: number[][] = [];
  const scoresOf: number[][] = [];
  needs.forEach((need, i) => {
    const at = `needs[${i}]`;
    if (!isObject(need)) fail(`${at} 必须是对象`);
    const { id, household: h, edges } = need as Record<string, unknown>;
    if (!isId(id)) fail(`${at}.id 必须是非空字符串`);
    if (needIndex.has(id as string)) fail(`${at}.id 重复: "${id as string}"`);
    needIndex.add(id as string);
    if (h !== undefined && h !== null) {
      if (!isId(h)) fail(`${at} ("${id as string}").household 必须是非空字符串`);
      let index = householdIndex.get(h as string);
      if (index === undefined) householdIndex.set(h as string, (index = householdIndex.size));
      household[i] = index;
    }
    if (!Array.isArray(edges)) fail(`${at} ("${id as string}").edges 必须是数组`);
    const pairs: Array<[number, number]> = [];
    const seen = new Set<number>();
    (edges as unknown[]).forEach((edge, k) => {
      const where = `${at} ("${id as string}").edges[${k}]`;
      if (!isObject(edge)) fail(`${where} 必须是对象`);
      const { offer, score } = edge as Record<string, unknown>;
      const o = typeof offer === 'string' ? offerIndex.get(offer) : undefined;
      if (o === undefined) fail(`${where}.offer 未知: ${JSON.stringify(offer)}`);
      if (seen.has(o as number)) fail(`${where}.offer 重复: "${offer as string}"`);
      seen.add(o as number);
      if (typeof score !== 'number' || !Number.isInteger(score) || score < 1 || score > MAX_INT32)
        fail(`${where}.score 必须是正整数 (1 … ${MAX_INT32}), 得到 ${JSON.stringify(score)}`);
      pairs.push([o as number, score as number]);
    });
    pairs.sort((a, b) => a[0] - b[0]);
    offersOf.push(pairs.map((pair) => pair[0]));
    scoresOf.push(pairs.map((pair) => pair[1]));
    edgeStart[i + 1] = edgeStart[i] + pairs.length;
  });
  const edgeOffer = new Int32Array(edgeStart[needs.length]);
  const edgeScore = new Int32Array(edgeStart[needs.length]);
  for (let i = 0; i < needs.length; i++) {
    edgeOffer.set(offersOf[i], edgeStart[i]);
    edgeScore.set(scoresOf[i], edgeStart[i]);
  }
  return {
    instance: {
      needCount: needs.length,
      offerCount: offers.length,
      capacity,
      perHouseholdLimit,
      household,
      edgeStart,
      edgeOffer,
      edgeScore,
    },
    needIds: needs.map((need) => (need as { id: string }).id),
    offerIds: offers.map((offer) => (offer as { id: string }).id),
  };
}

/** The `npm run allocate` output for a result. */
export function allocationOutput(
  parsed: ParsedAllocationInput,
  result: AllocationResult,
  seconds: number,
): {
  strategy: string;
  total: number;
  bound?: number;
  assigned: number;
  seconds: number;
  assignments: Array<{ need: string; offer: string }>;
} {
  const assignments: Array<{ need: string; offer: string }> = [];
  result.needOffer.forEach((o, i) => {
    if (o >= 0) assignments.push({ need: parsed.needIds[i], offer: parsed.offerIds[o] });
  });
  return {
    strategy: result.strategy,
    total: result.total,
    ...(result.bound !== undefined ? { bound: result.bound } : {}),
    assigned: result.assigned,
    seconds: Number(seconds.toFixed(3)),
    assignments,
  };
}
