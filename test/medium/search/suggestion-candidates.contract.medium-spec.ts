/**
 * The candidate query of the suggestions (issue 12 §1/§3), through the SearchEngine contract: the real
 * `offers` index definition and documents (offerSearchDocument), the filter the suggestions push into the
 * engine (offerCandidateFilter: item or category, published, validity window, remaining > 0, partner not
 * suspended, scope unit / region or online, mode, eligibility facets). Every configured adapter must return
 * exactly the offers the hard-filter rule accepts for the need (no match history yet) — the same ids from
 * PostgreSQL and, when MEILI_URL is set, from Meilisearch (otherwise reported as skipped).
 */
import { randomBytes } from 'node:crypto';
import { Meilisearch } from 'meilisearch';
import { MeilisearchEngine } from '../../../src/infra/search/meilisearch/meilisearch.engine';
import { PostgresSearchEngine } from '../../../src/infra/search/postgres/postgres-search.engine';
import type { SearchEngine } from '../../../src/infra/search/search-engine';
import {
  offerCandidateFilter,
  type NeedSearchFacts,
} from '../../../src/modules/matching/candidates/candidate-filters';
import { offerFacts } from '../../../src/modules/matching/candidates/pair-facts';
import { hardFilterExclusions } from '../../../src/modules/matching/filters/hard-filters.rule';
import {
  OFFERS_INDEX_DEFINITION,
  offerSearchDocument,
} from '../../../src/modules/offers/offers-search.source';
import type { OfferRow, OfferRowItem } from '../../../src/modules/offers/offers.repository';
import { createTestDatabase } from '../../helpers/test-database';
import { testConfig } from '../../helpers/test-env';

interface Target {
  name: string;
  skip?: string;
  start(): Promise<{ engine: SearchEngine; stop(): Promise<void> }>;
}

const config = testConfig();
const INDEX = OFFERS_INDEX_DEFINITION.name;

const targets: Target[] = [
  {
    name: 'postgres',
    async start() {
      const db = await createTestDatabase();
      return { engine: new PostgresSearchEngine(db.dataSource), stop: () => db.drop() };
    },
  },
  {
    name: 'meilisearch',
    skip: config.search.meili.url ? undefined : 'MEILI_URL not set',
    async start() {
      const meili = config.search.meili;
      const indexPrefix = `${meili.indexPrefix}test_${randomBytes(3).toString('hex')}_`;
      const engine = MeilisearchEngine.fromConfig({ ...meili, indexPrefix });
      return {
        engine,
        async stop() {
          await new Meilisearch({ host: meili.url!, apiKey: meili.apiKey }).deleteIndexIfExists(
            engine.uid(INDEX),
          );
        },
      };
    },
  },
];

const TODAY = '2026-03-02';
/** national / zhejiang / hangzhou / xihu / a grassroots union of xihu; gongshu is xihu's neighbour. */
const PATH = ['u-nat', 'u-zj', 'u-hz', 'u-xh', 'u-xh-gr1'];
const WELDER: OfferRowItem = {
  code: 'training_welder',
  name: '电焊工培训',
  category: 'training',
  unit: 'slots',
};
const ELECTRICIAN: OfferRowItem = {
  code: 'training_electrician',
  name: '低压电工培训',
  category: 'training',
  unit: 'slots',
};
const JOB_FAIR: OfferRowItem = { code: 'job_fair', name: '招聘会', category: 'employment', unit: 'slots' };

