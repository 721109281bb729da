/**
 * An independent check of a plan against an instance, written without the flow network (plain maps):
 * every assigned need has an edge to its offer, no offer above its capacity, no household above an
 * offer's per-household limit, and the total is what the edges add up to. Returns the problems found
 * (empty: the plan is feasible). Used by every allocation test; cheap enough to guard a stored plan.
 */
import { AllocationInstance } from './instance';

export function checkPlan(
  instance: AllocationInstance,
  needOffer: Int32Array,
  claimedTotal?: number,
): string[] {
  const problems: string[] = [];
  if (needOffer.length !== instance.needCount)
    return [`plan has ${needOffer.length} needs, instance ${instance.needCount}`];
  const perOffer = new Map<number, number>();
  const perHouseholdOffer = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < instance.needCount; i++) {
    const o = needOffer[i];
    if (o === -1) continue;
    let score = -1;
    for (let e = instance.edgeStart[i]; e < instance.edgeStart[i + 1]; e++)
      if (instance.edgeOffer[e] === o) score = instance.edgeScore[e];
    if (score < 0) {
      problems.push(`need ${i} assigned to offer ${o} without an edge`);
      continue;
    }
    total += score;
    perOffer.set(o, (perOffer.get(o) ?? 0) + 1);
    const h = instance.household[i];
    const key = h >= 0 ? `${h}/${o}` : `need${i}/${o}`;
    perHouseholdOffer.set(key, (perHouseholdOffer.get(key) ?? 0) + 1);
  }
  for (const [o, count] of perOffer)
    if (count > instance.capacity[o])
      problems.push(`offer ${o}: ${count} needs > capacity ${instance.capacity[o]}`);
  for (const [key, count] of perHouseholdOffer) {
    const o = Number(key.split('/')[1]);
    const limit = instance.perHouseholdLimit[o];
    if (limit > 0 && count > limit) problems.push(`household/offer ${key}: ${count} needs > limit ${limit}`);
  }
  if (claimedTotal !== undefined && claimedTotal !== total)
    problems.push(`total ${claimedTotal} ≠ Σ scores ${total}`);
  return problems;
}
