/**
 * The matcher's hard filters (issue 12 §1): whether an offer may be suggested for a need at all. Pure:
 * the caller gathers the facts (the engine's filter already dropped most candidates; PostgreSQL re-checks
 * the page returned) and this decides, naming every filter a candidate fails so `?explain=excluded`
 * can say why. Scores only ever order candidates that pass every filter.
 */
import type { ArchiveCategory, Cause, EmploymentStatus } from '../../archives/archive.enums';
import type { MenuCategory } from '../../menu/menu.enums';
import type { NeedMode } from '../../needs/needs.enums';

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
  archive: {
    active: boolean;
    category: ArchiveCategory;
    causes: readonly Cause[];
    employmentStatus: EmploymentStatus;
    perCapitaIncomeFen: number;
    /** The household's 低保 line in force, fen per person and month; null when none is known. */
    dibaoLineFen: number | null;
  };
  /** Whole years, on the day of the check. */
  beneficiaryAge: number;
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
  scope: { unitIds: readonly string[]; regionPrefixes: readonly string[] };
  eligibility: {
    requiresActiveArchive: boolean;
    archiveCategories: readonly ArchiveCategory[];
    causes: readonly Cause[];
    minAge: number | null;
    maxAge: number | null;
    employmentStatuses: readonly EmploymentStatus[];
    /** Per-capita income ≤ this × the household's 低保 line; null: no income condition. */
    incomeMultiple: number | null;
  };
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
  if (offer.state !== 'published') out.push('offer_state');
  if (today < offer.validFrom || today > offer.validUntil) out.push('validity');
  if (offer.remaining <= 0) out.push('remaining');
  if (!offer.partnerActive) out.push('partner');
  if (!scopeCovers(offer, need)) out.push('scope');
  if ((offer.online && need.mode === 'onsite') || (!offer.online && need.mode === 'online')) out.push('mode');
  const e = offer.eligibility;
  if (e.requiresActiveArchive && !need.archive.active) out.push('archive_active');
  if (e.archiveCategories.length > 0 && !e.archiveCategories.includes(need.archive.category))
    out.push('archive_category');
  if (e.causes.length > 0 && !need.archive.causes.some((c) => e.causes.includes(c))) out.push('cause');
  if (
    (e.minAge !== null && need.beneficiaryAge < e.minAge) ||
    (e.maxAge !== null && need.beneficiaryAge > e.maxAge)
  )
    out.push('beneficiary_age');
  if (e.employmentStatuses.length > 0 && !e.employmentStatuses.includes(need.archive.employmentStatus))
    out.push('employment');
  if (e.incomeMultiple !== null && !incomeWithin(need.archive, e.incomeMultiple)) out.push('income');
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
 * Scope: the need's unit lies in one of the offer's subtrees, or its region starts with one of the
 * offer's region prefixes. An online offer ignores regions: only its subtrees limit it (none: anywhere).
 */
export function scopeCovers(
  offer: Pick<OfferFacts, 'online' | 'scope'>,
  need: Pick<NeedFacts, 'unitPath' | 'regionCode'>,
): boolean {
  const { unitIds, regionPrefixes } = offer.scope;
  const inUnits = unitIds.some((id) => need.unitPath.includes(id));
  if (offer.online) return unitIds.length === 0 || inUnits;
  return inUnits || regionPrefixes.some((prefix) => need.regionCode.startsWith(prefix));
}

/**
 * Per-capita income ≤ multiple × 低保 line (an unknown line fails the condition). The multiple has at
 * most two decimals (the offer's validation): compared in integers, as 1.15 × 100000 is 114999.99… in floats.
 */
function incomeWithin(archive: NeedFacts['archive'], multiple: number): boolean {
  if (archive.dibaoLineFen === null) return false;
  return archive.perCapitaIncomeFen * 100 <= archive.dibaoLineFen * Math.round(multiple * 100);
}

/** Whole days from one YYYY-MM-DD to another. */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}
