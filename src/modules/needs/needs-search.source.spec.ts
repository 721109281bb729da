import { findUnmaskedPersonalData } from '../../common/masking';
import { filterJson, weightedText } from '../../infra/search/postgres/postgres-search.engine';
import type { SearchDocument } from '../../infra/search/search-engine';
import { projectDocument } from '../../infra/search/search-validation';
import { regionPrefixes } from '../../common/regions/region-prefixes';
import { ageBand, needSearchDocument, NEEDS_INDEX_DEFINITION } from './needs-search.source';
import type { NeedRow } from './needs.repository';

const NOW = new Date('2026-03-02T01:00:00Z');
const ID_NUMBER = '330106196805120017';
const PHONE = '13812342210';

/** A row as the repository returns it, with personal data in every place a careless builder could copy it from. */
function row(overrides: Partial<NeedRow> = {}): NeedRow {
  return {
    id: '5b2c7d1e-3f4a-4b5c-8d6e-7f8091a2b3c4',
    state: 'open',
    urgency: 'emergency',
    quantity: 300000,
    tags: ['电焊'],
    description: `家住文三路88号，电话${PHONE}，身份证${ID_NUMBER}，卡号6222021234567890123`,
    preferredMode: 'onsite',
    regionCode: '330106',
    contactPreference: 'phone',
    rejectReasons: [],
    onBehalf: true,
    createdBy: '0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b',
    openedAt: new Date('2026-02-01T02:00:00Z'),
    expiresAt: new Date('2026-05-01T02:00:00Z'),
    stateChangedAt: new Date('2026-02-01T02:00:00Z'),
    createdAt: new Date('2026-01-30T02:00:00Z'),
    updatedAt: new Date('2026-02-01T02:00:00Z'),
    version: 3,
    beneficiaryKey: 'head',
    itemCode: 'training_welder',
    itemName: '焊工技能培训',
    itemCategory: 'training',
    itemUnit: 'slots',
    archiveId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    archiveNo: '330106-2026-000123',
    archiveStatus: 'active',
    archiveKind: 'formal',
    archiveCategory: 'dibao',
    archiveCauses: ['illness', 'low_income'],
    archiveOwnerUserId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    headName: '欧阳建国',
    headBirthDate: '1968-05-12',
    unitId: 'c3',
    unitPath: '/a1/b2/c3/',
    unitName: '杭州绿源纺织有限公司工会',
    memberRelation: 'child',
    memberName: '欧阳小明',
    memberBirthDate: '2006-09-01',
    ...overrides,
  };
}

/** Every leaf of a value as `[path, value]` (`tags[0]`, `units[2]` …), however deep. */
function leaves(value: unknown, path = ''): [string, unknown][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
  return [[path, value]];
}

/**
 * The NeedRow fields the document may be built from. Everything else a row carries — names, birth
 * dates, the archive number, the worker's description, who ordered it, the contact preference, the unit's
 * name — must never reach any field of the document.
 */
const INDEXABLE_ROW_FIELDS = new Set<keyof NeedRow>([
  'id',
  'state',
  'urgency',
  'tags',
  'preferredMode',
  'regionCode',
  'createdAt',
  'beneficiaryKey',
  'itemCode',
  'itemName',
  'itemCategory',
  'archiveCategory',
  'archiveCauses',
  'unitPath',
  // read only to compute the age band (asserted below: the date itself never appears)
  'headBirthDate',
  'memberBirthDate',
]);

/** What each engine stores of a document: Meilisearch the projection, PostgreSQL jsonb values and text. */
function storedForms(document: SearchDocument): [string, unknown][] {
  return [
    ['document', document],
    ['meilisearch', projectDocument(NEEDS_INDEX_DEFINITION, document)],
    ['postgres filters', filterJson(NEEDS_INDEX_DEFINITION, document)],
    ['postgres text', weightedText(NEEDS_INDEX_DEFINITION, document)],
  ];
}

