import type { NeedMatchRow } from '../../needs/needs.repository';
import type { OfferRow } from '../../offers/offers.repository';
import { assertInstance, planTotal } from '../allocation/instance';
import { solveOptimal } from '../allocation/optimal';
import type { NeedFacts, OfferFacts } from '../filters/hard-filters.rule';
import { integerScore } from '../scoring/score';
import { SCORING_SETTINGS } from '../testing/scoring-settings.fixture';
import { batchScore, buildBatch, candidatePairs, type BatchNeed, type BatchOffer } from './batch-candidates';
import type { PairHistory } from './pair-facts';

const TODAY = '2026-12-05';
const NOW = new Date('2026-12-05T02:00:00Z');

function need(
  id: string,
  patch: {
    item?: string;
    archive?: string;
    urgency?: NeedMatchRow['urgency'];
    facts?: Partial<NeedFacts>;
  } = {},
): BatchNeed {
  const item = patch.item ?? 'training_welder';
  return {
    row: {
      id,
      archiveId: patch.archive ?? `archive-${id}`,
      itemCode: item,
      itemCategory: 'training',
      regionCode: '330106',
      archiveCategory: 'dibao',
      archiveCauses: ['illness'],
      primaryCause: 'illness',
      urgency: patch.urgency ?? 'normal',
      openedAt: new Date('2026-11-05T02:00:00Z'),
      createdAt: new Date('2026-11-05T02:00:00Z'),
    } as NeedMatchRow,
    facts: {
      menuItemId: item,
      category: 'training',
      acceptsSameCategory: false,
      mode: 'any',
      regionCode: '330106',
      unitPath: ['city', 'xihu', 'gr-1'],
      household: {
        archiveActive: true,
        category: 'dibao',
        causes: ['illness'],
        employmentStatus: 'laid_off',
        beneficiaryAge: 52,
        perCapitaIncomeFen: 50_000,
        dibaoLineFen: 100_000,
      },
      ...patch.facts,
    },
  };
}

function offer(
  id: string,
  patch: {
    items?: string[];
    remaining?: number;
    limit?: number;
    region?: string;
    facts?: Partial<OfferFacts>;
  } = {},
): BatchOffer {
  const items = patch.items ?? ['training_welder'];
  const remaining = patch.remaining ?? 3;
  return {
    row: {
      id,
      items: items.map((code) => ({ code, name: code, category: 'training', unit: 'slots' })),
      online: false,
      regionCode: patch.region ?? '330106',
      remaining,
      perHouseholdLimit: patch.limit ?? 1,
    } as OfferRow,
    facts: {
      menuItemIds: items,
      categories: ['training'],
      state: 'published',
      validFrom: '2026-01-01',
      validUntil: '2027-01-01',
      remaining,
      partnerActive: true,
      online: false,
      scope: { unitId: 'xihu', regionPrefix: null },
      eligibility: {
        requiresActiveArchive: false,
        categories: [],
        causes: [],
        employment: [],
        ageMin: null,
        ageMax: null,
        incomeFactor: null,
      },
      perHouseholdLimit: patch.limit ?? 1,
      cooldownDays: null,
      ...patch.facts,
    },
  };
}

const history = (patch: Partial<PairHistory> = {}): PairHistory => ({
  pairTaken: false,
  householdMatchesOnOffer: 0,
  lastAidOn: null,
  aidLast12MonthsFen: 0,
  pending: 0,
  ...patch,
});

const OPTIONS = { k: 30, settings: SCORING_SETTINGS, now: NOW, today: TODAY };

const pairList = (needs: BatchNeed[], offers: BatchOffer[]) => {
  const pairs = candidatePairs(needs, offers, TODAY);
  return pairs.need.map((i, p) => `${needs[i]!.row.id}-${offers[pairs.offer[p]!]!.row.id}`);
};

describe('candidatePairs: the hard filters that need no history', () => {
  it('pairs a need with the offers of its item only', () => {
    const needs = [need('n1'), need('n2', { item: 'training_electrician' })];
    const offers = [
      offer('o1'),
      offer('o2', { items: ['training_electrician', 'training_welder'] }),
      offer('o3', { items: ['x'] }),
    ];
    expect(pairList(needs, offers)).toEqual(['n1-o1', 'n1-o2', 'n2-o2']);
  });

  it('adds offers of the same category when the need accepts the category', () => {
    const needs = [need('n1', { facts: { acceptsSameCategory: true } })];
    expect(pairList(needs, [offer('o1', { items: ['training_cook'] })])).toEqual(['n1-o1']);
    expect(pairList([need('n1')], [offer('o1', { items: ['training_cook'] })])).toEqual([]);
  });

  it.each<[string, Partial<OfferFacts>]>([
    ['no remaining capacity', { remaining: 0 }],
    ['not published', { state: 'paused' }],
    ['outside its validity', { validUntil: '2026-12-04' }],
    ['a suspended partner', { partnerActive: false }],
    ['a scope the need lies outside', { scope: { unitId: 'shangcheng', regionPrefix: null } }],
  ])('leaves out an offer with %s', (_case, facts) => {
    expect(pairList([need('n1')], [offer('o1', { facts })])).toEqual([]);
  });

  it('reports progress need by need', () => {
    const seen: number[] = [];
    candidatePairs([need('n1'), need('n2')], [offer('o1')], TODAY, (done) => seen.push(done));
    expect(seen).toEqual([1, 2]);
  });
});

