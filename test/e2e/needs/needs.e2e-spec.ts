import request from 'supertest';
import { findUnmaskedPersonalData } from '../../../src/common/masking';
import { Actor, createActor } from '../../helpers/actors';
import { createArchive } from '../../helpers/factories/archives.factory';
import { createMenuItem } from '../../helpers/factories/menu.factory';
import { createOrgUnit, OrgUnitRow, rootOrgUnit } from '../../helpers/factories/users.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';

const API = '/api/v1';

/** Needs through the whole application: the happy path, then every kind of bad input (never a 500). */
describe('needs (需求/点单) over HTTP', () => {
  let t: TestApp;
  let grassroots: OrgUnitRow;
  let me: Actor;
  let reviewer: Actor;
  let caseworker: Actor;
  let archiveId: string;
  let childId: string;
  const bodies: string[] = [];
  const statuses: number[] = [];
  const http = () => request(t.app.getHttpServer());
  const as = (actor: Actor) => ({
    get: async (path: string) => {
      const res = await http().get(`${API}${path}`).set('authorization', `Bearer ${actor.token}`);
      bodies.push(res.text);
      statuses.push(res.status);
      return res;
    },
    post: async (path: string, body: unknown) => {
      const res = await http()
        .post(`${API}${path}`)
        .set('authorization', `Bearer ${actor.token}`)
        .set('content-type', 'application/json')
        .send(typeof body === 'string' ? body : JSON.stringify(body));
      bodies.push(res.text);
      statuses.push(res.status);
      return res;
    },
  });
  const order = (extra: Record<string, unknown> = {}) => ({
    quantity: 1,
    urgency: 'normal',
    contactPreference: 'phone',
    ...extra,
  });

  beforeAll(async () => {
    t = await createTestApp();
    const root = await rootOrgUnit(t.db.dataSource);
    const district = await createOrgUnit(t.db.dataSource, {
      parent: root,
      level: 'district',
      regionCode: '330106',
    });
    grassroots = await createOrgUnit(t.db.dataSource, {
      parent: district,
      level: 'grassroots',
      regionCode: '330106',
    });
    me = await createActor(t.app, { kind: 'worker', roles: [], unit: grassroots });
    reviewer = await createActor(t.app, { roles: ['reviewer'], unit: district });
    caseworker = await createActor(t.app, { roles: ['caseworker'], unit: grassroots });
    const created = await createArchive(t.db.dataSource, {
      orgUnitId: grassroots.id,
      ownerUserId: me.userId,
      status: 'active',
      archiveNo: '330106-2026-000777',
      activatedAt: new Date(),
      members: [{ relation: 'child', name: '张小明', birthDate: '2007-09-01', schoolingStage: 'college' }],
    });
    archiveId = created.archive.id;
    childId = created.memberIds[0]!;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('order, read, list, screen, history and withdraw: masked, never a personal number in any body', async () => {
    const item = await createMenuItem(t.db.dataSource, {
      category: 'tuition',
      unit: 'yuan',
      maxPerNeed: 500_000,
      beneficiary: 'member_in_stage',
      stages: ['college'],
      tags: ['学费', '生活费'],
    });
    const created = await as(me).post(
      '/needs',
      order({
        itemCode: item.code,
        beneficiaryMemberId: childId,
        quantity: 300_000,
        tags: ['学费'],
        urgency: 'emergency',
        description: '孩子考上大学，学费困难',
      }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      state: 'screening',
      beneficiary: { kind: 'member', relation: 'child' },
      archiveNo: '330106-2026-000777',
    });
    expect(created.body.beneficiary.name).not.toBe('张小明');
    const id = created.body.id as string;

    expect((await as(me).get(`/needs/${id}`)).body.id).toBe(id);
    expect((await as(me).get('/needs')).body.items.map((n: { id: string }) => n.id)).toContain(id);
    const queue = await as(reviewer).get('/needs?state=screening&urgency=emergency');
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((n: { id: string }) => n.id)).toContain(id);

    const screened = await as(reviewer).post(`/needs/${id}/screen`, {
      version: created.body.version,
      decision: 'approve',
    });
    expect(screened.status).toBe(200);
    expect(screened.body.state).toBe('open');
    // A second screen with the old version: 409, not a second move.
    const again = await as(reviewer).post(`/needs/${id}/screen`, {
      version: created.body.version,
      decision: 'approve',
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('NEED_VERSION_CONFLICT');

    const history = await as(me).get(`/needs/${id}/history`);
    expect(history.body.map((h: { toState: string }) => h.toState)).toEqual([
      'submitted',
      'screening',
      'open',
    ]);
    const withdrawn = await as(me).post(`/needs/${id}/withdraw`, {
      version: screened.body.version,
      note: '已获其他资助',
    });
    expect(withdrawn.body.state).toBe('withdrawn');
    const late = await as(me).post(`/needs/${id}/withdraw`, { version: withdrawn.body.version });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ code: 'NEED_INVALID_TRANSITION', details: { state: 'withdrawn' } });

    for (const body of bodies) expect(findUnmaskedPersonalData(body)).toEqual([]);
  });

  it('duplicate: 409 NEED_DUPLICATE naming the open need', async () => {
    const item = await createMenuItem(t.db.dataSource);
    const first = await as(caseworker).post('/needs', order({ itemCode: item.code, archiveId }));
    expect(first.status).toBe(201);
    expect(first.body.onBehalf).toBe(true);
    const second = await as(me).post('/needs', order({ itemCode: item.code }));
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: 'NEED_DUPLICATE', details: { needId: first.body.id } });
  });

  describe('bad input is refused with the right status and code', () => {
    let itemCode: string;
    beforeAll(async () => {
      itemCode = (await createMenuItem(t.db.dataSource, { maxPerNeed: 2, tags: ['电焊'] })).code;
    });

    it.each([
      ['no body fields', {}, 400],
      ['a malformed JSON body', '{"itemCode": ', 400],
      ['an array body', [1, 2], 400],
      ['itemCode with capitals', { itemCode: 'Training' }, 400],
      ['quantity as a string', { quantity: '1' }, 400],
      ['quantity 0', { quantity: 0 }, 400],
      ['quantity 1e9', { quantity: 1e9 }, 400],
      ['quantity fractional', { quantity: 1.5 }, 400],
      ['an unknown urgency', { urgency: 'critical' }, 400],
      ['null urgency', { urgency: null }, 400],
      ['an unknown mode', { preferredMode: 'mail' }, 400],
      ['a bad region', { regionCode: '33010x' }, 400],
      ['a bad contact preference', { contactPreference: 'email' }, 400],
      ['tags not a list', { tags: '电焊' }, 400],
      ['a member id that is not a uuid', { beneficiaryMemberId: 'child-1' }, 400],
      ['a description of 1001 characters', { description: '字'.repeat(1001) }, 400],
      ['null description', { description: null }, 400],
    ])('%s → %i', async (_name, patch, status) => {
      const body = typeof patch === 'string' || Array.isArray(patch) ? patch : order({ itemCode, ...patch });
      const res = await as(me).post('/needs', _name === 'no body fields' ? {} : body);
      expect(res.status).toBe(status);
      expect(typeof res.body.code).toBe('string');
    });

    it.each([
      ['an unknown item', { itemCode: 'no_such_item' }, 422, 'NEED_ITEM_NOT_FOUND'],
      ['more than the item allows', { quantity: 3 }, 422, 'NEED_QUANTITY_OUT_OF_RANGE'],
      ['a tag the item does not offer', { tags: ['厨师'] }, 422, 'NEED_TAGS_INVALID'],
      [
        'a phone number in the description',
        { description: '请打13812342210联系我' },
        422,
        'NEED_TEXT_CONTAINS_PERSONAL_DATA',
      ],
      ['an unknown archive', { archiveId: '0b9a6c2e-4d1f-4e8a-9c3b-5f2d7e1a0c44' }, 404, 'ARCHIVE_NOT_FOUND'],
    ])('%s → %i %s', async (_name, patch, status, code) => {
      const res = await as(me).post('/needs', order({ itemCode, ...patch }));
      expect(res.status).toBe(status);
      expect(res.body.code).toBe(code);
    });

    it.each([
      ['GET a need id that is not a uuid', 'get', '/needs/abc', undefined, 400],
      ['GET an unknown need', 'get', '/needs/0b9a6c2e-4d1f-4e8a-9c3b-5f2d7e1a0c44', undefined, 404],
      [
        'history of an unknown need',
        'get',
        '/needs/0b9a6c2e-4d1f-4e8a-9c3b-5f2d7e1a0c44/history',
        undefined,
        404,
      ],
      ['withdraw without a version', 'post', '/needs/0b9a6c2e-4d1f-4e8a-9c3b-5f2d7e1a0c44/withdraw', {}, 400],
      [
        'withdraw an unknown need',
        'post',
        '/needs/0b9a6c2e-4d1f-4e8a-9c3b-5f2d7e1a0c44/withdraw',
        { version: 1 },
        404,
      ],
      ['a list with an unknown state', 'get', '/needs?state=done', undefined, 400],
      ['a list with a bad date', 'get', '/needs?createdFrom=2026-13-01', undefined, 400],
      ['a list with page 0', 'get', '/needs?page=0', undefined, 400],
      ['a list with a 51-character q', 'get', `/needs?q=${'a'.repeat(51)}`, undefined, 400],
      ['a list with an unknown sort', 'get', '/needs?sort=price', undefined, 400],
    ] as const)('%s → %i', async (_name, method, path, body, status) => {
      const res = method === 'get' ? await as(me).get(path) : await as(me).post(path, body);
      expect(res.status).toBe(status);
    });

    it.each([
      ['past the first 1000 results', '/needs?page=11&pageSize=100', 422, 'SEARCH_LIST_WINDOW_EXCEEDED'],
      ['a query of punctuation only', `/needs?q=${encodeURIComponent("' OR 1=1 --")}`, 200, undefined],
      ['a query in another script', `/needs?q=${encodeURIComponent('１２３😀')}&sort=newest`, 200, undefined],
    ])('a staff list %s → %i', async (_name, path, status, code) => {
      const res = await as(reviewer).get(path);
      expect(res.status).toBe(status);
      if (code) expect(res.body).toMatchObject({ code, message: expect.stringContaining('1000') });
    });

    it.each([
      ['a screen without a decision', { version: 2 }, 400, undefined],
      ['a screen with an unknown decision', { version: 2, decision: 'maybe' }, 400, undefined],
      [
        'a rejection without reasons',
        { version: 2, decision: 'reject' },
        400,
        'NEED_REJECT_REASONS_REQUIRED',
      ],
      [
        'a rejection with an unknown reason',
        { version: 2, decision: 'reject', reasons: ['lazy'] },
        400,
        undefined,
      ],
      ['a stale version', { version: 1, decision: 'approve' }, 409, 'NEED_VERSION_CONFLICT'],
    ])('%s → %i', async (_name, body, status, code) => {
      const item = await createMenuItem(t.db.dataSource);
      const need = await as(caseworker).post('/needs', order({ itemCode: item.code, archiveId }));
      const res = await as(reviewer).post(`/needs/${need.body.id}/screen`, body);
      expect(res.status).toBe(status);
      if (code) expect(res.body.code).toBe(code);
    });
  });

  it('no request of this file answered 500', () => {
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
  });
});
