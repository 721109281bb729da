/**
 * From re-read rows to the facts the hard filters and the score read, and the score of one pair.
 * Pure (types only from the needs and offers modules), so the bench and the batch allocation assemble
 * pairs exactly as the suggestions do.
 */
import type { Cause } from '../../archives/archive.enums';
import type { NeedMatchRow } from '../../needs/needs.repository';
import type { OfferRow } from '../../offers/offers.repository';
import type { HistoryFacts, NeedFacts, OfferFacts } from '../filters/hard-filters.rule';
import {
  capacityFactor,
  fairnessFactor,
  hardshipFactor,
  itemFactor,
  proximityFactor,
  textFactor,
  waitingFactor,
  type Factor,
  type ScoringSettings,
} from '../scoring/factors';
import { score, type Score } from '../scoring/score';

/** Whole years from `birthDate` to `today` (both YYYY-MM-DD). */
export function ageOn(birthDate: string, today: string): number {
  let age = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  if (today.slice(5) < birthDate.slice(5)) age -= 1;
  return age;
}

/** The household's primary cause, else its first cause, else `other`. */
export function primaryCauseOf(row: Pick<NeedMatchRow, 'primaryCause' | 'archiveCauses'>): Cause {
  return row.primaryCause ?? row.archiveCauses[0] ?? 'other';
}

/**
 * The need's facts. `unitPath` is its archive unit's path (`/a1/b2/c3/`); `dibaoLineFen` the 低保 line in
 * force today for the archive's region (null when none is known: an income bound then fails).
 * `acceptsSameCategory` is false: needs carry no such flag yet.
 */
export function needFacts(row: NeedMatchRow, today: string, dibaoLineFen: number | null): NeedFacts {
  const birthDate =
    row.beneficiaryKey === 'head' ? row.headBirthDate : (row.memberBirthDate ?? row.headBirthDate);
  return {
    menuItemId: row.itemCode,
    category: row.itemCategory,
    acceptsSameCategory: false,
    mode: row.preferredMode,
    regionCode: row.regionCode,
    unitPath: row.unitPath.split('/').filter(Boolean),
    household: {
      archiveActive: row.archiveStatus === 'active',
      category: row.archiveCategory,
      causes: [...row.archiveCauses],
      employmentStatus: row.employmentStatus,
      beneficiaryAge: ageOn(birthDate, today),
      perCapitaIncomeFen: row.perCapitaIncomeFen,
      dibaoLineFen,
    },
  };
}

/** The offer's facts; item ids are menu item codes on both sides. */
export function offerFacts(row: OfferRow): OfferFacts {
  return {
    menuItemIds: row.items.map((i) => i.code),
    categories: [...new Set(row.items.map((i) => i.category))],
    state: row.state,
    validFrom: row.validFrom,
    validUntil: row.validUntil,
    remaining: row.remaining,
    partnerActive: row.partnerStatus === 'approved',
    online: row.online,
    scope: { unitId: row.scopeOrgUnitId, regionPrefix: row.scopeRegionPrefix },
    eligibility: {
      categories: row.eligCategories,
      causes: row.eligCauses,
      employment: row.eligEmployment,
      ageMin: row.ageMin,
      ageMax: row.ageMax,
      incomeFactor: row.incomeFactor,
      requiresActiveArchive: row.requiresActiveArchive,
    },
    perHouseholdLimit: row.perHouseholdLimit,
    cooldownDays: row.cooldownDays,
  };
}

/** What the match history adds to a pair's score (see MatchHistoryPort). */
export interface PairHistory extends HistoryFacts {
  /** Aid value the household received in the last 12 months, in fen. */
  aidLast12MonthsFen: number;
  /** Capacity of the offer already asked for by pending proposals. */
  pending: number;
}

export type Direction = 'need' | 'offer';

/**
 * The score of a pair: text (the engine's relevance over the best hit's), item, proximity (the offer's
 * location against the need's region), hardship, waiting, fairness, and — for offers as candidates of a
 * need and for needs of an offer alike — the offer's capacity pressure.
 */
export function scorePair(
  input: {
    need: NeedMatchRow;
    offer: OfferRow;
    engineScore: number;
    bestEngineScore: number;
    history: Pick<PairHistory, 'aidLast12MonthsFen' | 'pending'>;
    now: Date;
  },
  settings: ScoringSettings,
): Score {
  const { need, offer } = input;
  const values: Record<Factor, number> = {
    text: textFactor(input.engineScore, input.bestEngineScore),
    item: itemFactor(
      { menuItemId: need.itemCode, category: need.itemCategory },
      { menuItemIds: offer.items.map((i) => i.code), categories: offer.items.map((i) => i.category) },
      settings,
    ),
    proximity: proximityFactor(
      need.regionCode,
      { online: offer.online, regionCode: offer.regionCode },
      settings,
    ),
    hardship: hardshipFactor(
      { category: need.archiveCategory, primaryCause: primaryCauseOf(need) },
      need.urgency,
      settings,
    ),
    waiting: waitingFactor(need.openedAt ?? need.createdAt, input.now, settings),
    fairness: fairnessFactor(input.history.aidLast12MonthsFen, settings),
    capacity: capacityFactor({ remaining: offer.remaining, pending: input.history.pending }),
  };
  return score(values, settings.weights);
}
