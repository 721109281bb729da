/**
 * The matcher's hard filters (issue 12 §1): whether an offer may be suggested for a need at all. Pure:
 * the caller gathers the facts (the engine's filter already dropped most candidates; PostgreSQL re-checks
 * the page returned) and this decides, naming every filter a candidate fails so `?explain=excluded`
 * can say why. Scores only ever order candidates that pass every filter.
 */
import type { MenuCategory } from '../../menu/menu.enums';
import type { NeedMode } from '../../needs/needs.enums';
import {
  offerEligibilityFailures,
  type EligibilityCriterion,
  type HouseholdFacts,
  type OfferEligibility,
} from '../../offers/rules/offer-eligibility.rule';

/** In the order they are checked and listed. */
export const HARD_FILTERS = [
  'item',
  'offer_state',
  'validity',
  'remaining',
  'partner',
  'scope',
  'mode',
  'archive_active',
  'archive_category',
  'cause',
  'beneficiary_age',
  'employment',
  'income',
  'household_limit',
  'pair',
  'cooldown',
] as const;
export type HardFilter = (typeof HARD_FILTERS)[number];

export const HARD_FILTER_MESSAGES: Record<HardFilter, string> = {
  item: '供给不含该服务项目（或同类项目未被接受）',
  offer_state: '供给未处于发布状态',
  validity: '不在供给有效期内',
  remaining: '供给名额或预算已用完',
  partner: '提供方已被暂停合作',
  scope: '需求所在单位或地区不在供给服务范围内',
  mode: '服务方式不符（线上/线下）',
  archive_active: '供给要求在档困难职工',
  archive_category: '困难类别不符合供给条件',
  cause: '致困原因不符合供给条件',
  beneficiary_age: '受助人年龄不符合供给条件',
  employment: '就业状态不符合供给条件',
  income: '家庭人均收入高于供给设定的低保倍数',
  household_limit: '该户已达到本供给的每户限额',
  pair: '该需求与供给已匹配、被拒绝或被搁置',
  cooldown: '该户仍在本供给的重复救助间隔期内',
};

/** The need and its household, as far as the filters read them. */
export interface NeedFacts {
  menuItemId: string;
  category: MenuCategory;
  /** The worker accepts another item of the same category. */
  acceptsSameCategory: boolean;
  mode: NeedMode;
  /** GB/T 2260 code of where help is needed. */
  regionCode: string;
  /** Ids of the need's unit and every unit above it (its scope path). */
  unitPath: readonly string[];
  /** The household and the beneficiary, as the offer's eligibility reads them. */
  household: HouseholdFacts;
}

/** The offer, as far as the filters read it. Empty lists in `eligibility` mean "no condition". */
export interface OfferFacts {
  menuItemIds: readonly string[];
  categories: readonly MenuCategory[];
  state: string;
  /** YYYY-MM-DD, China time, inclusive. */
  validFrom: string;
  validUntil: string;
  remaining: number;
  partnerActive: boolean;
  online: boolean;
  /** The offer's scope: a subtree's root unit and/or a region prefix (at least one is set). */
  scope: { unitId: string | null; regionPrefix: string | null };
  eligibility: OfferEligibility;
  perHouseholdLimit: number | null;
  cooldownDays: number | null;
}

/** What the matches tell about this need's household and this offer. */
export interface HistoryFacts {
  /** Matches of the household on this offer that count against its per-household limit. */
  householdMatchesOnOffer: number;
  /** This need and this offer are already matched, declined or parked. */
  pairTaken: boolean;
  /** When the household last received aid from this offer; null if never. */
  lastAidOn: string | null;
}

const DAY_MS = 86_400_000;

/** The offers module's eligibility criteria (offer-eligibility.rule.ts) as hard filters. */
const ELIGIBILITY_FILTER: Record<EligibilityCriterion, HardFilter> = {
  active_archive: 'archive_active',
  category: 'archive_category',
  cause: 'cause',
  employment: 'employment',
  age: 'beneficiary_age',
  income: 'income',
};

/** Every hard filter the pair fails, in HARD_FILTERS order; empty: the offer may be suggested. */
export function hardFilterExclusions(
  need: NeedFacts,
  offer: OfferFacts,
  history: HistoryFacts,
  today: string,
): HardFilter[] {
  const out: HardFilter[] = [];
  const sameItem = offer.menuItemIds.includes(need.menuItemId);
  if (!sameItem && !(need.acceptsSameCategory && offer.categories.includes(need.category))) out.push('item');
  out.push(...offerClosedBy(offer, today));
  if (!scopeCovers(offer, need)) out.push('scope');
  if ((offer.online && need.mode === 'onsite') || (!offer.online && need.mode === 'online')) out.push('mode');
  out.push(...offerEligibilityFailures(offer.eligibility, need.household).map((c) => ELIGIBILITY_FILTER[c]));
  if (offer.perHouseholdLimit !== null && history.householdMatchesOnOffer >= offer.perHouseholdLimit)
    out.push('household_limit');
  if (history.pairTaken) out.push('pair');
  if (
    offer.cooldownDays !== null &&
    history.lastAidOn !== null &&
    daysBetween(history.lastAidOn, today) < offer.cooldownDays
  )
    out.push('cooldown');
  return out;
}

/**
 * The filters an offer fails whoever the need: not published, outside its validity, nothing left, its
 * partner suspended. Empty: the offer can still take needs today.
 */
export function offerClosedBy(
  offer: Pick<OfferFacts, 'state' | 'validFrom' | 'validUntil' | 'remaining' | 'partnerActive'>,
  today: string,
): HardFilter[] {
  const out: HardFilter[] = [];
  if (offer.state !== 'published') out.push('offer_state');
  if (today < offer.validFrom || today > offer.validUntil) out.push('validity');
  if (offer.remaining <= 0) out.push('remaining');
  if (!offer.partnerActive) out.push('partner');
  return out;
}

/**
 * Scope, as the offers module reads it for workers (offers.repository.ts `available`): an offer scoped to
 * a subtree needs the need's unit inside it; one scoped to a region prefix needs the need's region under
 * it, unless the offer is online (online offers ignore the region, never the subtree); an offer scoped
 * both ways needs both.
 */
export function scopeCovers(
  offer: Pick<OfferFacts, 'online' | 'scope'>,
  need: Pick<NeedFacts, 'unitPath' | 'regionCode'>,
): boolean {
  const { unitId, regionPrefix } = offer.scope;
  if (unitId !== null && !need.unitPath.includes(unitId)) return false;
  if (regionPrefix !== null && !offer.online && !need.regionCode.startsWith(regionPrefix)) return false;
  return true;
}

/** Whole days from one YYYY-MM-DD to another. */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}