/** A published welder training of an approved partner, scoped to xihu, valid all of 2026, 5 places left. */
function offer(id: string, change: Partial<OfferRow> = {}): OfferRow {
  return {
    id,
    partnerId: 'p-1',
    title: '电焊工实训班',
    description: '免费培训，结业发证',
    kind: 'slots',
    capacity: 10,
    amountPerBeneficiaryFen: null,
    reserved: 0,
    used: 5,
    remaining: 5,
    eligCategories: [],
    eligCauses: [],
    eligEmployment: [],
    ageMin: null,
    ageMax: null,
    incomeFactor: null,
    requiresActiveArchive: true,
    scopeOrgUnitId: 'u-xh',
    scopeRegionPrefix: null,
    online: false,
    regionCode: '330106',
    address: null,
    validFrom: '2026-01-01',
    validUntil: '2026-12-31',
    perHouseholdLimit: 1,
    cooldownDays: 0,
    contactName: '王老师',
    contactPhoneCiphertext: 'x',
    state: 'published',
    closedReason: null,
    returnReasons: [],
    createdBy: 'u-1',
    submittedBy: 'u-1',
    publishedAt: new Date('2026-01-01T00:00:00Z'),
    stateChangedAt: new Date('2026-01-01T00:00:00Z'),
    createdAt: new Date('2026-01-01T00:00:00Z'),
    updatedAt: new Date('2026-01-01T00:00:00Z'),
    version: 3,
    items: [WELDER],
    partnerName: '某某职业技能学校',
    partnerKind: 'company',
    partnerStatus: 'approved',
    partnerUnitId: 'u-xh',
    partnerUnitPath: '/u-nat/u-zj/u-hz/u-xh/',
    scopeUnitPath: '/u-nat/u-zj/u-hz/u-xh/',
    scopeUnitName: '西湖区总工会',
    ...change,
  } as OfferRow;
}

/** One offer per hard filter the engine holds, each failing that filter only, and the eligible variants. */
const OFFERS: OfferRow[] = [
  offer('ok'),
  offer('ok-region-prefix', { scopeOrgUnitId: null, scopeUnitPath: null, scopeRegionPrefix: '3301' }),
  offer('ok-grassroots-scope', {
    scopeOrgUnitId: 'u-xh-gr1',
    scopeUnitPath: '/u-nat/u-zj/u-hz/u-xh/u-xh-gr1/',
  }),
  offer('ok-cause', { eligCauses: ['illness'] }),
  offer('ok-income', { incomeFactor: '1.00' }),
  offer('ok-any-archive', { requiresActiveArchive: false }),
  offer('same-category', { items: [ELECTRICIAN], title: '低压电工培训班' }),
  offer('other-item', { items: [JOB_FAIR], title: '春风行动招聘会' }),
  offer('paused', { state: 'paused' }),
  offer('closed', { state: 'closed', closedReason: 'withdrawn' }),
  offer('not-started', { validFrom: '2026-04-01' }),
  offer('ended', { validUntil: '2026-03-01' }),
  offer('exhausted', { used: 10, remaining: 0 }),
  offer('partner-suspended', { partnerStatus: 'suspended' }),
  offer('other-unit', { scopeOrgUnitId: 'u-gs', scopeUnitPath: '/u-nat/u-zj/u-hz/u-gs/' }),
  offer('other-region', { scopeOrgUnitId: null, scopeUnitPath: null, scopeRegionPrefix: '3302' }),
  offer('online-elsewhere', {
    online: true,
    scopeOrgUnitId: null,
    scopeUnitPath: null,
    scopeRegionPrefix: '3302',
    regionCode: '330212',
  }),
  offer('category', { eligCategories: ['marginal'] }),
  offer('cause', { eligCauses: ['schooling'] }),
  offer('employment', { eligEmployment: ['employed'] }),
  offer('too-young', { ageMin: 50 }),
  offer('too-old', { ageMax: 40 }),
  offer('income', { incomeFactor: '0.50' }),
];

/** A welder need of a laid-off 45-year-old head of a 低保 household in xihu, on site. */
function need(change: Partial<NeedSearchFacts> = {}, household: Partial<NeedSearchFacts['household']> = {}) {
  return {
    itemCode: WELDER.code,
    category: 'training',
    acceptsSameCategory: false,
    mode: 'onsite',
    regionCode: '330106',
    unitPath: PATH,
    ...change,
    household: {
      archiveActive: true,
      category: 'dibao',
      causes: ['illness', 'low_income'],
      employmentStatus: 'laid_off',
      beneficiaryAge: 45,
      perCapitaIncomeFen: 80_000,
      dibaoLineFen: 100_000,
      ...household,
    },
  } satisfies NeedSearchFacts;
}

