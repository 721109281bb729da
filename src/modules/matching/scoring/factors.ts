/**
 * The score's factors (DESIGN §3, issue 12 §2), each a pure function into [0, 1]. Pure TypeScript: no
 * NestJS or TypeORM, so the API, the batch allocation, the bench and a CLI compute the same numbers.
 * The tables they read (`ScoringSettings`) come from config/matching.yml.
 */
import type { ArchiveCategory, Cause } from '../../archives/archive.enums';
import type { MenuCategory } from '../../menu/menu.enums';
import type { NeedUrgency } from '../../needs/needs.enums';

export const FACTORS = ['text', 'item', 'proximity', 'hardship', 'waiting', 'fairness', 'capacity'] as const;
export type Factor = (typeof FACTORS)[number];

/** What staff read beside each factor of a suggestion's breakdown. */
export const FACTOR_LABELS: Record<Factor, string> = {
  text: '文本相关度',
  item: '服务项目匹配',
  proximity: '地域就近',
  hardship: '困难程度',
  waiting: '等待时间',
  fairness: '帮扶公平（近一年受助越少越优先）',
  capacity: '供给余量',
};

export type Weights = Record<Factor, number>;

export interface ScoringSettings {
  weights: Weights;
  /** item factor when the offer serves another item of the need's category (the exact item scores 1). */
  sameCategory: number;
  /** proximity factor by how much of the GB/T 2260 code the need's and the offer's regions share. */
  proximity: { district: number; city: number; province: number; elsewhere: number; online: number };
  /** hardship factor: the mean of the three tables' values for the household and the need. */
  hardship: {
    category: Record<ArchiveCategory, number>;
    cause: Record<Cause, number>;
    urgency: Record<NeedUrgency, number>;
  };
  /** waiting factor reaches 1 after this many days since the need opened (linear before). */
  waitingSaturationDays: number;
  /** fairness factor = ref ÷ (ref + aid received in the last 12 months), in fen: 1 with no aid, ½ at ref. */
  fairnessReferenceFen: number;
}

const clamp01 = (x: number): number => (x <= 0 || Number.isNaN(x) ? 0 : x >= 1 ? 1 : x);

/** The engine's relevance of this hit against the best hit of the same result: the best is 1. */
export function textFactor(engineScore: number, bestEngineScore: number): number {
  if (!(bestEngineScore > 0)) return 0;
  return clamp01(engineScore / bestEngineScore);
}

/** 1 for the need's own item, `sameCategory` for another item of its category, else 0. */
export function itemFactor(
  need: { menuItemId: string; category: MenuCategory },
  offer: { menuItemIds: readonly string[]; categories: readonly MenuCategory[] },
  settings: Pick<ScoringSettings, 'sameCategory'>,
): number {
  if (offer.menuItemIds.includes(need.menuItemId)) return 1;
  if (offer.categories.includes(need.category)) return clamp01(settings.sameCategory);
  return 0;
}

/**
 * How near the offer is delivered to the need: GB/T 2260 codes share 6 digits within a district (区县),
 * 4 within a city (地市), 2 within a province. An online offer is neutral, wherever it is.
 */
export function proximityFactor(
  needRegion: string,
  offer: { online: boolean; regionCode: string | null },
  settings: Pick<ScoringSettings, 'proximity'>,
): number {
  const p = settings.proximity;
  if (offer.online || offer.regionCode === null) return clamp01(p.online);
  const region = offer.regionCode;
  if (region === needRegion) return clamp01(p.district);
  if (region.slice(0, 4) === needRegion.slice(0, 4)) return clamp01(p.city);
  if (region.slice(0, 2) === needRegion.slice(0, 2)) return clamp01(p.province);
  return clamp01(p.elsewhere);
}

/** Hardship priority: the mean of the archive category's, the primary cause's and the urgency's values. */
export function hardshipFactor(
  household: { category: ArchiveCategory; primaryCause: Cause },
  urgency: NeedUrgency,
  settings: Pick<ScoringSettings, 'hardship'>,
): number {
  const h = settings.hardship;
  return clamp01((h.category[household.category] + h.cause[household.primaryCause] + h.urgency[urgency]) / 3);
}

/** Days since the need opened over the saturation: 0 at opening, 1 from the saturation on. */
export function waitingFactor(
  openedAt: Date,
  now: Date,
  settings: Pick<ScoringSettings, 'waitingSaturationDays'>,
): number {
  const days = (now.getTime() - openedAt.getTime()) / 86_400_000;
  return clamp01(days / settings.waitingSaturationDays);
}

/** Less aid in the last 12 months scores higher: 1 with none, ½ at the reference amount. */
export function fairnessFactor(
  aidLast12MonthsFen: number,
  settings: Pick<ScoringSettings, 'fairnessReferenceFen'>,
): number {
  const ref = settings.fairnessReferenceFen;
  return clamp01(ref / (ref + Math.max(0, aidLast12MonthsFen)));
}

/**
 * Capacity pressure, for offers as candidates: the share of the offer's free capacity not already asked
 * for by pending proposals (1 when nothing is pending, 0 when nothing is free), so that suggestions
 * spread over offers instead of piling onto one.
 */
export function capacityFactor(offer: { remaining: number; pending: number }): number {
  if (offer.remaining <= 0) return 0;
  return clamp01(offer.remaining / (offer.remaining + Math.max(0, offer.pending)));
}
