import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { FakeClock } from '../../../src/common/clock/clock';
import { FieldCipher } from '../../../src/common/crypto/field-cipher';
import { findUnmaskedPersonalData } from '../../../src/common/masking';
import { ReindexService } from '../../../src/infra/outbox/reindex.service';
import { SEARCH_ENGINE, SearchEngine, F } from '../../../src/infra/search/search-engine';
import type { Principal, StaffRole } from '../../../src/modules/auth/principal';
import {
  AvailableOffersQueryDto,
  CloseOfferDto,
  CreateOfferDto,
  ListOffersQueryDto,
  ReturnOfferDto,
  UpdateOfferDto,
} from '../../../src/modules/offers/dto/offers.dto';
import { OfferDraftingService } from '../../../src/modules/offers/offer-drafting.service';
import { OfferReadsService } from '../../../src/modules/offers/offer-reads.service';
import { OffersSearchSource } from '../../../src/modules/offers/offers-search.source';
import { OffersService } from '../../../src/modules/offers/offers.service';
import { allowedOfferStatePairs } from '../../../src/modules/offers/rules/offer-transitions.rule';
import { createMenuItem } from '../../helpers/factories/menu.factory';
import { createOffer } from '../../helpers/factories/offers.factory';
import { createPartner, unionPartnerOf } from '../../helpers/factories/partners.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';
import {
  domainError,
  dto,
  seedWorkflowTree,
  staff,
  worker,
  WorkflowTree,
} from '../archives/workflow-fixtures';

