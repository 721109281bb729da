import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { FakeClock } from '../../../src/common/clock/clock';
import { FieldCipher } from '../../../src/common/crypto/field-cipher';
import { findUnmaskedPersonalData } from '../../../src/common/masking';
import { ReindexService } from '../../../src/infra/outbox/reindex.service';
import { SEARCH_ENGINE, SearchEngine } from '../../../src/infra/search/search-engine';
import { AidLedgerService } from '../../../src/modules/aid-ledger/aid-ledger.service';
import type { Principal } from '../../../src/modules/auth/principal';
import {
  NeedSuggestionsQueryDto,
  OfferSuggestionsQueryDto,
} from '../../../src/modules/matching/dto/suggestions.dto';
import { SuggestionsService } from '../../../src/modules/matching/suggestions.service';
import {
  CreateNeedDto,
  NeedCommandDto,
  NeedDto,
  ScreenNeedDto,
} from '../../../src/modules/needs/dto/needs.dto';
import { NEEDS_INDEX, NeedsService } from '../../../src/modules/needs/needs.service';
import { OFFERS_INDEX } from '../../../src/modules/offers/offer-mover';
import { offerSearchDocument } from '../../../src/modules/offers/offers-search.source';
import { OffersRepository } from '../../../src/modules/offers/offers.repository';
import { createArchive } from '../../helpers/factories/archives.factory';
import { createMenuItem } from '../../helpers/factories/menu.factory';
import { createOffer, OfferOverrides } from '../../helpers/factories/offers.factory';
import { createPartner } from '../../helpers/factories/partners.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';
import {
  domainError,
  dto,
  seedWorkflowTree,
  staff,
  worker,
  WorkflowTree,
} from '../archives/workflow-fixtures';

/**
 * Suggestions both ways on a real PostgreSQL with the PostgreSQL search adapter: one open need and offers
 * failing one hard filter each; only the eligible ones are suggested, in score order with deterministic
 * ties; `?explain=excluded` names the filter; a document that lies never reaches the answer; the worker
 * sees no contact, the partner no personal data.
 */
