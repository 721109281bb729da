/**
 * The hard filters pushed into the search engine (issue 12 §1): what each direction of suggestions asks
 * the `offers` or `needs` index for, before PostgreSQL re-reads the candidates and `hardFilterExclusions`
 * re-checks every filter on the rows. Pure: no NestJS, no TypeORM. A filter pushed here may be weaker
 * than the rule (never stronger): the re-check is the authority, the engine only keeps the page small.
 *
 * Not pushed (checked on the re-read only): the household's employment, income and active archive on the
 * needs index (it holds none of them), the per-household limit, the pair and the cooldown (match history).
 */
import { regionPrefixes } from '../../../common/regions/region-prefixes';
import { F, type FilterExpr } from '../../../infra/search/search-engine';
import { ARCHIVE_CATEGORIES, CAUSES, EMPLOYMENT_STATUSES } from '../../archives/archive.enums';
import type { AgeBand } from '../../needs/needs.enums';
import type { NeedFacts, OfferFacts } from '../filters/hard-filters.rule';

/** Days since 1970-01-01 of a YYYY-MM-DD date (the offers index's validFrom / validUntil). */
export function epochDay(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
}

/** `field` holds one of `values`, or (an "any" list) none of `all`. For enumerable eligibility facets. */
function anyOrOneOf(field: string, value: string, all: readonly string[]): FilterExpr {
  return F.or(F.eq(field, value), F.not(F.in(field, [...all])));
}

export interface NeedSearchFacts extends Pick<
  NeedFacts,
  'category' | 'acceptsSameCategory' | 'mode' | 'regionCode' | 'unitPath' | 'household'
> {
  /** The need's menu item code (the offers index lists item codes). */
  itemCode: string;
}

/**
 * Offers for a need: published, something remaining, the partner active, `today` inside the validity
 * window, serving the need's item (or its category when the worker accepts the same category), the scope
 * covering the need's unit (no scope unit, or one on the need's unit path) and region (no scope region,
 * online, or a prefix of the need's region), the mode, and the eligibility facets the document holds
 * (archive category, causes, employment, beneficiary age, the income factor, active archive).
 */
export function offerCandidateFilter(need: NeedSearchFacts, today: string): FilterExpr {
  const day = epochDay(today);
  const h = need.household;
  const filters: FilterExpr[] = [
    F.eq('state', 'published'),
    F.eq('hasRemaining', true),
    F.eq('partnerActive', true),
    F.range('validFrom', { lte: day }),
    F.range('validUntil', { gte: day }),
    offerItemFilter(need),
    offerScopeFilter(need),
    anyOrOneOf('eligCategories', h.category, ARCHIVE_CATEGORIES),
    F.or(...h.causes.map((c) => F.eq('eligCauses', c)), F.not(F.in('eligCauses', [...CAUSES]))),
    anyOrOneOf('eligEmployment', h.employmentStatus, EMPLOYMENT_STATUSES),
    F.range('ageMin', { lte: h.beneficiaryAge }),
    F.range('ageMax', { gte: h.beneficiaryAge }),
    offerIncomeFilter(h.perCapitaIncomeFen, h.dibaoLineFen),
  ];
  if (need.mode !== 'any') filters.push(F.eq('online', need.mode === 'online'));
  if (!h.archiveActive) filters.push(F.eq('requiresActiveArchive', false));
  return F.and(...filters);
}

/**
 * The pool `?explain=excluded` looks at: offers of the need's item or of its category, that are or were
 * live (published, paused, closed: never a partner's draft or one under review), whatever else they fail.
 */
export function offerExplainFilter(need: Pick<NeedSearchFacts, 'itemCode' | 'category'>): FilterExpr {
  return F.and(
    F.in('state', ['published', 'paused', 'closed']),
    F.or(F.eq('items', need.itemCode), F.eq('categories', need.category)),
  );
}

function offerItemFilter(
  need: Pick<NeedSearchFacts, 'itemCode' | 'category' | 'acceptsSameCategory'>,
): FilterExpr {
  return need.acceptsSameCategory
    ? F.or(F.eq('items', need.itemCode), F.eq('categories', need.category))
    : F.eq('items', need.itemCode);
}

/** scopeCovers (hard-filters.rule.ts) in the engine: the unit part and the region part, each optional. */
function offerScopeFilter(need: Pick<NeedSearchFacts, 'unitPath' | 'regionCode'>): FilterExpr {
  return F.and(
    F.or(F.eq('hasScopeUnit', false), F.in('scopeUnit', [...need.unitPath])),
    F.or(
      F.eq('hasScopeRegion', false),
      F.eq('online', true),
      F.in('scopeRegion', regionPrefixes(need.regionCode)),
    ),
  );
}

/**
 * Per-capita income ≤ k × line: offers without a bound (indexed as 0), or with k at least the household's
 * ratio, rounded down to hundredths (the rule compares in hundredths; rounding down only lets more through).
 * An unknown income or line passes only offers without a bound, as the rule decides.
 */
