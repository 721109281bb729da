import { IndexDefinition } from '../search-engine';
import { MAX_TOTAL_HITS, meiliSettings, RANKING_RULES, settingsDiff, settingsUpdate } from './meili-settings';

const offers: IndexDefinition = {
  name: 'offers',
  searchableFields: ['title', 'providerName', 'description'],
  filterableFields: { status: 'string', category: 'string', capacityRemaining: 'number' },
  sortableFields: ['publishedAt'],
};

describe('meiliSettings', () => {
  it('keeps the searchable order, sorts the set-like lists and returns ids only', () => {
    expect(meiliSettings(offers)).toEqual({
      searchableAttributes: ['title', 'providerName', 'description'],
      filterableAttributes: ['capacityRemaining', 'category', 'status'],
      sortableAttributes: ['id', 'publishedAt'],
      displayedAttributes: ['id'],
      localizedAttributes: [
        { attributePatterns: ['title', 'providerName', 'description'], locales: ['cmn'] },
      ],
      // sort first: a search with sort keys is a list in that order; without them the rule is inert.
      rankingRules: ['sort', 'words', 'typo', 'proximity', 'attribute', 'exactness'],
      pagination: { maxTotalHits: 1001 },
    });
  });

  it('counts hits one past the port cap, and at least over the whole paging window', () => {
    expect(MAX_TOTAL_HITS).toBe(1001);
  });

  it('has only the id sortable (ties) and no locale rule when nothing else is declared', () => {
    const settings = meiliSettings({
      name: 'tags',
      searchableFields: [],
      filterableFields: { kind: 'string' },
    });
    expect(settings.sortableAttributes).toEqual(['id']);
    expect(settings.localizedAttributes).toBeNull();
  });
});

describe('settingsDiff', () => {
  const wanted = meiliSettings(offers);
  /** What Meilisearch returns for the same settings (set-like lists in its own order). */
  const applied = {
    searchableAttributes: ['title', 'providerName', 'description'],
    filterableAttributes: ['status', 'category', 'capacityRemaining'],
    sortableAttributes: ['publishedAt', 'id'],
    displayedAttributes: ['id'],
    localizedAttributes: [{ attributePatterns: ['title', 'providerName', 'description'], locales: ['cmn'] }],
    rankingRules: [...RANKING_RULES],
    pagination: { maxTotalHits: 1001 },
    stopWords: [],
  };

  it('is empty when the index already has the settings (whatever else it has)', () => {
    expect(settingsDiff(applied, wanted)).toEqual([]);
    expect(settingsUpdate(applied, wanted)).toBeUndefined();
  });

  it.each([
    {
      name: 'a fresh index (defaults)',
      current: {
        searchableAttributes: ['*'],
        filterableAttributes: [],
        sortableAttributes: [],
        displayedAttributes: ['*'],
        localizedAttributes: null,
        rankingRules: ['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness'],
        pagination: { maxTotalHits: 1000 },
      },
      expected: [
        'searchableAttributes',
        'filterableAttributes',
        'sortableAttributes',
        'displayedAttributes',
        'localizedAttributes',
        'rankingRules',
        'pagination',
      ],
    },
    {
      name: 'other ranking rules (a server default or a hand edit)',
      current: {
        ...applied,
        rankingRules: ['words', 'typo', 'proximity', 'attributeRank', 'sort', 'wordPosition', 'exactness'],
      },
      expected: ['rankingRules'],
    },
    {
      name: 'the ranking rules of before sorting came first (sort after attribute)',
      current: { ...applied, rankingRules: ['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness'] },
      expected: ['rankingRules'],
    },
    {
      name: 'the id not sortable (no tie-break)',
      current: { ...applied, sortableAttributes: ['publishedAt'] },
      expected: ['sortableAttributes'],
    },
    {
      name: 'searchable order changed (ranking weight)',
      current: { ...applied, searchableAttributes: ['providerName', 'title', 'description'] },
      expected: ['searchableAttributes'],
    },
    {
      name: 'a filterable field missing',
      current: { ...applied, filterableAttributes: ['status', 'category'] },
      expected: ['filterableAttributes'],
    },
    {
      name: 'granular filterable rules',
      current: {
        ...applied,
        filterableAttributes: [
          {
            attributePatterns: ['status'],
            features: { facetSearch: false, filter: { equality: true, comparison: false } },
          },
        ],
      },
      expected: ['filterableAttributes'],
    },
    {
      name: 'all fields displayed',
      current: { ...applied, displayedAttributes: ['*'] },
      expected: ['displayedAttributes'],
    },
    {
      name: 'another locale',
      current: { ...applied, localizedAttributes: [{ attributePatterns: ['title'], locales: ['jpn'] }] },
      expected: ['localizedAttributes'],
    },
  ])('reports $name', ({ current, expected }) => {
    expect(settingsDiff(current, wanted)).toEqual(expected);
  });

  it('sends only the differing settings', () => {
    expect(
      settingsUpdate({ ...applied, displayedAttributes: ['*'], sortableAttributes: [] }, wanted),
    ).toEqual({
      sortableAttributes: ['id', 'publishedAt'],
      displayedAttributes: ['id'],
    });
  });
});