describe('suggestions: offers for a need, needs for an offer', () => {
  let t: TestApp;
  let ds: DataSource;
  let suggestions: SuggestionsService;
  let needs: NeedsService;
  let engine: SearchEngine;
  let tree: WorkflowTree;
  let caseworker: Principal;
  let ningboCaseworker: Principal;
  let owner: Principal;
  let partner: Principal;
  let need: NeedDto;
  let ningboNeed: NeedDto;
  /** Orders and opens a welder need of a new household in `unit` (set in beforeAll). */
  let orderNeed: (unit: WorkflowTree['grassroots'], regionCode: string) => Promise<{ opened: NeedDto }>;
  const clock = new FakeClock('2026-03-02T09:00:00+08:00');
  const o: Record<string, string> = {};
  const HEAD = '欧阳建国';
  const DESCRIPTION = '家住文三路，想学电焊';

  const partnerPrincipal = (id: string): Principal => ({
    userId: randomUUID(),
    username: `partner.${id.slice(0, 6)}`,
    kind: 'partner',
    roles: [],
    orgUnitId: null,
    orgPath: null,
    partnerId: id,
    sessionId: randomUUID(),
    restriction: null,
  });
  const forNeed = (who: Principal, id: string, query: Record<string, unknown> = {}) =>
    suggestions.forNeed(who, id, dto(NeedSuggestionsQueryDto, { pageSize: '50', ...query }));
  const forOffer = (who: Principal, id: string, query: Record<string, unknown> = {}) =>
    suggestions.forOffer(who, id, dto(OfferSuggestionsQueryDto, { pageSize: '50', ...query }));
  const name = (id: string) => Object.entries(o).find(([, v]) => v === id)?.[0] ?? id;
  const reindex = async () => {
    await t.app.get(ReindexService).rebuild(OFFERS_INDEX);
    await t.app.get(ReindexService).rebuild(NEEDS_INDEX);
  };

  beforeAll(async () => {
    t = await createTestApp({ clock });
    ds = t.db.dataSource;
    suggestions = t.app.get(SuggestionsService);
    needs = t.app.get(NeedsService);
    engine = t.app.get<SearchEngine>(SEARCH_ENGINE);
    const cipher = t.app.get(FieldCipher);
    tree = await seedWorkflowTree(ds);
    caseworker = await staff(ds, tree.district, ['caseworker', 'reviewer'], '区经办');
    ningboCaseworker = await staff(ds, tree.city2, ['caseworker', 'reviewer'], '宁波经办');
    const welder = await createMenuItem(ds, { name: '焊工技能培训', category: 'training', tags: ['电焊'] });
    const cook = await createMenuItem(ds, { name: '中式烹调培训', category: 'training', tags: [] });

    const order = async (unit: typeof tree.grassroots, regionCode: string) => {
      const me = await worker(ds, unit, '张建明');
      const { archive } = await createArchive(ds, {
        orgUnitId: unit.id,
        ownerUserId: me.userId,
        status: 'active',
        category: 'dibao',
        causes: ['illness'],
        primaryCause: 'illness',
        regionCode,
        archiveNo: `${regionCode}-2026-${String(Math.floor(Math.random() * 900000) + 100000)}`,
        activatedAt: new Date('2026-01-05T02:00:00Z'),
        headName: HEAD,
        headBirthDate: '1968-05-12',
      });
      // Half the 低保 line (124 000 fen by default) per head.
      await ds.query(`UPDATE archives SET per_capita_income_fen = 62000 WHERE id = $1`, [archive.id]);
      const created = await needs.create(
        me,
        dto(CreateNeedDto, {
          itemCode: welder.code,
          quantity: 1,
          urgency: 'urgent',
          contactPreference: 'phone',
          tags: ['电焊'],
          description: DESCRIPTION,
        }),
      );
      const opened = await needs.screen(
        unit === tree.grassroots3 ? ningboCaseworker : caseworker,
        created.id,
        dto(ScreenNeedDto, { version: created.version, decision: 'approve' }),
      );
      return { me, opened };
    };
    orderNeed = order;
    ({ me: owner, opened: need } = await order(tree.grassroots, '330106'));
    ({ opened: ningboNeed } = await order(tree.grassroots3, '330203'));

    const company = (await createPartner(ds, cipher, tree.district.id)).id;
    const suspended = (await createPartner(ds, cipher, tree.district.id)).id;
    partner = partnerPrincipal(company);
    const offer = async (
      key: string,
      overrides: OfferOverrides,
      sql?: string,
      partnerId = company,
      items = [welder.id],
    ) => {
      o[key] = (
        await createOffer(ds, cipher, partnerId, items, {
          state: 'published',
          title: '焊工培训班',
          ...overrides,
        })
      ).id;
      if (sql) await ds.query(`UPDATE offers SET ${sql} WHERE id = $1`, [o[key]]);
    };
    // Scoped to the whole province by region: every need of Zhejiang is in scope.
    const province = { scopeOrgUnitId: null, scopeRegionPrefix: '33' };
    await offer('near', { ...province, regionCode: '330106' });
    await offer('twinA', { ...province, regionCode: '330102', id: '00000000-0000-4000-8000-00000000000a' });
    await offer('twinB', { ...province, regionCode: '330102', id: '00000000-0000-4000-8000-00000000000b' });
    await offer('online', {
      scopeOrgUnitId: null,
      scopeRegionPrefix: '44',
      online: true,
      regionCode: '440106',
    });
    await offer('wrongItem', province, undefined, company, [cook.id]);
    await offer('paused', { ...province, state: 'paused' });
    await offer('expired', { ...province, validUntil: '2026-02-28' });
    await offer('outOfScope', { scopeOrgUnitId: tree.city2.id });
    await offer('suspendedPartner', province, undefined, suspended);
    await offer('incomeBound', province, `income_factor = 0.40`);
    await offer('ageBound', province, `age_max = 40`);
    await offer('doctored', province);
    // A draft: seen only by its partner and the staff of the partner's subtree; never in the explain pool.
    await offer('draft', { ...province, state: 'draft' });
    await ds.query(`UPDATE partners SET status = 'suspended' WHERE id = $1`, [suspended]);
    await reindex();
    // Paused behind the index's back: the document still says published.
    await ds.query(`UPDATE offers SET state = 'paused', version = version + 1 WHERE id = $1`, [o.doctored]);
  }, 180_000);

  afterAll(async () => {
    await t?.close();
  });

  it('suggests only the eligible offers, by score, equal scores by id', async () => {
    const page = await forNeed(caseworker, need.id);
    expect(page.items.map((i) => name(i.offerId))).toEqual(['near', 'twinA', 'twinB', 'online']);
    expect(page.total).toBe(4);
    const [near, twinA, twinB, online] = page.items;
    expect(near!.total).toBeGreaterThan(twinA!.total);
    expect(twinA!.total).toBe(twinB!.total);
    expect(twinB!.total).toBeGreaterThan(online!.total);
    const proximity = (s: typeof near) => s!.breakdown.find((b) => b.factor === 'proximity')!.value;
    expect([proximity(near), proximity(twinA), proximity(online)]).toEqual([1, 0.6, 0.5]);
    for (const s of page.items) {
      expect(s.breakdown.map((b) => b.factor)).toEqual([
        'text',
        'item',
        'proximity',
        'hardship',
        'waiting',
        'fairness',
        'capacity',
      ]);
      expect(s.total).toBeCloseTo(
        s.breakdown.reduce((sum, b) => sum + b.weight * b.value, 0),
        10,
      );
    }
  });

  it('pages the ranked list', async () => {
    const second = await forNeed(caseworker, need.id, { page: '2', pageSize: '2' });
    expect(second.items.map((i) => name(i.offerId))).toEqual(['twinB', 'online']);
    expect(second).toMatchObject({ total: 4, page: 2, pageSize: 2 });
  });

  it('explain=excluded names the filter that excluded each candidate', async () => {
    const page = await forNeed(caseworker, need.id, { explain: 'excluded' });
    const excluded = Object.fromEntries(
      (page.excluded ?? []).map((e) => [name(e.offerId), e.excludedBy.map((x) => x.code)]),
    );
    expect(excluded).toEqual({
      wrongItem: ['item'],
      paused: ['offer_state'],
      expired: ['validity'],
      outOfScope: ['scope'],
      suspendedPartner: ['partner'],
      incomeBound: ['income'],
      ageBound: ['beneficiary_age'],
      doctored: ['offer_state'],
    });
    expect(page.excluded![0]!.excludedBy[0]!.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('a document that lies never reaches the answer', async () => {
    // The index still calls the paused offer published and in scope: the engine returns it …
    const hits = await engine.search(OFFERS_INDEX, {
      filter: { op: 'eq', field: 'state', value: 'published' },
    });
    expect(hits.hits.map((h) => h.id)).toContain(o.doctored);
    // … and a doctored document puts an out-of-scope offer in scope and an expired one in its window.
    const repo = t.app.get(OffersRepository);
    const lie = (row: Awaited<ReturnType<OffersRepository['row']>>) => ({
      ...offerSearchDocument(row!),
      hasScopeUnit: false,
      hasScopeRegion: false,
      validUntil: 30_000,
    });
    await engine.upsert(OFFERS_INDEX, [lie(await repo.row(o.outOfScope!)), lie(await repo.row(o.expired!))]);
    const page = await forNeed(caseworker, need.id);
    expect(page.items.map((i) => name(i.offerId))).toEqual(['near', 'twinA', 'twinB', 'online']);
    await t.app.get(ReindexService).rebuild(OFFERS_INDEX);
  });

  it('the worker sees the offers it could take, no contact and no excluded list', async () => {
    const page = await forNeed(owner, need.id, { explain: 'excluded' });
    expect(page.items.map((i) => name(i.offerId))).toEqual(['near', 'twinA', 'twinB', 'online']);
    expect(page.excluded).toBeUndefined();
    const body = JSON.stringify(page);
    expect(body).not.toContain('王老师');
    expect(body).not.toContain('13800002210');
    expect(body).not.toContain('2210');
    expect(Object.keys(page.items[0]!).sort()).toEqual(
      [
        'offerId',
        'title',
        'partnerName',
        'kind',
        'remaining',
        'validFrom',
        'validUntil',
        'regionCode',
        'online',
        'total',
        'breakdown',
      ].sort(),
    );
  });

  it('the offer direction: open needs in scope, as masked cards', async () => {
    const page = await forOffer(partner, o.near!);
    // Both are in the offer's scope (Zhejiang); the need in the offer's own district scores higher.
    expect(page.items.map((c) => c.needId)).toEqual([need.id, ningboNeed.id]);
    const card = page.items.find((c) => c.needId === need.id)!;
    expect(card).toMatchObject({
      itemName: '焊工技能培训',
      urgency: 'urgent',
      district: '330106',
      ageBand: '35_59',
      archiveCategory: 'dibao',
    });
    expect(card.householdSize).toBeGreaterThanOrEqual(1);
    const body = JSON.stringify(page);
    for (const secret of [HEAD, '欧阳', DESCRIPTION, '文三路', need.archiveNo ?? 'none', '1968'])
      expect(body).not.toContain(secret);
    expect(findUnmaskedPersonalData(body)).toEqual([]);
    // Staff see the needs of their own subtree only.
    const staffPage = await forOffer(caseworker, o.near!);
    expect(staffPage.items.map((c) => c.needId)).toEqual([need.id]);
  });

  it.each<[string, Record<string, string>, string[]]>([
    ['the offer’s region', { regionPrefix: '330102' }, ['twinA', 'twinB']],
    ['a province', { regionPrefix: '33' }, ['near', 'twinA', 'twinB']],
    ['online offers', { mode: 'online' }, ['online']],
    ['offers on site', { mode: 'onsite' }, ['near', 'twinA', 'twinB']],
    ['a kind no offer has', { kind: 'cash' }, []],
  ])('narrows the offers for a need to %s', async (_case, query, expected) => {
    const page = await forNeed(caseworker, need.id, query);
    expect(page.items.map((i) => name(i.offerId))).toEqual(expected);
    expect(page.total).toBe(expected.length);
  });

  it('narrows the needs for an offer by urgency, category and region', async () => {
    const ids = async (query: Record<string, string>) =>
      (await forOffer(partner, o.near!, query)).items.map((c) => c.needId);
    expect(await ids({ urgency: 'urgent' })).toEqual([need.id, ningboNeed.id]);
    expect(await ids({ urgency: 'normal' })).toEqual([]);
    expect(await ids({ archiveCategory: 'marginal' })).toEqual([]);
    expect(await ids({ regionPrefix: '3302' })).toEqual([ningboNeed.id]);
  });

  it('the offer direction refuses an offer not published (409), another partner (403), unknown (404)', async () => {
    expect(await domainError(forOffer(partner, o.paused!))).toMatchObject({
      code: 'SUGGESTIONS_OFFER_NOT_PUBLISHED',
      details: { state: 'paused' },
    });
    expect((await domainError(forOffer(partnerPrincipal(randomUUID()), o.near!))).code).toBe('NOT_OWNER');
    expect((await domainError(forOffer(partner, randomUUID()))).code).toBe('OFFER_NOT_FOUND');
    expect((await domainError(forOffer(ningboCaseworker, o.draft!))).code).toBe('OUT_OF_SCOPE');
    expect(await domainError(forOffer(caseworker, o.draft!))).toMatchObject({
      code: 'SUGGESTIONS_OFFER_NOT_PUBLISHED',
      details: { state: 'draft' },
    });
    // Ningbo's staff see the province-wide offer, and only the needs of their own subtree.
    expect((await forOffer(ningboCaseworker, o.near!)).items.map((c) => c.needId)).toEqual([ningboNeed.id]);
  });
  it('fairness reads the aid ledger: more aid in the last 12 months scores lower', async () => {
    const ledger = t.app.get(AidLedgerService);
    const { opened: helped } = await orderNeed(tree.grassroots2, '330106');
    const { opened: unhelped } = await orderNeed(tree.grassroots2, '330106');
    const aid = (valueFen: number, day: string) =>
      ds.transaction((m) =>
        ledger.record(m, {
          archiveId: helped.archiveId,
          category: 'relief',
          causeCode: 'illness',
          valueFen,
          at: new Date(`${day}T10:00:00+08:00`),
          receivedVia: 'bank_transfer',
          recordedBy: null,
        }),
      );
    // 2,000 元 (matching.yml's reference) within the year halves the factor; aid over a year ago does not count.
    await aid(200_000, '2026-02-01');
    await aid(900_000, '2025-03-01');
    const near = async (id: string) =>
      (await forNeed(caseworker, id)).items.find((i) => i.offerId === o.near)!;
    const fairness = (s: Awaited<ReturnType<typeof near>>) =>
      s.breakdown.find((b) => b.factor === 'fairness')!.value;
    const [withAid, withoutAid] = [await near(helped.id), await near(unhelped.id)];
    expect([fairness(withAid), fairness(withoutAid)]).toEqual([0.5, 1]);
    expect(withAid.total).toBeLessThan(withoutAid.total);
    // The other tests see only their own needs.
    for (const n of [helped, unhelped])
      await needs.withdraw(caseworker, n.id, dto(NeedCommandDto, { version: n.version }));
  });

  it('scope and state: another unit 403, an unknown need 404, a need not open 409 naming its state', async () => {
    expect((await domainError(forNeed(ningboCaseworker, need.id))).code).toBe('OUT_OF_SCOPE');
    expect((await domainError(forNeed(caseworker, randomUUID()))).code).toBe('NEED_NOT_FOUND');
    const other = await worker(ds, tree.grassroots, '李四');
    expect((await domainError(forNeed(other, need.id))).code).toBe('NOT_OWNER');
    // A need of its own to withdraw: the other tests (in any order) keep theirs open.
    const { opened: leaving } = await orderNeed(tree.grassroots3, '330203');
    await t.app.get(ReindexService).rebuild(NEEDS_INDEX);
    expect((await forOffer(partner, o.near!)).items.map((c) => c.needId)).toContain(leaving.id);
    await needs.withdraw(ningboCaseworker, leaving.id, dto(NeedCommandDto, { version: leaving.version }));
    expect(await domainError(forNeed(ningboCaseworker, leaving.id))).toMatchObject({
      code: 'SUGGESTIONS_NEED_NOT_OPEN',
      details: { state: 'withdrawn' },
    });
    // Withdrawn needs are no longer suggested for offers either.
    await t.app.get(ReindexService).rebuild(NEEDS_INDEX);
    const after = (await forOffer(partner, o.near!)).items.map((c) => c.needId);
    expect(after).not.toContain(leaving.id);
    expect(after).toEqual([need.id, ningboNeed.id]);
  });
});
