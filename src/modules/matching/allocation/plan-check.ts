/**
 * An independent check of a plan against an instance, written without the flow network (plain maps):
 * every assigned need has an edge to its offer, no offer above its capacity, no household above an
 * offer's per-household limit, and the total is what the edges add up to. Returns the problems found
 * (empty: the plan is feasible). Used by every allocation test; cheap enough to guard a stored plan.
 */
import { AllocationDuals, AllocationInstance } from './instance';

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

/**
 * An independent check of a solver's dual certificate: every dual ≥ 0, every edge covered
 * (u_need + v_offer + w_(household, offer) ≥ score), and `bound` equal to the dual objective
 * Σu + Σ capacity·v + Σ limit·w recomputed here. A feasible dual's objective bounds every plan from above
 * (weak duality), so a plan that checkPlan accepts with total == a bound that this accepts is optimal,
 * whatever the solver did. Returns the problems found.
 */
export function checkDuals(instance: AllocationInstance, duals: AllocationDuals, bound: number): string[] {
  const problems: string[] = [];
  if (duals.need.length !== instance.needCount || duals.offer.length !== instance.offerCount)
    return ['dual arrays do not match the instance'];
  const groupDual = new Map<string, number>();
  let objective = 0;
  for (let i = 0; i < instance.needCount; i++) {
    if (!(duals.need[i] >= 0)) problems.push(`need ${i}: dual ${duals.need[i]} < 0`);
    objective += duals.need[i];
  }
  for (let o = 0; o < instance.offerCount; o++) {
    if (!(duals.offer[o] >= 0)) problems.push(`offer ${o}: dual ${duals.offer[o]} < 0`);
    objective += instance.capacity[o] * duals.offer[o];
  }
  for (let g = 0; g < duals.group.length; g++) {
    const o = duals.groupOffer[g];
    const h = duals.groupHousehold[g];
    const limit = instance.perHouseholdLimit[o];
    const key = `${h}/${o}`;
    if (!(duals.group[g] >= 0)) problems.push(`group ${key}: dual ${duals.group[g]} < 0`);
    if (h < 0 || limit === 0 || groupDual.has(key))
      problems.push(`group ${key}: not a (household, limited offer) pair`);
    groupDual.set(key, duals.group[g]);
    objective += limit * duals.group[g];
  }
  for (let i = 0; i < instance.needCount; i++) {
    const h = instance.household[i];
    for (let e = instance.edgeStart[i]; e < instance.edgeStart[i + 1]; e++) {
      const o = instance.edgeOffer[e];
      const w = h >= 0 ? (groupDual.get(`${h}/${o}`) ?? 0) : 0;
      if (duals.need[i] + duals.offer[o] + w < instance.edgeScore[e])
        problems.push(
          `edge need ${i} → offer ${o}: duals ${duals.need[i]} + ${duals.offer[o]} + ${w} < score ${instance.edgeScore[e]}`,
        );
    }
  }
  if (objective !== bound) problems.push(`bound ${bound} ≠ dual objective ${objective}`);
  return problems.slice(0, 20);
}
