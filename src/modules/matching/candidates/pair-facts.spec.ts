import type { NeedMatchRow } from '../../needs/needs.repository';
import type { OfferRow } from '../../offers/offers.repository';
import { SCORING_SETTINGS } from '../testing/scoring-settings.fixture';
import { ageOn, needFacts, primaryCauseOf, scorePair } from './pair-facts';

const SETTINGS = SCORING_SETTINGS;

const NOW = new Date('2026-12-05T02:00:00Z');

const need = (patch: Partial<NeedMatchRow> = {}) =>
  ({
    id: 'n1',
    itemCode: 'training_welder',
    itemCategory: 'training',
    regionCode: '330106',
    archiveCategory: 'marginal',
    archiveCauses: ['schooling', 'illness'],
    primaryCause: 'illness',
    urgency: 'urgent',
    openedAt: new Date('2026-11-05T02:00:00Z'),
    createdAt: new Date('2026-11-01T02:00:00Z'),
    ...patch,
  }) as NeedMatchRow;

const offer = (patch: Partial<OfferRow> = {}) =>
  ({
    id: 'o1',
    items: [{ code: 'training_welder', name: '焊工技能培训', category: 'training', unit: 'slots' }],
    online: false,
    regionCode: '330106',
    remaining: 4,
    ...patch,
  }) as OfferRow;

const values = (s: ReturnType<typeof scorePair>) =>
  Object.fromEntries(s.breakdown.map((t) => [t.factor, t.value]));

describe('scorePair: the factors assembled from the rows', () => {
  const base = {
    engineScore: 0.4,
    bestEngineScore: 0.8,
    history: { aidLast12MonthsFen: 0, pending: 0 },
    now: NOW,
  };

  it('every factor from its own fact, and the total is Σ w·f', () => {
    const s = scorePair({ ...base, need: need(), offer: offer() }, SETTINGS);
    expect(values(s)).toEqual({
      text: 0.5,
      item: 1,
      proximity: 1,
      hardship: (0.7 + 1 + 0.7) / 3,
      waiting: 0.5,
      fairness: 1,
      capacity: 1,
    });
    expect(s.total).toBeCloseTo(0.5 + 3 + 2 + 2 * 0.8 + 0.75 + 1 + 0.5, 10);
    expect(s.breakdown.map((t) => t.label)).toContain('地域就近');
  });

  it.each<[string, Partial<NeedMatchRow>, Partial<OfferRow>, object, Partial<Record<string, number>>]>([
    ['an offer in the same city', {}, { regionCode: '330102' }, {}, { proximity: 0.6 }],
    ['an online offer is neutral', {}, { online: true, regionCode: '110101' }, {}, { proximity: 0.5 }],
    [
      'another item of the category',
      {},
      { items: [{ code: 'x', name: 'x', category: 'training', unit: 'slots' }] },
      {},
      { item: 0.5 },
    ],
    [
      'no primary cause: the first cause',
      { primaryCause: null },
      {},
      {},
      { hardship: (0.7 + 0.8 + 0.7) / 3 },
    ],
    ['not yet opened: waiting from creation', { openedAt: null }, {}, {}, { waiting: 34 / 60 }],
    [
      'aid received halves fairness at the reference',
      {},
      {},
      { aidLast12MonthsFen: 200_000 },
      { fairness: 0.5 },
    ],
    ['pending proposals press on capacity', {}, {}, { pending: 4 }, { capacity: 0.5 }],
  ])('%s', (_name, needPatch, offerPatch, history, expected) => {
    const s = scorePair(
      { ...base, history: { ...base.history, ...history }, need: need(needPatch), offer: offer(offerPatch) },
      SETTINGS,
    );
    const got = values(s);
    for (const [factor, value] of Object.entries(expected)) expect(got[factor]).toBeCloseTo(value!, 10);
  });

  it('no engine score: the text factor is 0', () => {
    expect(
      values(scorePair({ ...base, bestEngineScore: 0, need: need(), offer: offer() }, SETTINGS)).text,
    ).toBe(0);
  });
});

describe('facts of a need', () => {
  it('age in whole years on the day, the primary cause, the head or the member as beneficiary', () => {
    expect(ageOn('1974-12-06', '2026-12-05')).toBe(51);
    expect(ageOn('1974-12-05', '2026-12-05')).toBe(52);
    expect(primaryCauseOf({ primaryCause: null, archiveCauses: [] })).toBe('other');
    const row = {
      ...need(),
      beneficiaryKey: 'm1',
      headBirthDate: '1960-01-01',
      memberBirthDate: '2010-03-01',
      unitPath: '/a/b/',
      preferredMode: 'any',
      archiveStatus: 'active',
      employmentStatus: 'employed',
      perCapitaIncomeFen: 50_000,
    } as NeedMatchRow;
    const facts = needFacts(row, '2026-12-05', 80_000);
    expect(facts.household.beneficiaryAge).toBe(16);
    expect(facts.unitPath).toEqual(['a', 'b']);
    expect(facts.acceptsSameCategory).toBe(false);
    expect(facts.household.dibaoLineFen).toBe(80_000);
  });
});
