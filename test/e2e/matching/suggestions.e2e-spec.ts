import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { FieldCipher } from '../../../src/common/crypto/field-cipher';
import { findUnmaskedPersonalData } from '../../../src/common/masking';
import { ReindexService } from '../../../src/infra/outbox/reindex.service';
import { NEEDS_INDEX } from '../../../src/modules/needs/needs.service';
import { OFFERS_INDEX } from '../../../src/modules/offers/offer-mover';
import { Actor, createActor } from '../../helpers/actors';
import { createArchive, testCipher } from '../../helpers/factories/archives.factory';
import { createMenuItem } from '../../helpers/factories/menu.factory';
import { createOffer } from '../../helpers/factories/offers.factory';
import { createPartner } from '../../helpers/factories/partners.factory';
import { createOrgUnit, OrgUnitRow, rootOrgUnit } from '../../helpers/factories/users.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';

const API = '/api/v1';
const DAY = 86_400_000;
const day = (days: number) => new Date(Date.now() + 8 * 3_600_000 + days * DAY).toISOString().slice(0, 10);
const UNKNOWN = '0b9a6c2e-4d1f-4e8a-9c3b-5f2d7e1a0c44';
const HEAD = '欧阳建国';
const DESCRIPTION = '家住文三路，想学电焊';