/** Offers on real PostgreSQL: the lifecycle, who may, concurrency, expiry, the database's guards, the index. */
describe('offers (供给) on real PostgreSQL', () => {
  let t: TestApp;
  let ds: DataSource;
  let cipher: FieldCipher;
  let offers: OffersService;
  let reads: OfferReadsService;
  let drafting: OfferDraftingService;
  let tree: WorkflowTree;
  let partnerId: string;
  let partner: Principal;
  let otherPartner: Principal;
  let reviewer: Principal;
  let reviewer2: Principal;
  let outsideReviewer: Principal;
  let caseworker: Principal;
  let approver: Principal;
  let itemCode: string;
  const clock = new FakeClock('2026-03-02T09:00:00+08:00');

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
  const draft = (principal: Principal, extra: Record<string, unknown> = {}) =>
    drafting.create(
      principal,
      dto(CreateOfferDto, {
        kind: 'slots',
        itemCodes: [itemCode],
        title: '2026年春季电焊工技能培训',
        description: '免费培训，结业发证，推荐就业',
        capacity: 20,
        regionCode: '330106',
        validFrom: '2026-03-01',
        validUntil: '2026-06-30',
        contactName: '王老师',
        contactPhone: '13812342210',
        ...extra,
      }),
    );
  const cmd = (version: number, extra: Record<string, unknown> = {}) => ({ version, ...extra });
  const history = (id: string) =>
    ds.query(
      `SELECT command, from_state, to_state, actor_kind, reasons FROM offer_history WHERE offer_id = $1 ORDER BY id`,
      [id],
    );
  const outboxCount = async (id: string) =>
    (
      await ds.query(
        `SELECT count(*)::int AS n FROM outbox WHERE index_name = 'offers' AND document_id = $1`,
        [id],
      )
    )[0].n as number;
  const published = async (principal = partner) => {
    const d = await draft(principal);
    const s = await offers.submit(principal, d.id, cmd(d.version));
    return offers.publish(reviewer, d.id, cmd(s.version));
  };

  beforeAll(async () => {
    t = await createTestApp({ clock });
    ds = t.db.dataSource;
    cipher = t.app.get(FieldCipher);
    offers = t.app.get(OffersService);
    reads = t.app.get(OfferReadsService);
    drafting = t.app.get(OfferDraftingService);
    tree = await seedWorkflowTree(ds);
    partnerId = (await createPartner(ds, cipher, tree.district.id)).id;
    partner = partnerPrincipal(partnerId);
    otherPartner = partnerPrincipal((await createPartner(ds, cipher, tree.district.id)).id);
    reviewer = await staff(ds, tree.district, ['reviewer'], '赵审核');
    reviewer2 = await staff(ds, tree.city, ['reviewer'], '钱审核');
    outsideReviewer = await staff(ds, tree.city2, ['reviewer'], '宁波审核');
    caseworker = await staff(ds, tree.district, ['caseworker'], '刘经办');
    approver = await staff(ds, tree.district, ['approver'], '孙审批');
    itemCode = (await createMenuItem(ds, { unit: 'slots' })).code;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a partner drafts an offer: the phone encrypted at rest and masked, history, audit and outbox rows', async () => {
    const offer = await draft(partner);
    expect(offer).toMatchObject({
      state: 'draft',
      partner: { id: partnerId, active: true },
      unionProgramme: false,
      capacity: 20,
      remaining: 20,
      reserved: 0,
      used: 0,
      scope: { orgUnitId: tree.district.id, online: false },
      contact: { name: '王老师', phone: '138****2210' },
      commands: ['submit', 'close'],
    });
    const [stored] = await ds.query(`SELECT contact_phone_ciphertext FROM offers WHERE id = $1`, [offer.id]);
    expect(stored.contact_phone_ciphertext).not.toContain('13812342210');
    expect(await history(offer.id)).toEqual([
      { command: 'create', from_state: null, to_state: 'draft', actor_kind: 'partner', reasons: [] },
    ]);
    const audits = await ds.query(
      `SELECT details FROM audit_logs WHERE action = 'offer.create' AND target_id = $1`,
      [offer.id],
    );
    expect(audits).toHaveLength(1);
    expect(JSON.stringify(audits)).not.toContain('13812342210');
    expect(await outboxCount(offer.id)).toBe(1);
  });

  it('draft → review → published ⇄ paused; growth without review, other edits back to review; withdrawn', async () => {
    const d = await draft(partner);
    const submitted = await offers.submit(partner, d.id, cmd(d.version));
    expect(submitted.state).toBe('pending_review');
    const live = await offers.publish(reviewer, d.id, cmd(submitted.version));
    expect(live).toMatchObject({ state: 'published' });
    expect(live.publishedAt).not.toBeNull();
    const paused = await offers.pause(partner, d.id, cmd(live.version));
    const resumed = await offers.resume(partner, d.id, cmd(paused.version));
    expect(resumed.state).toBe('published');

    await ds.query(`UPDATE offers SET reserved = 3, used = 2, remaining = remaining - 5 WHERE id = $1`, [
      d.id,
    ]);
    const grown = await drafting.update(
      partner,
      d.id,
      dto(UpdateOfferDto, { version: resumed.version, capacity: 30, validUntil: '2026-09-30' }),
    );
    expect(grown).toMatchObject({
      state: 'published',
      capacity: 30,
      remaining: 25,
      validUntil: '2026-09-30',
    });
    expect(
      (
        await domainError(
          drafting.update(partner, d.id, dto(UpdateOfferDto, { version: grown.version, capacity: 4 })),
        )
      ).code,
    ).toBe('OFFER_CAPACITY_BELOW_COMMITTED');
    const revised = await drafting.update(
      partner,
      d.id,
      dto(UpdateOfferDto, { version: grown.version, title: '2026年电焊工技能培训（扩招）' }),
    );
    expect(revised.state).toBe('pending_review');
    const returned = await offers.returnToAuthor(
      reviewer,
      d.id,
      dto(ReturnOfferDto, {
        version: revised.version,
        reasons: ['description_insufficient'],
        note: '请补充培训地点',
      }),
    );
    expect(returned).toMatchObject({ state: 'draft', returnReasons: ['description_insufficient'] });
    const again = await offers.submit(partner, d.id, cmd(returned.version));
    expect(again.returnReasons).toEqual([]);
    const closed = await offers.close(
      partner,
      d.id,
      dto(CloseOfferDto, { version: again.version, reason: 'withdrawn' }),
    );
    expect(closed).toMatchObject({ state: 'closed', closedReason: 'withdrawn', commands: [] });
    const late = await domainError(offers.pause(partner, d.id, cmd(closed.version)));
    expect(late.code).toBe('OFFER_INVALID_TRANSITION');
    expect(late.details).toMatchObject({ state: 'closed' });
    const edit = await domainError(
      drafting.update(partner, d.id, dto(UpdateOfferDto, { version: closed.version, capacity: 50 })),
    );
    expect(edit.code).toBe('OFFER_INVALID_TRANSITION');
    expect(
      (await history(d.id)).map((h: { command: string; to_state: string }) => `${h.command}:${h.to_state}`),
    ).toEqual([
      'create:draft',
      'submit:pending_review',
      'publish:published',
      'pause:paused',
      'resume:published',
      'edit:published',
      'revise:pending_review',
      'return:draft',
      'submit:pending_review',
      'close:closed',
    ]);
  });

  it('who may: another partner 403 NOT_OWNER, a reviewer outside 403, a caseworker may not publish, nor edit a partner offer', async () => {
    const d = await draft(partner);
    expect((await domainError(offers.submit(otherPartner, d.id, cmd(d.version)))).code).toBe('NOT_OWNER');
    expect((await domainError(reads.get(otherPartner, d.id))).code).toBe('NOT_OWNER');
    const s = await offers.submit(partner, d.id, cmd(d.version));
    expect((await domainError(offers.publish(outsideReviewer, d.id, cmd(s.version)))).code).toBe(
      'OUT_OF_SCOPE',
    );
    expect((await domainError(reads.get(outsideReviewer, d.id))).code).toBe('OUT_OF_SCOPE');
    expect((await domainError(offers.publish(approver, d.id, cmd(s.version)))).code).toBe('ACCESS_DENIED');
    expect(
      (
        await domainError(
          drafting.update(caseworker, d.id, dto(UpdateOfferDto, { version: s.version, capacity: 2 })),
        )
      ).code,
    ).toBe('ACCESS_DENIED');
    expect((await domainError(offers.publish(reviewer, d.id, cmd(s.version + 5)))).code).toBe(
      'OFFER_VERSION_CONFLICT',
    );
    // A reviewer of the city above may publish too.
    expect((await offers.publish(reviewer2, d.id, cmd(s.version))).state).toBe('published');
  });

  it('a union programme: a caseworker enters it, an approver of the unit publishes, never the same person', async () => {
    const d = await draft(caseworker, { itemCodes: [itemCode] });
    const union = await unionPartnerOf(ds, tree.district.id);
    expect(d).toMatchObject({ unionProgramme: true, partner: { id: union.id } });
    const s = await offers.submit(caseworker, d.id, cmd(d.version));
    expect((await domainError(offers.publish(reviewer, d.id, cmd(s.version)))).code).toBe('ACCESS_DENIED');
    expect((await domainError(offers.submit(partner, d.id, cmd(s.version)))).code).toBe('NOT_OWNER');
    const both = await staff(ds, tree.district, ['caseworker', 'approver'] as StaffRole[], '周兼任');
    const own = await draft(both);
    const ownSubmitted = await offers.submit(both, own.id, cmd(own.version));
    expect((await domainError(offers.publish(both, own.id, cmd(ownSubmitted.version)))).code).toBe(
      'SELF_APPROVAL',
    );
    expect((await offers.publish(approver, d.id, cmd(s.version))).state).toBe('published');
    // A caseworker cannot enter a programme for a unit outside its subtree.
    expect((await domainError(draft(caseworker, { orgUnitId: tree.grassroots3.id }))).code).toBe(
      'OUT_OF_SCOPE',
    );
  });

  it('two reviewers publishing at once: one wins, the other gets 409', async () => {
    const d = await draft(partner);
    const s = await offers.submit(partner, d.id, cmd(d.version));
    // Both start while a third session holds the row, so both have read the same version before either
    // can write: only the row lock taken before the version check lets exactly one through.
    const holder = ds.createQueryRunner();
    await holder.startTransaction();
    await holder.query(`SELECT 1 FROM offers WHERE id = $1 FOR UPDATE`, [d.id]);
    const racing = Promise.allSettled([
      offers.publish(reviewer, d.id, cmd(s.version)),
      offers.publish(reviewer2, d.id, cmd(s.version)),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await holder.rollbackTransaction();
    await holder.release();
    const results = await racing;
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failed.reason.code).toBe('OFFER_VERSION_CONFLICT');
    expect((await history(d.id)).filter((h: { command: string }) => h.command === 'publish')).toHaveLength(1);
  });

  it('bad terms are 422 with the rule’s code', async () => {
    const cashItem = (await createMenuItem(ds, { unit: 'yuan', category: 'relief' })).code;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ itemCodes: ['no_such_item'] }, 'OFFER_ITEM_NOT_FOUND'],
      [{ kind: 'goods' }, 'OFFER_KIND_MISMATCH'],
      [{ kind: 'cash', itemCodes: [cashItem] }, 'OFFER_CASH_TERMS_INVALID'],
      [
        { kind: 'cash', itemCodes: [cashItem], amountPerBeneficiaryFen: 50_000, budgetFen: 999 },
        'OFFER_CASH_TERMS_INVALID',
      ],
      [{ ageMin: 60, ageMax: 18 }, 'OFFER_AGE_RANGE_INVALID'],
      [{ validFrom: '2026-01-01', validUntil: '2026-02-01' }, 'OFFER_VALIDITY_INVALID'],
      [{ validUntil: '2028-12-31' }, 'OFFER_VALIDITY_INVALID'],
      [{ scopeOrgUnitId: tree.grassroots3.id }, 'OFFER_SCOPE_INVALID'],
      [{ description: '报名请打13812342210' }, 'OFFER_TEXT_CONTAINS_PERSONAL_DATA'],
    ];
    for (const [extra, code] of cases)
      expect([extra, (await domainError(draft(partner, extra))).code]).toEqual([extra, code]);
    const cash = await draft(partner, {
      kind: 'cash',
      itemCodes: [cashItem],
      capacity: 100,
      amountPerBeneficiaryFen: 50_000,
      budgetFen: 5_000_000,
    });
    expect(cash).toMatchObject({ capacity: 100, budgetFen: 5_000_000, remaining: 100 });
  });

  it('a suspended partner: its offers vanish from what workers browse, stay with staff; a reviewer closes them', async () => {
    const own = await createPartner(ds, cipher, tree.district.id);
    const mine = partnerPrincipal(own.id);
    const live = await published(mine);
    const me = await worker(ds, tree.grassroots);
    const browse = async () =>
      (await reads.available(me, dto(AvailableOffersQueryDto, { itemCode, pageSize: '100' }))).items.map(
        (o) => o.id,
      );
    expect(await browse()).toContain(live.id);
    expect(
      (
        await domainError(
          offers.close(
            reviewer,
            live.id,
            dto(CloseOfferDto, { version: live.version, reason: 'partner_suspended' }),
          ),
        )
      ).code,
    ).toBe('OFFER_PARTNER_NOT_SUSPENDED');
    const before = await outboxCount(live.id);
    await ds.query(`UPDATE partners SET status = 'suspended' WHERE id = $1`, [own.id]);
    expect(await outboxCount(live.id)).toBe(before + 1);
    expect(await browse()).not.toContain(live.id);
    const staffList = await reads.list(reviewer, dto(ListOffersQueryDto, { pageSize: '100' }));
    expect(staffList.items.find((o) => o.id === live.id)?.partner.active).toBe(false);
    expect((await reads.list(mine, dto(ListOffersQueryDto, {}))).items.map((o) => o.id)).toContain(live.id);
    expect((await domainError(offers.resume(mine, live.id, cmd(live.version)))).code).toBe(
      'OFFER_INVALID_TRANSITION',
    );
    const closed = await offers.close(
      reviewer,
      live.id,
      dto(CloseOfferDto, { version: live.version, reason: 'partner_suspended' }),
    );
    expect(closed).toMatchObject({ state: 'closed', closedReason: 'partner_suspended' });
  });

  it('what a worker browses: published, in validity, something left, scope covers its unit (online ignores region)', async () => {
    const item = await createMenuItem(ds, { unit: 'slots', category: 'legal' });
    const offerOf = (extra: Parameters<typeof createOffer>[4]) =>
      createOffer(ds, cipher, partnerId, [item.id], {
        state: 'published',
        validFrom: '2026-01-01',
        ...extra,
      });
    const inDistrict = await offerOf({});
    const exhausted = await offerOf({ capacity: 2, used: 2 });
    const draftOne = await offerOf({ state: 'draft' });
    const ended = await offerOf({ validUntil: '2026-03-01' });
    const ningbo = await offerOf({ scopeOrgUnitId: null, scopeRegionPrefix: '3302' });
    const ningboOnline = await offerOf({ scopeOrgUnitId: null, scopeRegionPrefix: '3302', online: true });
    const hangzhou = await offerOf({ scopeOrgUnitId: null, scopeRegionPrefix: '3301' });
    const grassroots2Only = await offerOf({ scopeOrgUnitId: tree.grassroots2.id });
    const me = await worker(ds, tree.grassroots);
    const page = await reads.available(
      me,
      dto(AvailableOffersQueryDto, { itemCode: item.code, pageSize: '100' }),
    );
    expect(page.items.map((o) => o.id).sort()).toEqual([inDistrict.id, ningboOnline.id, hangzhou.id].sort());
    expect(JSON.stringify(page)).not.toMatch(/contact|王老师|2210/);
    void [exhausted, draftOne, ended, ningbo, grassroots2Only];
    const legal = await reads.available(
      me,
      dto(AvailableOffersQueryDto, { category: 'legal', q: '电焊', pageSize: '100' }),
    );
    expect(legal.items.map((o) => o.id).sort()).toEqual([inDistrict.id, ningboOnline.id, hangzhou.id].sort());
    expect(
      (await reads.available(me, dto(AvailableOffersQueryDto, { itemCode: item.code, q: '没有这个词' })))
        .total,
    ).toBe(0);
  });

  it('the daily job closes live offers past their last valid day (expired), once', async () => {
    const live = await published();
    const start = clock.now();
    try {
      clock.set(new Date('2026-07-01T01:00:00+08:00'));
      const { expired } = await offers.expireOverdue();
      expect(expired).toBeGreaterThanOrEqual(1);
      expect(await reads.get(partner, live.id)).toMatchObject({ state: 'closed', closedReason: 'expired' });
      expect((await history(live.id)).at(-1)).toMatchObject({
        command: 'close',
        to_state: 'closed',
        actor_kind: 'system',
        reasons: ['expired'],
      });
      expect((await offers.expireOverdue()).expired).toBe(0);
    } finally {
      clock.set(start);
    }
  });

  describe('the database’s own guards', () => {
    let id: string;
    beforeAll(async () => {
      id = (await createOffer(ds, cipher, partnerId, [(await createMenuItem(ds)).id], { state: 'published' }))
        .id;
    });

    it('offer_state_transitions holds exactly the moves of the state machine', async () => {
      const rows: { from_state: string; to_state: string }[] = await ds.query(
        `SELECT from_state, to_state FROM offer_state_transitions ORDER BY 1, 2`,
      );
      expect(rows.map((r) => [r.from_state, r.to_state])).toEqual(allowedOfferStatePairs());
    });

    it.each([
      ['published → draft', `UPDATE offers SET state = 'draft' WHERE id = $1`],
      ['remaining that does not add up', `UPDATE offers SET remaining = remaining + 1 WHERE id = $1`],
      ['remaining below zero', `UPDATE offers SET reserved = capacity + 1, remaining = -1 WHERE id = $1`],
      ['closed without a reason', `UPDATE offers SET state = 'closed' WHERE id = $1`],
      ['a reason while not closed', `UPDATE offers SET closed_reason = 'expired' WHERE id = $1`],
      ['a cash amount on a slots offer', `UPDATE offers SET amount_per_beneficiary_fen = 100 WHERE id = $1`],
      ['a window of three years', `UPDATE offers SET valid_until = valid_from + 1100 WHERE id = $1`],
      ['an age range upside down', `UPDATE offers SET age_min = 60, age_max = 18 WHERE id = $1`],
      ['an unknown cause', `UPDATE offers SET elig_causes = '{laziness}' WHERE id = $1`],
      [
        'no scope at all',
        `UPDATE offers SET scope_org_unit_id = NULL, scope_region_prefix = NULL WHERE id = $1`,
      ],
      [
        'history with a move the table lacks',
        `INSERT INTO offer_history (offer_id, at, actor_kind, command, from_state, to_state) VALUES ($1, now(), 'system', 'x', 'draft', 'published')`,
      ],
      [
        'history starting anywhere but draft',
        `INSERT INTO offer_history (offer_id, at, actor_kind, command, to_state) VALUES ($1, now(), 'system', 'x', 'published')`,
      ],
    ])('refuses %s', async (_name, sql) => {
      await expect(ds.query(sql, [id])).rejects.toMatchObject({ driverError: { code: '23514' } });
    });

    it('refuses an offer created in any state but draft', async () => {
      await expect(
        ds.query(
          `INSERT INTO offers (partner_id, title, kind, capacity, remaining, scope_region_prefix, region_code, valid_from,
                               valid_until, contact_name, contact_phone_ciphertext, state, created_by, state_changed_at, version)
           VALUES ($1, 'x', 'slots', 1, 1, '33', '330106', '2026-01-01', '2026-02-01', 'x', 'x', 'published', $2, now(), 1)`,
          [partnerId, randomUUID()],
        ),
      ).rejects.toMatchObject({ driverError: { code: '23514' } });
    });
  });

  it('the index follows every change through the outbox; reindex rebuilds it; no contact reaches a document', async () => {
    const engine = t.app.get<SearchEngine>(SEARCH_ENGINE);
    const d = await draft(partner, {
      contactName: '欧阳联络',
      contactPhone: '13912345678',
      title: '焊工培训专项',
    });
    const stateInIndex = async (expected: string) => {
      for (let i = 0; i < 100; i += 1) {
        const found = await engine.search('offers', {
          filter: F.and(F.eq('state', expected), F.in('units', [tree.district.id])),
          q: '焊工培训专项',
          limit: 100,
        });
        if (found.hits.some((h) => h.id === d.id)) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const rows = await ds.query(
        `SELECT attempts, last_error, processed_at FROM outbox WHERE document_id = $1`,
        [d.id],
      );
      throw new Error(`the offers index never showed ${d.id} in state ${expected} ${JSON.stringify(rows)}`);
    };
    await stateInIndex('draft');
    const s = await offers.submit(partner, d.id, cmd(d.version));
    await stateInIndex('pending_review');
    await offers.publish(reviewer, d.id, cmd(s.version));
    await stateInIndex('published');
    const report = await t.app.get(ReindexService).rebuild('offers');
    const [{ count }] = await ds.query(`SELECT count(*)::int AS count FROM offers`);
    expect(report.documents).toBe(count);
    const [document] = await t.app.get(OffersSearchSource).load([d.id]);
    const text = JSON.stringify(document);
    expect(findUnmaskedPersonalData(text)).toEqual([]);
    for (const secret of ['欧阳联络', '13912345678', '5678', 'contact']) expect(text).not.toContain(secret);
    expect(document).toMatchObject({
      items: [itemCode],
      state: 'published',
      hasRemaining: true,
      partnerActive: true,
      online: false,
    });
  });
});
