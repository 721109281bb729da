import request from 'supertest';
import { FieldCipher } from '../../../src/common/crypto/field-cipher';
import { findUnmaskedPersonalData } from '../../../src/common/masking';
import { Actor, createActor } from '../../helpers/actors';
import { createMenuItem } from '../../helpers/factories/menu.factory';
import { createPartner } from '../../helpers/factories/partners.factory';
import { createOrgUnit, OrgUnitRow, rootOrgUnit } from '../../helpers/factories/users.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';

const API = '/api/v1';
const DAY = 86_400_000;
const day = (days: number) => new Date(Date.now() + 8 * 3_600_000 + days * DAY).toISOString().slice(0, 10);
const UNKNOWN = '0b9a6c2e-4d1f-4e8a-9c3b-5f2d7e1a0c44';

/** Offers through the whole application: the happy path, then every kind of bad input (never a 500). */
describe('offers (供给) over HTTP', () => {
  let t: TestApp;
  let district: OrgUnitRow;
  let grassroots: OrgUnitRow;
  let partner: Actor;
  let reviewer: Actor;
  let caseworker: Actor;
  let approver: Actor;
  let workerActor: Actor;
  let itemCode: string;
  const bodies: string[] = [];
  const statuses: number[] = [];
  const http = () => request(t.app.getHttpServer());
  const send = async (actor: Actor, method: 'get' | 'post' | 'patch', path: string, body?: unknown) => {
    let req = http()[method](`${API}${path}`).set('authorization', `Bearer ${actor.token}`);
    if (body !== undefined)
      req = req
        .set('content-type', 'application/json')
        .send(typeof body === 'string' ? body : JSON.stringify(body));
    const res = await req;
    bodies.push(res.text);
    statuses.push(res.status);
    return res;
  };
  const as = (actor: Actor) => ({
    get: (path: string) => send(actor, 'get', path),
    post: (path: string, body: unknown) => send(actor, 'post', path, body),
    patch: (path: string, body: unknown) => send(actor, 'patch', path, body),
  });
  const offer = (extra: Record<string, unknown> = {}) => ({
    kind: 'slots',
    itemCodes: [itemCode],
    title: '2026年电工技能培训',
    description: '免费培训，考取电工证',
    capacity: 30,
    regionCode: '330106',
    validFrom: day(-1),
    validUntil: day(120),
    contactName: '王老师',
    contactPhone: '13812342210',
    ...extra,
  });

  beforeAll(async () => {
    t = await createTestApp();
    const root = await rootOrgUnit(t.db.dataSource);
    district = await createOrgUnit(t.db.dataSource, {
      parent: root,
      level: 'district',
      regionCode: '330106',
    });
    grassroots = await createOrgUnit(t.db.dataSource, {
      parent: district,
      level: 'grassroots',
      regionCode: '330106',
    });
    const company = await createPartner(t.db.dataSource, t.app.get(FieldCipher), district.id);
    partner = await createActor(t.app, { kind: 'partner', unit: district, partnerId: company.id });
    reviewer = await createActor(t.app, { roles: ['reviewer'], unit: district });
    caseworker = await createActor(t.app, { roles: ['caseworker'], unit: district });
    approver = await createActor(t.app, { roles: ['approver'], unit: district });
    workerActor = await createActor(t.app, { kind: 'worker', roles: [], unit: grassroots });
    itemCode = (await createMenuItem(t.db.dataSource, { unit: 'slots' })).code;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('create, submit, publish, browse, grow, pause, close: masked, no contact for workers, no personal number', async () => {
    const created = await as(partner).post('/offers', offer({ declaredValueFen: 120_000 }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      state: 'draft',
      contact: { phone: '138****2210' },
      remaining: 30,
      // The declared value of a place, which the aid ledger records at confirmation.
      declaredValueFen: 120_000,
    });
    const id = created.body.id as string;
    const submitted = await as(partner).post(`/offers/${id}/submit`, { version: created.body.version });
    expect(submitted.body.state).toBe('pending_review');
    const published = await as(reviewer).post(`/offers/${id}/publish`, { version: submitted.body.version });
    expect(published.status).toBe(200);
    expect(published.body.state).toBe('published');
    const again = await as(reviewer).post(`/offers/${id}/publish`, { version: submitted.body.version });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('OFFER_VERSION_CONFLICT');

    const browse = await as(workerActor).get(`/offers/available?itemCode=${itemCode}`);
    expect(browse.status).toBe(200);
    // Other tests (any order) may publish offers of the same item: this one is among them.
    expect(browse.body.items.map((o: { id: string }) => o.id)).toContain(id);
    expect(browse.text).not.toMatch(/contact|王老师|138/);

    const grown = await as(partner).patch(`/offers/${id}`, { version: published.body.version, capacity: 40 });
    expect(grown.body).toMatchObject({ state: 'published', capacity: 40, remaining: 40 });
    const paused = await as(partner).post(`/offers/${id}/pause`, { version: grown.body.version });
    expect(paused.body.state).toBe('paused');
    const whilePaused = await as(workerActor).get(`/offers/available?itemCode=${itemCode}`);
    expect(whilePaused.body.items.map((o: { id: string }) => o.id)).not.toContain(id);
    const list = await as(reviewer).get('/offers?state=paused&kind=slots');
    expect(list.body.items.map((o: { id: string }) => o.id)).toContain(id);
    expect((await as(partner).get('/offers')).body.items.map((o: { id: string }) => o.id)).toContain(id);
    const closed = await as(partner).post(`/offers/${id}/close`, {
      version: paused.body.version,
      reason: 'withdrawn',
    });
    expect(closed.body).toMatchObject({ state: 'closed', closedReason: 'withdrawn' });
    const late = await as(partner).post(`/offers/${id}/resume`, { version: closed.body.version });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ code: 'OFFER_INVALID_TRANSITION', details: { state: 'closed' } });
    const history = await as(reviewer).get(`/offers/${id}/history`);
    expect(history.body.map((h: { toState: string }) => h.toState)).toEqual([
      'draft',
      'pending_review',
      'published',
      'published',
      'paused',
      'closed',
    ]);
    for (const body of bodies) expect(findUnmaskedPersonalData(body)).toEqual([]);
  });

  it('a union programme: entered by a caseworker, published by an approver; a reviewer may not', async () => {
    const created = await as(caseworker).post('/offers', offer());
    expect(created.status).toBe(201);
    expect(created.body.unionProgramme).toBe(true);
    const submitted = await as(caseworker).post(`/offers/${created.body.id}/submit`, {
      version: created.body.version,
    });
    const byReviewer = await as(reviewer).post(`/offers/${created.body.id}/publish`, {
      version: submitted.body.version,
    });
    expect(byReviewer.status).toBe(403);
    const byApprover = await as(approver).post(`/offers/${created.body.id}/publish`, {
      version: submitted.body.version,
    });
    expect(byApprover.body.state).toBe('published');
  });

  describe('bad input is refused with the right status and code', () => {
    it.each([
      ['a malformed JSON body', '{"kind": ', 400],
      ['an array body', [1, 2], 400],
      ['no title', { title: undefined }, 400],
      ['an unknown kind', { kind: 'services' }, 400],
      ['capacity 0', { capacity: 0 }, 400],
      ['capacity as a string', { capacity: '3' }, 400],
      ['a date that does not exist', { validUntil: '2026-02-30' }, 400],
      ['a bad contact phone', { contactPhone: '12345' }, 400],
      ['an income factor of 6', { incomeFactor: 6 }, 400],
      ['a region prefix of 3 digits', { scopeRegionPrefix: '330' }, 400],
      ['no items', { itemCodes: [] }, 400],
      ['a partner naming a unit', { orgUnitId: UNKNOWN }, 400],
    ])('%s %j → %i', async (_name, patch, status) => {
      const body = typeof patch === 'string' || Array.isArray(patch) ? patch : offer(patch);
      const res = await as(partner).post('/offers', body);
      expect(res.status).toBe(status);
      expect(typeof res.body.code).toBe('string');
    });

    it.each([
      ['an unknown item', { itemCodes: ['no_such_item'] }, 'OFFER_ITEM_NOT_FOUND'],
      ['cash for a slots item', { kind: 'cash', amountPerBeneficiaryFen: 50000 }, 'OFFER_KIND_MISMATCH'],
      ['an amount on a slots offer', { amountPerBeneficiaryFen: 100 }, 'OFFER_CASH_TERMS_INVALID'],
      ['ages upside down', { ageMin: 60, ageMax: 18 }, 'OFFER_AGE_RANGE_INVALID'],
      ['a window over two years', { validUntil: day(800) }, 'OFFER_VALIDITY_INVALID'],
      ['a window already over', { validFrom: day(-20), validUntil: day(-2) }, 'OFFER_VALIDITY_INVALID'],
      ['a scope outside the partner’s unit', { scopeOrgUnitId: UNKNOWN }, 'OFFER_SCOPE_INVALID'],
      [
        'a phone in the description',
        { description: '报名电话13812342210' },
        'OFFER_TEXT_CONTAINS_PERSONAL_DATA',
      ],
    ])('%s %j → 422 %s', async (_name, patch, code) => {
      const res = await as(partner).post('/offers', offer(patch));
      expect(res.status).toBe(422);
      expect(res.body.code).toBe(code);
      expect(res.body.message).toMatch(/[\u4e00-\u9fa5]/);
    });

    it.each([
      ['GET an id that is not a uuid', 'get', '/offers/abc', undefined, 400],
      ['GET an unknown offer', 'get', `/offers/${UNKNOWN}`, undefined, 404],
      ['history of an unknown offer', 'get', `/offers/${UNKNOWN}/history`, undefined, 404],
      ['submit without a version', 'post', `/offers/${UNKNOWN}/submit`, {}, 400],
      ['submit an unknown offer', 'post', `/offers/${UNKNOWN}/submit`, { version: 1 }, 404],
      [
        'close with an unknown reason',
        'post',
        `/offers/${UNKNOWN}/close`,
        { version: 1, reason: 'expired' },
        400,
      ],
      ['PATCH without a version', 'patch', `/offers/${UNKNOWN}`, { capacity: 3 }, 400],
      ['a list with an unknown state', 'get', '/offers?state=done', undefined, 400],
      ['a list with a 51-character q', 'get', `/offers?q=${'a'.repeat(51)}`, undefined, 400],
    ] as const)('%s (%s %s %j) → %i', async (_name, method, path, body, status) => {
      const res = await send(partner, method, path, body);
      expect(res.status).toBe(status);
    });

    it.each([
      [
        'a return without reasons',
        'return',
        { version: 2, reasons: [] },
        400,
        'OFFER_RETURN_REASONS_REQUIRED',
      ],
      ['a return with an unknown reason', 'return', { version: 2, reasons: ['lazy'] }, 400, undefined],
      ['a stale version', 'publish', { version: 1 }, 409, 'OFFER_VERSION_CONFLICT'],
      ['publishing a draft', 'publish', { version: 2 }, 409, 'OFFER_INVALID_TRANSITION'],
      [
        'closing for a suspension that did not happen',
        'close',
        { version: 2, reason: 'partner_suspended' },
        422,
        'OFFER_PARTNER_NOT_SUSPENDED',
      ],
    ])('%s (%s %j) → %i', async (name, command, body, status, code) => {
      const created = await as(partner).post('/offers', offer());
      if (name !== 'publishing a draft')
        await as(partner).post(`/offers/${created.body.id}/submit`, { version: created.body.version });
      else await as(partner).patch(`/offers/${created.body.id}`, { version: 1, capacity: 31 });
      const res = await as(reviewer).post(`/offers/${created.body.id}/${command}`, body);
      expect(res.status).toBe(status);
      if (code) expect(res.body.code).toBe(code);
      if (status === 409 && code === 'OFFER_INVALID_TRANSITION') expect(res.body.details.state).toBe('draft');
    });
  });

  it('no request of this file answered 500', () => {
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
  });
});
