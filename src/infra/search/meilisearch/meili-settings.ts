/**
 * IndexDefinition → Meilisearch index settings, and the comparison used to skip needless updates
 * (a settings update re-indexes the whole index, so it is only sent when something differs).
 */
import type { Settings } from 'meilisearch';
import { IndexDefinition } from '../search-engine';
import { MAX_TOTAL, MAX_WINDOW } from '../search-validation';

/** Chinese (Mandarin) in Meilisearch's ISO 639-3 locale codes. */
export const MEILI_LOCALES = ['cmn'];

/** The primary key; always sortable, the last key of every sort (ties). */
export const MEILI_ID_FIELD = 'id';

/**
 * Set explicitly, never left to the server's defaults (which change between versions). `sort` comes
 * first: a search that names sort keys is a list in that order (the port's rule); a search without
 * them is not affected by the rule and stays in relevance order.
 */
export const RANKING_RULES = ['sort', 'words', 'typo', 'proximity', 'attribute', 'exactness'];

/**
 * One above the port's cap, so a count above MAX_TOTAL is recognisable as capped; at least the paging
 * window, or deep pages would silently be empty.
 */
export const MAX_TOTAL_HITS = Math.max(MAX_TOTAL + 1, MAX_WINDOW);

/** The settings this adapter owns; anything else on the index is left as it is. */
export interface MeiliManagedSettings {
  /** Ranking weight follows this order. */
  searchableAttributes: string[];
  filterableAttributes: string[];
  sortableAttributes: string[];
  /** Only ids come back: callers reload rows from PostgreSQL with authorisation applied. */
  displayedAttributes: string[];
  /**
   * Pin the searchable text to Chinese so short titles are never detected as Japanese (which
   * segments them differently). Queries pass the same `locales`.
   */
  localizedAttributes: { attributePatterns: string[]; locales: string[] }[] | null;
  rankingRules: string[];
  /** `totalHits` counts up to this many matches (the port caps `total` at MAX_TOTAL). */
  pagination: { maxTotalHits: number };
}

export function meiliSettings(definition: IndexDefinition): MeiliManagedSettings {
  return {
    searchableAttributes: [...definition.searchableFields],
    filterableAttributes: Object.keys(definition.filterableFields).sort(),
    sortableAttributes: [...new Set([...(definition.sortableFields ?? []), MEILI_ID_FIELD])].sort(),
    displayedAttributes: ['id'],
    localizedAttributes:
      definition.searchableFields.length > 0
        ? [{ attributePatterns: [...definition.searchableFields], locales: [...MEILI_LOCALES] }]
        : null,
    rankingRules: [...RANKING_RULES],
    pagination: { maxTotalHits: MAX_TOTAL_HITS },
  };
}

/**
 * Names of the managed settings whose current value differs from the wanted one. Lists whose order
 * carries no meaning (filterable, sortable) are compared as sets; searchable order is ranking.
 */
export function settingsDiff(
  current: Settings,
  wanted: MeiliManagedSettings,
): (keyof MeiliManagedSettings)[] {
  const diff: (keyof MeiliManagedSettings)[] = [];
  if (!sameList(current.searchableAttributes, wanted.searchableAttributes)) diff.push('searchableAttributes');
  if (!sameSet(current.filterableAttributes, wanted.filterableAttributes)) diff.push('filterableAttributes');
  if (!sameSet(current.sortableAttributes, wanted.sortableAttributes)) diff.push('sortableAttributes');
  if (!sameList(current.displayedAttributes, wanted.displayedAttributes)) diff.push('displayedAttributes');
  if (!sameLocalized(current.localizedAttributes, wanted.localizedAttributes))
    diff.push('localizedAttributes');
  if (!sameList(current.rankingRules, wanted.rankingRules)) diff.push('rankingRules');
  if (current.pagination?.maxTotalHits !== wanted.pagination.maxTotalHits) diff.push('pagination');
  return diff;
}

/** Only the differing settings, ready for `index.updateSettings`. */
export function settingsUpdate(current: Settings, wanted: MeiliManagedSettings): Settings | undefined {
  const diff = settingsDiff(current, wanted);
  if (diff.length === 0) return undefined;
  const update: Settings = {};
  for (const key of diff) (update as Record<string, unknown>)[key] = wanted[key];
  return update;
}

function strings(value: unknown): string[] | undefined {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) return undefined;
  return value as string[];
}

function sameList(current: unknown, wanted: string[]): boolean {
  const list = strings(current);
  return list !== undefined && list.length === wanted.length && list.every((v, i) => v === wanted[i]);
}

function sameSet(current: unknown, wanted: string[]): boolean {
  const list = strings(current);
  if (list === undefined) return false; // granular (object) rules: not ours, replace them
  const a = [...new Set(list)].sort();
  const b = [...new Set(wanted)].sort();
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function sameLocalized(
  current: Settings['localizedAttributes'],
  wanted: MeiliManagedSettings['localizedAttributes'],
): boolean {
  const norm = (rules: { attributePatterns: string[]; locales: string[] }[] | null | undefined) =>
    JSON.stringify(
      (rules ?? []).map((r) => ({
        attributePatterns: [...r.attributePatterns].sort(),
        locales: [...r.locales].sort(),
      })),
    );
  return norm(current) === norm(wanted);
}