function offerIncomeFilter(perCapitaFen: number | null, lineFen: number | null): FilterExpr {
  if (perCapitaFen === null || lineFen === null || lineFen <= 0) return F.eq('incomeFactor', 0);
  const hundredths = Math.floor((perCapitaFen * 100) / lineFen);
  return F.or(F.eq('incomeFactor', 0), F.range('incomeFactor', { gte: hundredths / 100 }));
}

/** The offer, as the needs-direction filter reads it. */
export interface OfferSearchFacts extends Pick<OfferFacts, 'online' | 'scope' | 'eligibility'> {
  itemCodes: readonly string[];
  /** Ids on the scope unit's path (the unit itself last), or empty when the offer has no scope unit. */
  scopeUnitId: string | null;
}

/**
 * Open needs for an offer: state open, of one of the offer's items, inside its scope (the scope unit among
 * the need's `units`; the region prefix among its `regions` unless the offer is online), a mode the offer
 * serves, and the eligibility facets the needs index holds (archive category, causes, age band).
 */
export function needCandidateFilter(offer: OfferSearchFacts): FilterExpr {
  const e = offer.eligibility;
  const filters: FilterExpr[] = [F.eq('state', 'open'), F.in('item', [...offer.itemCodes])];
  if (offer.scopeUnitId !== null) filters.push(F.eq('units', offer.scopeUnitId));
  if (offer.scope.regionPrefix !== null && !offer.online)
    filters.push(F.eq('regions', offer.scope.regionPrefix));
  filters.push(F.in('mode', offer.online ? ['online', 'any'] : ['onsite', 'any']));
  if (e.categories.length > 0) filters.push(F.in('archiveCategory', [...e.categories]));
  if (e.causes.length > 0) filters.push(F.in('causes', [...e.causes]));
  const bands = ageBandsWithin(e.ageMin, e.ageMax);
  if (bands !== null) filters.push(F.in('ageBand', [...bands, 'unknown']));
  return F.and(...filters);
}

const AGE_BAND_RANGES: ReadonlyArray<[AgeBand, number, number]> = [
  ['under_6', 0, 5],
  ['6_17', 6, 17],
  ['18_34', 18, 34],
  ['35_59', 35, 59],
  ['60_plus', 60, 200],
];

/** The age bands that overlap [min, max]; null when the offer has no age bound. */
export function ageBandsWithin(min: number | null, max: number | null): AgeBand[] | null {
  if (min === null && max === null) return null;
  const lo = min ?? 0;
  const hi = max ?? 200;
  return AGE_BAND_RANGES.filter(([, a, b]) => a <= hi && b >= lo).map(([band]) => band);
}

/** What a caller may narrow the offers suggested for a need to (`GET /needs/:id/suggestions`). */
export interface OfferSuggestionFilter {
  kind?: string;
  mode?: 'online' | 'onsite';
  /** The offer's location lies in this region (2, 4 or 6 digits). */
  regionPrefix?: string;
}

/** What a caller may narrow the needs suggested for an offer to (`GET /offers/:id/suggestions`). */
export interface NeedSuggestionFilter {
  urgency?: string;
  archiveCategory?: string;
  /** The need's region lies in this one (2, 4 or 6 digits). */
  regionPrefix?: string;
}

/** The caller's narrowing as engine filters (none: an empty list). */
export function offerSuggestionFilters(filter: OfferSuggestionFilter): FilterExpr[] {
  const out: FilterExpr[] = [];
  if (filter.kind) out.push(F.eq('kind', filter.kind));
  if (filter.mode) out.push(F.eq('online', filter.mode === 'online'));
  if (filter.regionPrefix) out.push(F.eq('regions', filter.regionPrefix));
  return out;
}

export function needSuggestionFilters(filter: NeedSuggestionFilter): FilterExpr[] {
  const out: FilterExpr[] = [];
  if (filter.urgency) out.push(F.eq('urgency', filter.urgency));
  if (filter.archiveCategory) out.push(F.eq('archiveCategory', filter.archiveCategory));
  if (filter.regionPrefix) out.push(F.eq('regions', filter.regionPrefix));
  return out;
}

/** The same narrowing on a re-read offer row (the engine's answer is never trusted alone). */
export function offerMatchesSuggestionFilter(
  offer: { kind: string; online: boolean; regionCode: string },
  filter: OfferSuggestionFilter,
): boolean {
  return (
    (!filter.kind || offer.kind === filter.kind) &&
    (!filter.mode || offer.online === (filter.mode === 'online')) &&
    (!filter.regionPrefix || offer.regionCode.startsWith(filter.regionPrefix))
  );
}

export function needMatchesSuggestionFilter(
  need: { urgency: string; archiveCategory: string; regionCode: string },
  filter: NeedSuggestionFilter,
): boolean {
  return (
    (!filter.urgency || need.urgency === filter.urgency) &&
    (!filter.archiveCategory || need.archiveCategory === filter.archiveCategory) &&
    (!filter.regionPrefix || need.regionCode.startsWith(filter.regionPrefix))
  );
}