describe('no personal data and no worker text can reach the needs index', () => {
  const PERSONAL = [ID_NUMBER, PHONE, '6222021234567890123'];

  it('a marker put in every row field the document must not use reaches no field path of any stored form', () => {
    const base = row({ beneficiaryKey: '7d7c1f0e-1a3b-4c4d-8e8f-000000000001' });
    const poisoned: Record<string, unknown> = { ...base };
    const markers: string[] = [];
    for (const field of Object.keys(base) as (keyof NeedRow)[]) {
      if (INDEXABLE_ROW_FIELDS.has(field)) continue;
      const value = base[field];
      // Strings (and nullable strings) get a marker with personal data; other types keep their value.
      if (typeof value === 'string' || value === null) {
        const marker = `MARK_${field}_${ID_NUMBER}_${PHONE}`;
        markers.push(marker);
        poisoned[field] = marker;
      }
    }
    expect(markers.length).toBeGreaterThanOrEqual(10); // description, names, archive number, unit name …
    const document = needSearchDocument(poisoned as unknown as NeedRow, NOW);
    for (const [form, stored] of storedForms(document)) {
      for (const [path, value] of leaves(stored)) {
        const text = String(value);
        expect({ form, path, hits: findUnmaskedPersonalData(text) }).toEqual({ form, path, hits: [] });
        expect({ form, path, marked: text.includes('MARK_') }).toEqual({ form, path, marked: false });
        for (const secret of PERSONAL)
          expect({ form, path, secret: text.includes(secret) }).toEqual({
            form,
            path,
            secret: false,
          });
      }
    }
  });

  it.each([
    ['the head', row()],
    ['a member', row({ beneficiaryKey: '7d7c1f0e-1a3b-4c4d-8e8f-000000000001' })],
  ])(
    'for %s: no field path holds a name, birth date, archive number, description or the people behind it',
    (_who, r) => {
      const secrets = [
        ID_NUMBER,
        PHONE,
        '欧阳',
        '小明',
        '1968',
        '2006-09',
        '330106-2026-000123',
        r.description!,
        '文三路',
        '杭州绿源',
        r.archiveOwnerUserId!,
        r.createdBy,
        r.archiveId,
      ];
      for (const [form, stored] of storedForms(needSearchDocument(r, NOW)))
        for (const [path, value] of leaves(stored))
          for (const secret of secrets)
            expect({ form, path, leaks: String(value).includes(secret) }).toEqual({
              form,
              path,
              leaks: false,
            });
    },
  );

  it('a picked tag that holds personal data is left out (tags are checked against the item’s list on create; this is the second line)', () => {
    const document = needSearchDocument(row({ tags: ['电焊', `电话${PHONE}`, ID_NUMBER] }), NOW);
    expect(document.tags).toEqual(['电焊']);
  });

  it('the document has exactly the declared fields, at every path', () => {
    const document = needSearchDocument(row(), NOW);
    const declared = new Set([
      'id',
      ...NEEDS_INDEX_DEFINITION.searchableFields,
      ...Object.keys(NEEDS_INDEX_DEFINITION.filterableFields),
      ...(NEEDS_INDEX_DEFINITION.sortableFields ?? []),
    ]);
    const topLevel = [...new Set(leaves(document).map(([path]) => path.replace(/\[\d+\]$/, '')))];
    expect(topLevel.filter((path) => !declared.has(path))).toEqual([]);
    expect(topLevel.every((path) => !path.includes('.'))).toBe(true); // no nested objects
  });
});

describe('the needs search document', () => {
  it('carries only the facts the index declares', () => {
    expect(needSearchDocument(row(), NOW)).toEqual({
      id: '5b2c7d1e-3f4a-4b5c-8d6e-7f8091a2b3c4',
      item: 'training_welder',
      itemName: '焊工技能培训',
      category: 'training',
      categoryName: '技能培训',
      tags: ['电焊'],
      urgency: 'emergency',
      urgencyRank: 0,
      state: 'open',
      units: ['a1', 'b2', 'c3'],
      regions: ['33', '3301', '330106'],
      mode: 'onsite',
      ageBand: '35_59',
      archiveCategory: 'dibao',
      causes: ['illness', 'low_income'],
      waitingSince: new Date('2026-01-30T02:00:00Z').getTime(),
    });
  });

  it.each([
    ['the head', row()],
    ['a member', row({ beneficiaryKey: '7d7c1f0e-1a3b-4c4d-8e8f-000000000001' })],
  ])('for %s: no ID number, phone, bank card, name, birth date, archive number or description', (_who, r) => {
    const text = JSON.stringify(needSearchDocument(r, NOW));
    expect(findUnmaskedPersonalData(text)).toEqual([]);
    for (const secret of [
      ID_NUMBER,
      PHONE,
      '6222021234567890123',
      '欧阳',
      '1968-05-12',
      '2006-09-01',
      '330106-2026-000123',
      '文三路',
      '杭州绿源',
      r.archiveOwnerUserId!,
      r.createdBy,
    ])
      expect(text).not.toContain(secret);
  });

  it('every document field is declared searchable or filterable (nothing rides along unindexed)', () => {
    const declared = new Set([
      'id',
      ...NEEDS_INDEX_DEFINITION.searchableFields,
      ...Object.keys(NEEDS_INDEX_DEFINITION.filterableFields),
      ...(NEEDS_INDEX_DEFINITION.sortableFields ?? []),
    ]);
    expect(Object.keys(needSearchDocument(row(), NOW)).filter((k) => !declared.has(k))).toEqual([]);
  });

  it.each([
    ['2026-03-02', 'under_6'],
    ['2020-03-03', 'under_6'],
    ['2020-03-02', '6_17'],
    ['2008-03-03', '6_17'],
    ['2008-03-02', '18_34'],
    ['1991-03-02', '35_59'],
    ['1966-03-03', '35_59'],
    ['1966-03-02', '60_plus'],
  ])('born %s → %s on 2 March 2026', (birth, band) => {
    expect(ageBand(birth, NOW)).toBe(band);
  });

  it.each([
    ['330106', ['33', '3301', '330106']],
    ['330100', ['33', '3301']],
    ['330000', ['33']],
  ])('region %s → %j', (code, prefixes) => {
    expect(regionPrefixes(code)).toEqual(prefixes);
  });
});