const NO_HISTORY = { householdMatchesOnOffer: 0, pairTaken: false, lastAidOn: null };

/** What the hard-filter rule accepts (the authority the re-read applies). */
function accepted(facts: NeedSearchFacts): string[] {
  return OFFERS.filter(
    (o) =>
      hardFilterExclusions({ ...facts, menuItemId: facts.itemCode }, offerFacts(o), NO_HISTORY, TODAY)
        .length === 0,
  )
    .map((o) => o.id)
    .sort();
}

const CASES: Array<{ name: string; facts: NeedSearchFacts; q?: string; expected: string[] }> = [
  {
    name: 'on site, its own item only',
    facts: need(),
    expected: ['ok', 'ok-any-archive', 'ok-cause', 'ok-grassroots-scope', 'ok-income', 'ok-region-prefix'],
  },
  {
    name: 'the same query with the text the suggestions send (item name)',
    facts: need(),
    q: '电焊工培训',
    expected: ['ok', 'ok-any-archive', 'ok-cause', 'ok-grassroots-scope', 'ok-income', 'ok-region-prefix'],
  },
  {
    name: 'any mode and the same category: online offers ignore the region, other items of the category count',
    facts: need({ mode: 'any', acceptsSameCategory: true }),
    expected: [
      'ok',
      'ok-any-archive',
      'ok-cause',
      'ok-grassroots-scope',
      'ok-income',
      'ok-region-prefix',
      'online-elsewhere',
      'same-category',
    ],
  },
  {
    name: 'online only, an archive not active, 60 years old, no income known',
    facts: need({ mode: 'online' }, { archiveActive: false, beneficiaryAge: 60, perCapitaIncomeFen: null }),
    expected: [],
  },
  {
    name: 'on site, an archive not active: only offers that do not require one',
    facts: need({}, { archiveActive: false }),
    expected: ['ok-any-archive'],
  },
];

function contract(target: Target): void {
  let engine: SearchEngine;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ engine, stop } = await target.start());
    await engine.ensureIndex(OFFERS_INDEX_DEFINITION);
    await engine.upsert(INDEX, OFFERS.map(offerSearchDocument));
  });

  afterAll(async () => {
    await engine?.close();
    await stop?.();
  });

  it.each(CASES)(
    '$name: the engine returns exactly what the hard filters accept',
    async ({ facts, q, expected }) => {
      // The expectation is the rule's, so the engine agrees with the authority the re-read applies.
      expect(accepted(facts)).toEqual([...expected].sort());
      const result = await engine.search(INDEX, {
        q,
        filter: offerCandidateFilter(facts, TODAY),
        limit: 200,
      });
      expect(result.hits.map((h) => h.id).sort()).toEqual([...expected].sort());
      expect(result.total).toBe(expected.length);
    },
  );

  it('excludes each offer that fails one hard filter (one row per filter)', async () => {
    const result = await engine.search(INDEX, {
      filter: offerCandidateFilter(need({ mode: 'any', acceptsSameCategory: true }), TODAY),
      limit: 200,
    });
    const found = new Set(result.hits.map((h) => h.id));
    for (const excluded of [
      'other-item',
      'paused',
      'closed',
      'not-started',
      'ended',
      'exhausted',
      'partner-suspended',
      'other-unit',
      'other-region',
      'category',
      'cause',
      'employment',
      'too-young',
      'too-old',
      'income',
    ])
      expect({ excluded, found: found.has(excluded) }).toEqual({ excluded, found: false });
  });
}

describe('suggestion candidates through the SearchEngine contract', () => {
  for (const target of targets) {
    if (target.skip) describe.skip(`${target.name} (skipped: ${target.skip})`, () => contract(target));
    else describe(target.name, () => contract(target));
  }
});