/** Suggestions through the whole application: both routes, who gets what, every bad input (never a 500). */
describe('suggestions over HTTP', () => {
  let t: TestApp;
  let ds: DataSource;
  let grassroots: OrgUnitRow;
  let partner: Actor;
  let otherPartner: Actor;
  let caseworker: Actor;
  let outsider: Actor;
  let owner: Actor;
  let otherWorker: Actor;
  let openNeed: string;
  let screeningNeed: string;
  let published: string;
  let paused: string;
  const statuses: number[] = [];
  const get = async (actor: Actor | null, path: string) => {
    let req = request(t.app.getHttpServer()).get(`${API}${path}`);
    if (actor) req = req.set('authorization', `Bearer ${actor.token}`);
    const res = await req;
    statuses.push(res.status);
    return res;
  };

  /** A need of `owner`'s household in `state`, moved along the allowed path. */
  const needOf = async (who: Actor, unit: OrgUnitRow, itemId: string, state: 'screening' | 'open') => {
    const { archive } = await createArchive(
      ds,
      {
        orgUnitId: unit.id,
        ownerUserId: who.userId,
        status: 'active',
        headName: HEAD,
        archiveNo: `330106-2026-${randomBytes(3).toString('hex')}`,
        activatedAt: new Date(),
      },
      testCipher(),
    );
    const [row] = await ds.query(
      `INSERT INTO needs (archive_id, menu_item_id, beneficiary_key, quantity, urgency, preferred_mode, region_code,
                          contact_preference, state, created_by, state_changed_at, version, description, tags)
       VALUES ($1, $2, 'head', 1, 'urgent', 'any', '330106', 'phone', 'submitted', $3, now(), 1, $4, '{电焊}') RETURNING id`,
      [archive.id, itemId, who.userId, DESCRIPTION],
    );
    await ds.query(`UPDATE needs SET state = 'screening', version = 2 WHERE id = $1`, [row.id]);
    if (state === 'open')
      await ds.query(
        `UPDATE needs SET state = 'open', opened_at = now(), expires_at = now() + interval '30 days', version = 3
          WHERE id = $1`,
        [row.id],
      );
    return row.id as string;
  };

  beforeAll(async () => {
    t = await createTestApp();
    ds = t.db.dataSource;
    const root = await rootOrgUnit(ds);
    const district = await createOrgUnit(ds, { parent: root, level: 'district', regionCode: '330106' });
    const elsewhere = await createOrgUnit(ds, { parent: root, level: 'district', regionCode: '330203' });
    grassroots = await createOrgUnit(ds, { parent: district, level: 'grassroots', regionCode: '330106' });
    const cipher = t.app.get(FieldCipher);
    const company = await createPartner(ds, cipher, district.id);
    const other = await createPartner(ds, cipher, district.id);
    partner = await createActor(t.app, { kind: 'partner', unit: district, partnerId: company.id });
    otherPartner = await createActor(t.app, { kind: 'partner', unit: district, partnerId: other.id });
    caseworker = await createActor(t.app, { roles: ['caseworker'], unit: district });
    outsider = await createActor(t.app, { roles: ['caseworker'], unit: elsewhere });
    owner = await createActor(t.app, { kind: 'worker', roles: [], unit: grassroots });
    otherWorker = await createActor(t.app, { kind: 'worker', roles: [], unit: grassroots });
    const item = await createMenuItem(ds, { name: '焊工技能培训', category: 'training', tags: ['电焊'] });
    openNeed = await needOf(owner, grassroots, item.id, 'open');
    screeningNeed = await needOf(owner, grassroots, (await createMenuItem(ds)).id, 'screening');
    const window = { validFrom: day(-1), validUntil: day(60) };
    published = (
      await createOffer(ds, cipher, company.id, [item.id], {
        state: 'published',
        title: '焊工培训班',
        ...window,
      })
    ).id;
    paused = (await createOffer(ds, cipher, company.id, [item.id], { state: 'paused', ...window })).id;
    await t.app.get(ReindexService).rebuild(OFFERS_INDEX);
    await t.app.get(ReindexService).rebuild(NEEDS_INDEX);
  });
  afterAll(async () => {
    expect(statuses).not.toContain(500);
    await t?.close();
  });

  describe('GET /needs/:id/suggestions', () => {
    it('the worker: its own need, offers it could take, no contact', async () => {
      const res = await get(owner, `/needs/${openNeed}/suggestions`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 1, page: 1, pageSize: 20 });
      expect(res.body.items.map((i: { offerId: string }) => i.offerId)).toEqual([published]);
      expect(res.body.items[0].breakdown).toHaveLength(7);
      const numbers = [
        res.body.items[0].total,
        ...res.body.items[0].breakdown.map((t: { value: number }) => t.value),
      ];
      for (const n of numbers) expect(Math.round(n * 10_000) / 10_000).toBe(n);
      expect(res.body.excluded).toBeUndefined();
      expect(res.text).not.toContain('13800002210');
      expect(res.text).not.toContain('王老师');
      expect(findUnmaskedPersonalData(res.text)).toEqual([]);
    });

    it('staff in scope, with the excluded candidates explained', async () => {
      const res = await get(caseworker, `/needs/${openNeed}/suggestions?explain=excluded`);
      expect(res.status).toBe(200);
      expect(res.body.excluded).toEqual([
        expect.objectContaining({
          offerId: paused,
          excludedBy: [{ code: 'offer_state', message: '供给未处于发布状态' }],
        }),
      ]);
      expect(findUnmaskedPersonalData(res.text)).toEqual([]);
    });

    it('404 unknown, 403 out of scope / another worker / a partner, 401 anonymous', async () => {
      expect((await get(caseworker, `/needs/${UNKNOWN}/suggestions`)).body.code).toBe('NEED_NOT_FOUND');
      expect((await get(outsider, `/needs/${openNeed}/suggestions`)).status).toBe(403);
      expect((await get(otherWorker, `/needs/${openNeed}/suggestions`)).status).toBe(403);
      expect((await get(partner, `/needs/${openNeed}/suggestions`)).status).toBe(403);
      expect((await get(null, `/needs/${openNeed}/suggestions`)).status).toBe(401);
    });

    it('409 naming the state for a need not open', async () => {
      const res = await get(caseworker, `/needs/${screeningNeed}/suggestions`);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'SUGGESTIONS_NEED_NOT_OPEN', details: { state: 'screening' } });
    });

    it.each([
      ['pageSize over 50', 'pageSize=51', 400],
      ['a page of 0', 'page=0', 400],
      ['an unknown explain', 'explain=all', 400],
      ['an unknown kind', 'kind=loans', 400],
      ['an unknown mode', 'mode=remote', 400],
      ['a region prefix of 3 digits', 'regionPrefix=330', 400],
      ['a malformed id', null, 400],
      ['a page past the candidates ranked', 'page=11&pageSize=20', 422],
    ])('%s → %s', async (_name, query, status) => {
      const path =
        query === null ? '/needs/not-a-uuid/suggestions' : `/needs/${openNeed}/suggestions?${query}`;
      const res = await get(caseworker, path);
      expect(res.status).toBe(status);
      if (status === 422) expect(res.body.code).toBe('SUGGESTIONS_WINDOW_EXCEEDED');
    });
  });

  describe('GET /offers/:id/suggestions', () => {
    it('the partner: open needs as masked cards', async () => {
      const res = await get(partner, `/offers/${published}/suggestions`);
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([
        expect.objectContaining({
          needId: openNeed,
          itemName: '焊工技能培训',
          urgency: 'urgent',
          district: '330106',
        }),
      ]);
      for (const secret of [HEAD, '欧阳', DESCRIPTION, '文三路']) expect(res.text).not.toContain(secret);
      expect(findUnmaskedPersonalData(res.text)).toEqual([]);
    });

    it('staff in scope see the needs of their subtree', async () => {
      const res = await get(caseworker, `/offers/${published}/suggestions`);
      expect(res.status).toBe(200);
      expect(res.body.items.map((i: { needId: string }) => i.needId)).toEqual([openNeed]);
    });

    it('409 for an offer not published, 404 unknown, 403 another partner or a worker', async () => {
      expect((await get(partner, `/offers/${paused}/suggestions`)).body).toMatchObject({
        code: 'SUGGESTIONS_OFFER_NOT_PUBLISHED',
        details: { state: 'paused' },
      });
      expect((await get(partner, `/offers/${UNKNOWN}/suggestions`)).status).toBe(404);
      expect((await get(otherPartner, `/offers/${published}/suggestions`)).status).toBe(403);
      expect((await get(owner, `/offers/${published}/suggestions`)).status).toBe(403);
      expect((await get(partner, `/offers/${published}/suggestions?pageSize=51`)).status).toBe(400);
      for (const bad of ['urgency=now', 'archiveCategory=poor', 'regionPrefix=3a'])
        expect((await get(partner, `/offers/${published}/suggestions?${bad}`)).status).toBe(400);
    });

    it('narrows by urgency and region', async () => {
      const ids = async (query: string) =>
        (await get(partner, `/offers/${published}/suggestions?${query}`)).body.items.map(
          (i: { needId: string }) => i.needId,
        );
      expect(await ids('urgency=urgent&regionPrefix=3301')).toEqual([openNeed]);
      expect(await ids('urgency=emergency')).toEqual([]);
    });
  });
});
