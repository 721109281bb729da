import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { FieldCipher } from '../../../src/common/crypto/field-cipher';
import { findUnmaskedPersonalData } from '../../../src/common/masking';
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

/** Batch allocation through the whole application: the job runs in-process, every bad input is a 4xx. */
describe('batch allocation over HTTP', () => {
  let t: TestApp;
  let ds: DataSource;
  let district: OrgUnitRow;
  let grassroots: OrgUnitRow;
  let elsewhere: OrgUnitRow;
  let caseworker: Actor;
  let outsider: Actor;
  let owner: Actor;
  let course: string;
  let welderCode: string;
  const statuses: number[] = [];
  const call = async (actor: Actor | null, method: 'get' | 'post', path: string, body?: object) => {
    let req = request(t.app.getHttpServer())[method](`${API}${path}`);
    if (actor) req = req.set('authorization', `Bearer ${actor.token}`);
    const res = body ? await req.send(body) : await req;
    statuses.push(res.status);
    expect(findUnmaskedPersonalData(res.text)).toEqual([]);
    return res;
  };
  /** Polls the allocation until its job has finished (done or failed). */
  const finished = async (id: string) => {
    for (let i = 0; i < 200; i++) {
      const res = await call(caseworker, 'get', `/allocations/${id}`);
      if (['done', 'failed'].includes(res.body.state)) return res;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`allocation ${id} did not finish`);
  };
  const openNeed = async (itemId: string, urgency: string) => {
    const { archive } = await createArchive(
      ds,
      {
        orgUnitId: grassroots.id,
        ownerUserId: owner.userId,
        status: 'active',
        headName: HEAD,
        archiveNo: `330106-2026-${randomBytes(3).toString('hex')}`,
        activatedAt: new Date(),
      },
      testCipher(),
    );
    const [row] = await ds.query(
      `INSERT INTO needs (archive_id, menu_item_id, beneficiary_key, quantity, urgency, preferred_mode, region_code,
                          contact_preference, state, created_by, state_changed_at, version, description)
       VALUES ($1, $2, 'head', 1, $3, 'any', '330106', 'phone', 'submitted', $4, now(), 1, '家住文三路')
       RETURNING id`,
      [archive.id, itemId, urgency, owner.userId],
    );
    await ds.query(`UPDATE needs SET state = 'screening', version = 2 WHERE id = $1`, [row.id]);
    await ds.query(
      `UPDATE needs SET state = 'open', opened_at = now(), expires_at = now() + interval '30 days', version = 3
        WHERE id = $1`,
      [row.id],
    );
    return row.id as string;
  };

  beforeAll(async () => {
    t = await createTestApp();
    ds = t.app.get(DataSource);
    const cipher = t.app.get(FieldCipher);
    const root = await rootOrgUnit(ds);
    district = await createOrgUnit(ds, { parent: root, level: 'district', regionCode: '330106' });
    grassroots = await createOrgUnit(ds, { parent: district, regionCode: '330106' });
    elsewhere = await createOrgUnit(ds, { parent: root, level: 'district', regionCode: '330102' });
    caseworker = await createActor(t.app, { roles: ['caseworker'], unit: district });
    outsider = await createActor(t.app, { roles: ['caseworker'], unit: elsewhere });
    owner = await createActor(t.app, { kind: 'worker', roles: [], unit: grassroots });
    const item = await createMenuItem(ds, { name: '焊工技能培训', category: 'training' });
    welderCode = item.code;
    const company = await createPartner(ds, cipher, district.id);
    course = (
      await createOffer(ds, cipher, company.id, [item.id], {
        state: 'published',
        title: '焊工培训班',
        capacity: 2,
        validFrom: day(-1),
        validUntil: day(60),
        contactPhone: '13800002210',
      })
    ).id;
    for (const urgency of ['emergency', 'normal', 'urgent']) await openNeed(item.id, urgency);
  });
  afterAll(async () => {
    expect(statuses).not.toContain(500);
    await t?.close();
  });

  it('runs a plan as a job: progress, totals, lines with their breakdown, the unassigned need and why', async () => {
    // Its own item's needs only: other tests add needs of other items to the district (in any order).
    const started = await call(caseworker, 'post', '/allocations', {
      orgUnitId: district.id,
      needFilter: { itemCodes: [welderCode] },
    });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ strategy: 'optimal', maxCandidatesPerNeed: 30 });
    // The in-process queue may have picked the job up before the answer was read.
    expect(['queued', 'running', 'done']).toContain(started.body.state);
    const done = await finished(started.body.id);
    expect(done.body).toMatchObject({
      state: 'done',
      stale: false,
      progress: { phase: null },
      result: { needs: 3, offers: 1, assigned: 2, unassigned: { capacity_taken: 1, no_eligible_offer: 0 } },
    });
    expect(done.body.result.optimalTotal).toBe(done.body.result.bound);
    expect(done.body.result.greedyTotal).toBeLessThanOrEqual(done.body.result.optimalTotal);
    // The list shows each plan as its own page does (its counts read for the whole page at once).
    const page = await call(caseworker, 'get', '/allocations?pageSize=100');
    expect(page.status).toBe(200);
    expect(page.body.items.find((p: { id: string }) => p.id === started.body.id)).toEqual(done.body);

    const assigned = await call(caseworker, 'get', `/allocations/${started.body.id}/lines`);
    expect(assigned.status).toBe(200);
    expect(assigned.body.total).toBe(2);
    expect(assigned.body.items.map((l: { offerId: string }) => l.offerId)).toEqual([course, course]);
    expect(assigned.body.items[0]).toMatchObject({ itemName: '焊工技能培训', offerTitle: '焊工培训班' });
    expect(assigned.body.items[0].breakdown).toHaveLength(7);
    expect(assigned.body.items.map((l: { urgency: string }) => l.urgency).sort()).toEqual([
      'emergency',
      'urgent',
    ]);
    const unassigned = await call(
      caseworker,
      'get',
      `/allocations/${started.body.id}/lines?lines=unassigned`,
    );
    expect(unassigned.body.items).toEqual([
      expect.objectContaining({ urgency: 'normal', offerId: null, reason: 'capacity_taken' }),
    ]);
    expect(unassigned.text).not.toContain(HEAD);

    const listed = await call(caseworker, 'get', '/allocations');
    expect(listed.body.items.map((a: { id: string }) => a.id)).toContain(started.body.id);
    expect(
      (await call(outsider, 'get', '/allocations')).body.items.map((a: { id: string }) => a.id),
    ).not.toContain(started.body.id);
  });

  it('discards a plan once, and re-runs the same request as a new plan', async () => {
    const started = await call(caseworker, 'post', '/allocations', {
      orgUnitId: district.id,
      strategy: 'greedy',
      maxCandidatesPerNeed: 5,
      offerIds: [course],
    });
    await finished(started.body.id);
    const discarded = await call(caseworker, 'post', `/allocations/${started.body.id}/discard`);
    expect(discarded.status).toBe(200);
    expect(discarded.body).toMatchObject({ state: 'discarded' });
    const again = await call(caseworker, 'post', `/allocations/${started.body.id}/discard`);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'ALLOCATION_NOT_DISCARDABLE', details: { state: 'discarded' } });
    const rerun = await call(caseworker, 'post', `/allocations/${started.body.id}/rerun`);
    expect(rerun.status).toBe(202);
    expect(rerun.body.id).not.toBe(started.body.id);
    expect(rerun.body).toMatchObject({ strategy: 'greedy', maxCandidatesPerNeed: 5, offerIds: [course] });
    expect((await finished(rerun.body.id)).body.result).toMatchObject({ assigned: 2, optimalTotal: null });
  });

  it('refuses other units, other roles and unknown plans', async () => {
    const mine = (await call(caseworker, 'post', '/allocations', { orgUnitId: district.id })).body.id;
    expect((await call(outsider, 'post', '/allocations', { orgUnitId: district.id })).status).toBe(403);
    expect((await call(outsider, 'get', `/allocations/${mine}`)).status).toBe(403);
    expect((await call(outsider, 'post', `/allocations/${mine}/discard`)).status).toBe(403);
    expect((await call(owner, 'post', '/allocations', { orgUnitId: grassroots.id })).status).toBe(403);
    expect((await call(null, 'get', '/allocations')).status).toBe(401);
    const unknown = await call(caseworker, 'get', `/allocations/${UNKNOWN}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('ALLOCATION_NOT_FOUND');
    expect((await call(caseworker, 'post', '/allocations', { orgUnitId: UNKNOWN })).status).toBe(403);
    await finished(mine);
  });

  it('approves a plan’s lines into matches through the approval path, reporting each line that no longer fits', async () => {
    const author = await createActor(t.app, { roles: ['caseworker', 'reviewer'], unit: district });
    const reviewer = await createActor(t.app, { roles: ['reviewer'], unit: district });
    const item = await createMenuItem(ds, { name: '电工技能培训', category: 'training' });
    const company = await createPartner(ds, t.app.get(FieldCipher), district.id);
    const offer = (
      await createOffer(ds, t.app.get(FieldCipher), company.id, [item.id], {
        state: 'published',
        capacity: 2,
        validFrom: day(-1),
        validUntil: day(60),
      })
    ).id;
    for (const urgency of ['emergency', 'urgent', 'normal']) await openNeed(item.id, urgency);
    const started = await call(author, 'post', '/allocations', {
      orgUnitId: district.id,
      offerIds: [offer],
      needFilter: { itemCodes: [item.code] },
    });
    const plan = (await finished(started.body.id)).body;
    expect(plan.result).toMatchObject({ assigned: 2, unassigned: { capacity_taken: 1 } });

    // Its author may not approve it; a caseworker may approve nothing.
    const self = await call(author, 'post', `/allocations/${plan.id}/approve`, {});
    expect(self.status).toBe(403);
    expect(self.body.code).toBe('SELF_APPROVAL');
    expect((await call(caseworker, 'post', `/allocations/${plan.id}/approve`, {})).status).toBe(403);
    expect(
      (await call(reviewer, 'post', `/allocations/${plan.id}/approve`, { needIds: [UNKNOWN] })).body.code,
    ).toBe('ALLOCATION_LINES_UNKNOWN');

    // Since the plan, one place went to another match: one line still fits, the other is reported.
    await ds.query(`UPDATE offers SET reserved = 1, remaining = 1, version = version + 1 WHERE id = $1`, [
      offer,
    ]);
    const res = await call(reviewer, 'post', `/allocations/${plan.id}/approve`, {});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ allocationId: plan.id, approved: 1, refused: 1 });
    const [ok] = res.body.lines.filter((l: { outcome: string }) => l.outcome === 'approved');
    const [refused] = res.body.lines.filter((l: { outcome: string }) => l.outcome !== 'approved');
    // The first line took the last place: the second fails the `remaining` hard filter on its re-check (a
    // racing approval would meet the conditional reservation instead: OFFER_CAPACITY_EXHAUSTED).
    expect(refused).toMatchObject({ outcome: 'MATCH_PAIR_NOT_ELIGIBLE', matchId: null });
    expect(refused.message).toMatch(/[\u4e00-\u9fa5]/);
    const [counts] = await ds.query(`SELECT reserved, remaining FROM offers WHERE id = $1`, [offer]);
    expect(counts).toEqual({ reserved: 2, remaining: 0 });
    const [match] = await ds.query(`SELECT state, proposed_by, proposed_via FROM matches WHERE id = $1`, [
      ok.matchId,
    ]);
    expect(match).toEqual({ state: 'approved', proposed_by: author.userId, proposed_via: 'plan' });
    const [need] = await ds.query(`SELECT state FROM needs WHERE id = $1`, [ok.needId]);
    expect(need.state).toBe('matched');
    // Again: the approved line's need is matched now; nothing is approved twice.
    const again = await call(reviewer, 'post', `/allocations/${plan.id}/approve`, { needIds: [ok.needId] });
    expect(again.body).toMatchObject({
      approved: 0,
      refused: 1,
      lines: [{ outcome: 'MATCH_NEED_NOT_OPEN' }],
    });
  });

  it.each<[string, object, string]>([
    ['no unit', {}, 'VALIDATION_FAILED'],
    ['a unit that is not a uuid', { orgUnitId: 'xihu' }, 'VALIDATION_FAILED'],
    ['an unknown strategy', { strategy: 'fastest' }, 'VALIDATION_FAILED'],
    ['K of 0', { maxCandidatesPerNeed: 0 }, 'VALIDATION_FAILED'],
    ['K of 201', { maxCandidatesPerNeed: 201 }, 'VALIDATION_FAILED'],
    ['K that is text', { maxCandidatesPerNeed: 'many' }, 'VALIDATION_FAILED'],
    ['an empty offer list', { offerIds: [] }, 'VALIDATION_FAILED'],
    ['a repeated offer', { offerIds: [UNKNOWN, UNKNOWN] }, 'VALIDATION_FAILED'],
    ['an offer filter that is a list', { offerFilter: ['x'] }, 'VALIDATION_FAILED'],
    ['an unknown offer kind', { offerFilter: { kinds: ['loans'] } }, 'VALIDATION_FAILED'],
    ['a bad item code in the need filter', { needFilter: { itemCodes: ['Bad Code'] } }, 'VALIDATION_FAILED'],
    ['an unknown urgency', { needFilter: { urgencies: ['now'] } }, 'VALIDATION_FAILED'],
    [
      'offers named and filtered',
      { offerIds: [UNKNOWN], offerFilter: { kinds: ['cash'] } },
      'ALLOCATION_OFFERS_AMBIGUOUS',
    ],
  ])('refuses %s with 400 and a code', async (_case, body, code) => {
    const res = await call(caseworker, 'post', '/allocations', {
      ...(Object.keys(body).includes('orgUnitId') || _case === 'no unit' ? {} : { orgUnitId: district.id }),
      ...body,
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(code);
    expect(res.body.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('refuses bad list queries with 400', async () => {
    expect((await call(caseworker, 'get', '/allocations?state=finished')).status).toBe(400);
    expect((await call(caseworker, 'get', `/allocations/${UNKNOWN}/lines?lines=all`)).status).toBe(400);
    expect((await call(caseworker, 'get', '/allocations/not-a-uuid')).status).toBe(400);
  });
});