describe('buildBatch: history filters, scores, the best K, the instance', () => {
  it('builds a valid instance whose scores are the suggestions’ scores on the integer scale', () => {
    const needs = [need('n1', { urgency: 'emergency' }), need('n2')];
    const offers = [offer('o1', { remaining: 1 }), offer('o2', { region: '330102', remaining: 2 })];
    const pairs = candidatePairs(needs, offers, TODAY);
    const batch = buildBatch(
      needs,
      offers,
      pairs,
      pairs.need.map(() => history()),
      OPTIONS,
    );
    assertInstance(batch.instance);
    expect(Array.from(batch.instance.capacity)).toEqual([1, 2]);
    expect(Array.from(batch.instance.edgeStart)).toEqual([0, 2, 4]);
    expect(Array.from(batch.instance.edgeOffer)).toEqual([0, 1, 0, 1]);
    const expected = (i: number, o: number) =>
      integerScore(batchScore(needs[i]!, offers[o]!, history(), SCORING_SETTINGS, NOW).total);
    expect(Array.from(batch.instance.edgeScore)).toEqual([
      expected(0, 0),
      expected(0, 1),
      expected(1, 0),
      expected(1, 1),
    ]);
    // The same district scores higher than the same city; the emergency need higher than the normal one.
    expect(expected(0, 0)).toBeGreaterThan(expected(0, 1));
    expect(expected(0, 0)).toBeGreaterThan(expected(1, 0));
    expect(Array.from(batch.hadCandidates)).toEqual([1, 1]);
    // Each edge remembers its pair, so a line's breakdown can be rebuilt.
    for (let e = 0; e < batch.edgePair.length; e++)
      expect(pairs.offer[batch.edgePair[e]!]).toBe(batch.instance.edgeOffer[e]);
    const plan = solveOptimal(batch.instance);
    expect(plan.total).toBe(plan.bound);
    expect(planTotal(batch.instance, plan.needOffer)).toBe(plan.total);
  });

  it.each<[string, Partial<PairHistory>]>([
    ['already matched, declined or parked', { pairTaken: true }],
    ['at the per-household limit', { householdMatchesOnOffer: 1 }],
    ['inside the cooldown', { lastAidOn: '2026-10-01' }],
  ])('drops a pair %s, and the need had no eligible offer', (_case, patch) => {
    const needs = [need('n1')];
    const offers = [offer('o1', { facts: { cooldownDays: 365 } })];
    const pairs = candidatePairs(needs, offers, TODAY);
    const batch = buildBatch(needs, offers, pairs, [history(patch)], OPTIONS);
    expect(batch.instance.edgeOffer).toHaveLength(0);
    expect(Array.from(batch.hadCandidates)).toEqual([0]);
  });

  it('keeps each need’s best K candidates', () => {
    const needs = [need('n1')];
    const offers = [offer('far', { region: '440106' }), offer('near'), offer('city', { region: '330102' })];
    const pairs = candidatePairs(needs, offers, TODAY);
    const batch = buildBatch(
      needs,
      offers,
      pairs,
      pairs.need.map(() => history()),
      { ...OPTIONS, k: 2 },
    );
    expect(Array.from(batch.instance.edgeOffer)).toEqual([1, 2]);
  });

  it('gives households of two or more needs a dense index, the others −1', () => {
    const needs = [need('a1', { archive: 'A' }), need('b1', { archive: 'B' }), need('a2', { archive: 'A' })];
    const offers = [offer('o1')];
    const pairs = candidatePairs(needs, offers, TODAY);
    const batch = buildBatch(
      needs,
      offers,
      pairs,
      pairs.need.map(() => history()),
      OPTIONS,
    );
    expect(Array.from(batch.instance.household)).toEqual([0, -1, 0]);
    expect(Array.from(batch.instance.perHouseholdLimit)).toEqual([1]);
    const plan = solveOptimal(batch.instance);
    expect(plan.assigned).toBe(2); // one of household A's needs, and B's
  });

  it('cuts a household’s edges to an offer to what its limit leaves after the matches it holds', () => {
    // Limit 3, the household holds 2: of its three needs' edges to the offer only the best one stays.
    const needs = [
      need('a1', { archive: 'A' }),
      need('a2', { archive: 'A', urgency: 'emergency' }),
      need('a3', { archive: 'A' }),
    ];
    const offers = [offer('o1', { remaining: 5, limit: 3 })];
    const pairs = candidatePairs(needs, offers, TODAY);
    const batch = buildBatch(
      needs,
      offers,
      pairs,
      pairs.need.map(() => history({ householdMatchesOnOffer: 2 })),
      OPTIONS,
    );
    expect(Array.from(batch.instance.edgeStart)).toEqual([0, 0, 1, 1]);
    expect(solveOptimal(batch.instance).assigned).toBe(1);
  });
});
