import request from 'supertest';
import { DataSource } from 'typeorm';
import { FieldCipher } from '../../../src/common/crypto/field-cipher';
import { findUnmaskedPersonalData } from '../../../src/common/masking';
import { AidLedgerService } from '../../../src/modules/aid-ledger/aid-ledger.service';
import type { Cause } from '../../../src/modules/archives/archive.enums';
import type { MenuCategory } from '../../../src/modules/menu/menu.enums';
import { Actor, createActor } from '../../helpers/actors';
import { createArchive, testCipher } from '../../helpers/factories/archives.factory';
import { createOpenNeed } from '../../helpers/factories/matches.factory';
import { createMenuItem } from '../../helpers/factories/menu.factory';
import { createOffer } from '../../helpers/factories/offers.factory';
import { createPartner } from '../../helpers/factories/partners.factory';
import { createOrgUnit, OrgUnitRow, rootOrgUnit } from '../../helpers/factories/users.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';

const API = '/api/v1';
const DAY = 86_400_000;
const day = (days: number) => new Date(Date.now() + 8 * 3_600_000 + days * DAY).toISOString().slice(0, 10);

/**
 * The aid ledger wired into the match lifecycle (issue 13 §6) through HTTP: approval refused with
 * AID_ONE_OFF_CAP, AID_ANNUAL_CAP and AID_DUPLICATE_CAUSE (naming the earlier ledger row, or the household's
 * other approved-but-unconfirmed match); an approver's override of 不重复救助 passes and is audited, a
 * reviewer's is refused; the cause is fixed on the match at approval; confirmation writes exactly one
 * ledger row with that cause and the value delivered, which GET /archives/:id/aid shows.
 * Every test builds its own household (CI's second pass shuffles the order).
 */
describe('matches and the aid ledger over HTTP', () => {
  let t: TestApp;
  let ds: DataSource;
  let cipher: FieldCipher;
  let grassroots: OrgUnitRow;
  let companyId: string;
  let caseworker: Actor;
  let reviewer: Actor;
  let approver: Actor;
  let partner: Actor;
  let owner: Actor;
  const statuses: number[] = [];

  const call = async (method: 'get' | 'post', actor: Actor, path: string, body?: object) => {
    const req = request(t.app.getHttpServer())
      [method](`${API}${path}`)
      .set('authorization', `Bearer ${actor.token}`);
    const res = body ? await req.send(body) : await req;
    statuses.push(res.status);
    expect(findUnmaskedPersonalData(res.text)).toEqual([]);
    return res;
  };
  const post = (actor: Actor, path: string, body: object = {}) => call('post', actor, path, body);
  const get = (actor: Actor, path: string) => call('get', actor, path);

  const household = async (causes: Cause[], primaryCause: Cause, ownerUserId: string | null = null) =>
    (
      await createArchive(
        ds,
        {
          orgUnitId: grassroots.id,
          ownerUserId,
          status: 'active',
          causes,
          primaryCause,
          activatedAt: new Date(),
        },
        testCipher(),
      )
    ).archive.id;
  /** A proposed match of the household for a new item of `category` and a published offer of it. */
  const proposed = async (
    archiveId: string,
    category: MenuCategory,
    offer: Parameters<typeof createOffer>[4] = {},
  ) => {
    const item = await createMenuItem(ds, { category, unit: offer.kind === 'cash' ? 'yuan' : 'slots' });
    const needId = await createOpenNeed(ds, { archiveId, menuItemId: item.id, createdBy: caseworker.userId });
    const offerId = (
      await createOffer(ds, cipher, companyId, [item.id], {
        state: 'published',
        capacity: 5,
        validFrom: day(-1),
        validUntil: day(60),
        ...offer,
      })
    ).id;
    const res = await post(caseworker, '/matches', { needId, offerId });
    expect(res.status).toBe(201);
    return {
      id: res.body.id as string,
      version: res.body.version as number,
      needId,
      offerId,
      menuItemId: item.id,
    };
  };
  const record = (
    archiveId: string,
    category: MenuCategory,
    causeCode: Cause,
    valueFen: number,
    at = new Date(),
  ) =>
    ds.transaction(
      async (m) =>
        (
          await t.app.get(AidLedgerService).record(m, {
            archiveId,
            category,
            causeCode,
            valueFen,
            at,
            receivedVia: 'in_person',
            recordedBy: null,
          })
        ).id,
    );
  const unchanged = async (m: { id: string; needId: string; offerId: string }) => {
    expect((await ds.query(`SELECT state, cause_code FROM matches WHERE id = $1`, [m.id]))[0]).toEqual({
      state: 'proposed',
      cause_code: null,
    });
    expect((await ds.query(`SELECT state FROM needs WHERE id = $1`, [m.needId]))[0].state).toBe('open');
    expect((await ds.query(`SELECT reserved FROM offers WHERE id = $1`, [m.offerId]))[0].reserved).toBe(0);
  };

  beforeAll(async () => {
    t = await createTestApp();
    ds = t.db.dataSource;
    cipher = t.app.get(FieldCipher);
    const root = await rootOrgUnit(ds);
    const district = await createOrgUnit(ds, { parent: root, level: 'district', regionCode: '330106' });
    grassroots = await createOrgUnit(ds, { parent: district, level: 'grassroots', regionCode: '330106' });
    companyId = (await createPartner(ds, cipher, district.id)).id;
    partner = await createActor(t.app, { kind: 'partner', unit: district, partnerId: companyId });
    caseworker = await createActor(t.app, { roles: ['caseworker'], unit: district });
    reviewer = await createActor(t.app, { roles: ['reviewer'], unit: district });
    approver = await createActor(t.app, { roles: ['approver'], unit: district });
    owner = await createActor(t.app, { kind: 'worker', roles: [], unit: grassroots });
  });
  afterAll(async () => {
    expect(statuses).not.toContain(500);
    await t?.close();
  });

  it('cash above the one-off cap (2万元) is refused with 422 AID_ONE_OFF_CAP, even an approver with an override', async () => {
    const archiveId = await household(['low_income'], 'low_income');
    const m = await proposed(archiveId, 'relief', { kind: 'cash', amountPerBeneficiaryFen: 2_000_001 });
    const res = await post(approver, `/matches/${m.id}/approve`, { version: m.version });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      code: 'AID_ONE_OFF_CAP',
      details: { capFen: 2_000_000, valueFen: 2_000_001, violations: ['AID_ONE_OFF_CAP'] },
    });
    const overridden = await post(approver, `/matches/${m.id}/approve`, {
      version: m.version,
      duplicateCauseOverride: { reason: '家庭突发重大变故，特批' },
    });
    expect(overridden.status).toBe(422);
    expect(overridden.body.code).toBe('AID_ONE_OFF_CAP');
    await unchanged(m);
  });

  it('the annual cap per household and category refuses with 422 AID_ANNUAL_CAP counting this year’s rows', async () => {
    const archiveId = await household(['illness'], 'illness');
    await record(archiveId, 'tuition', 'other', 1_900_000);
    const m = await proposed(archiveId, 'tuition', { kind: 'cash', amountPerBeneficiaryFen: 200_000 });
    const res = await post(reviewer, `/matches/${m.id}/approve`, { version: m.version });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      code: 'AID_ANNUAL_CAP',
      details: { capFen: 2_000_000, usedFen: 1_900_000, valueFen: 200_000, violations: ['AID_ANNUAL_CAP'] },
    });
    await unchanged(m);
  });

  it('不重复救助: the same cause within the period is 422 AID_DUPLICATE_CAUSE naming the earlier row; an approver overrides with a reason (audited), a reviewer may not', async () => {
    const archiveId = await household(['illness', 'low_income'], 'illness');
    const earlier = await record(archiveId, 'relief', 'illness', 100_000, new Date(Date.now() - 30 * DAY));
    const m = await proposed(archiveId, 'medical');
    const refused = await post(reviewer, `/matches/${m.id}/approve`, { version: m.version });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      code: 'AID_DUPLICATE_CAUSE',
      details: { earlierRowId: earlier, cause: 'illness', days: 180 },
    });
    await unchanged(m);

    const byReviewer = await post(reviewer, `/matches/${m.id}/approve`, {
      version: m.version,
      duplicateCauseOverride: { reason: '病情复发，需再次救助' },
    });
    expect(byReviewer.status).toBe(403);
    expect(byReviewer.body.code).toBe('MATCH_OVERRIDE_APPROVER_ONLY');
    const denied = await ds.query(
      `SELECT details->>'code' AS code FROM audit_logs
        WHERE action = 'access.denied' AND actor_id = $1 AND target_id = $2`,
      [reviewer.userId, m.id],
    );
    expect(denied).toEqual([{ code: 'MATCH_OVERRIDE_APPROVER_ONLY' }]);
    await unchanged(m);

    const noReason = await post(approver, `/matches/${m.id}/approve`, {
      version: m.version,
      duplicateCauseOverride: { reason: '特批' },
    });
    expect(noReason.status).toBe(422);
    expect(noReason.body.code).toBe('AID_OVERRIDE_REASON_REQUIRED');

    const ok = await post(approver, `/matches/${m.id}/approve`, {
      version: m.version,
      duplicateCauseOverride: { reason: '病情复发，需再次救助' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ state: 'approved', causeCode: 'illness' });
    const audited = await ds.query(
      `SELECT actor_id AS "actorId", target_id AS "targetId", details FROM audit_logs
        WHERE action = 'aid-ledger.override-duplicate' AND target_id = $1`,
      [archiveId],
    );
    expect(audited).toEqual([
      {
        actorId: approver.userId,
        targetId: archiveId,
        details: expect.objectContaining({
          earlierRowId: earlier,
          cause: 'illness',
          reason: '病情复发，需再次救助',
        }),
      },
    ]);
  });

  it('不重复救助 counts the household’s other approved, not yet confirmed match (named pending:<match id>); once it leaves the active path the second passes', async () => {
    const archiveId = await household(['illness'], 'illness');
    const first = await proposed(archiveId, 'medical');
    const ok = await post(reviewer, `/matches/${first.id}/approve`, { version: first.version });
    expect(ok.status).toBe(200);
    expect(ok.body.causeCode).toBe('illness');
    const second = await proposed(archiveId, 'relief');
    const refused = await post(reviewer, `/matches/${second.id}/approve`, { version: second.version });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      code: 'AID_DUPLICATE_CAUSE',
      details: { earlierRowId: `pending:${first.id}`, cause: 'illness' },
    });
    expect(
      (await post(reviewer, `/matches/${first.id}/reject`, { version: ok.body.version, reason: '重复申请' }))
        .status,
    ).toBe(200);
    const passes = await post(reviewer, `/matches/${second.id}/approve`, { version: second.version });
    expect(passes.status).toBe(200);
  });

  it('confirmation writes exactly one ledger row with the cause fixed at approval and the amount delivered; GET /archives/:id/aid shows it', async () => {
    const archiveId = await household(['schooling', 'illness'], 'illness', owner.userId);
    const m = await proposed(archiveId, 'tuition', { kind: 'cash', amountPerBeneficiaryFen: 300_000 });
    let version = m.version;
    const step = async (actor: Actor, command: string, body: object = {}) => {
      const res = await post(actor, `/matches/${m.id}/${command}`, { version, ...body });
      expect({ command, status: res.status }).toEqual({ command, status: 200 });
      version = res.body.version;
      return res;
    };
    const approved = await step(reviewer, 'approve');
    expect(approved.body.causeCode).toBe('schooling');
    expect((await get(caseworker, `/matches/${m.id}`)).body.causeCode).toBe('schooling');
    // The household's causes change after approval: the ledger records the cause approval judged.
    await ds.query(`UPDATE archives SET causes = '{illness}', primary_cause = 'illness' WHERE id = $1`, [
      archiveId,
    ]);
    await step(partner, 'accept');
    await step(partner, 'start');
    await step(partner, 'deliver', { note: '已发放助学金', amountFen: 250_000 });
    expect(await ds.query(`SELECT id FROM aid_ledger WHERE match_id = $1`, [m.id])).toEqual([]);
    await step(owner, 'confirm');
    const rows = await ds.query(
      `SELECT archive_id AS "archiveId", beneficiary_key AS "beneficiaryKey", offer_id AS "offerId",
              partner_id AS "partnerId", menu_item_id AS "menuItemId", category, cause, value_fen AS "valueFen",
              received_via AS "receivedVia", recorded_by AS "recordedBy"
         FROM aid_ledger WHERE match_id = $1`,
      [m.id],
    );
    expect(rows).toEqual([
      {
        archiveId,
        beneficiaryKey: 'head',
        offerId: m.offerId,
        partnerId: companyId,
        menuItemId: m.menuItemId,
        category: 'tuition',
        cause: 'schooling',
        valueFen: 250_000,
        receivedVia: 'in_person',
        recordedBy: owner.userId,
      },
    ]);
    const aid = await get(owner, `/archives/${archiveId}/aid`);
    expect(aid.status).toBe(200);
    expect(aid.body.items).toEqual([
      expect.objectContaining({
        matchId: m.id,
        cause: 'schooling',
        valueFen: 250_000,
        receivedVia: 'in_person',
      }),
    ]);
    // Follow-up and closure write nothing more.
    await step(caseworker, 'follow-up', {
      date: day(0),
      channel: 'phone',
      findings: '已入学',
      satisfaction: 5,
    });
    await step(caseworker, 'close', { outcome: 'resolved', note: '已办结' });
    expect(await ds.query(`SELECT count(*)::int AS n FROM aid_ledger WHERE match_id = $1`, [m.id])).toEqual([
      { n: 1 },
    ]);
  });

  it('a caseworker confirming on the worker’s behalf records on_behalf; a service is valued at the offer’s declared value per place', async () => {
    const archiveId = await household(['unemployment'], 'unemployment');
    const m = await proposed(archiveId, 'training', { declaredValueFen: 150_000 });
    let version = m.version;
    for (const [actor, command, body] of [
      [reviewer, 'approve', {}],
      [partner, 'accept', {}],
      [partner, 'deliver', { note: '培训已完成' }],
      [caseworker, 'confirm', { reason: '职工外出务工，电话确认已参加培训' }],
    ] as const) {
      const res = await post(actor, `/matches/${m.id}/${command}`, { version, ...body });
      expect({ command, status: res.status }).toEqual({ command, status: 200 });
      version = res.body.version;
    }
    expect(
      await ds.query(
        `SELECT cause, value_fen AS "valueFen", received_via AS "receivedVia", recorded_by AS "recordedBy"
           FROM aid_ledger WHERE match_id = $1`,
        [m.id],
      ),
    ).toEqual([
      { cause: 'unemployment', valueFen: 150_000, receivedVia: 'on_behalf', recordedBy: caseworker.userId },
    ]);
  });

  it('goods are valued at the declared value per piece × the pieces delivered; without a declared value, 0', async () => {
    const archiveId = await household(['low_income'], 'low_income', owner.userId);
    const walk = async (declaredValueFen: number | null) => {
      const item = await createMenuItem(ds, { category: 'donation', unit: 'goods', maxPerNeed: 10 });
      const needId = await createOpenNeed(ds, {
        archiveId,
        menuItemId: item.id,
        createdBy: caseworker.userId,
        quantity: 3,
      });
      const offerId = (
        await createOffer(ds, cipher, companyId, [item.id], {
          state: 'published',
          kind: 'goods',
          capacity: 20,
          declaredValueFen,
          validFrom: day(-1),
          validUntil: day(60),
        })
      ).id;
      const created = await post(caseworker, '/matches', { needId, offerId });
      expect(created.status).toBe(201);
      let version = created.body.version;
      for (const [actor, command, body] of [
        // The same household and cause twice: the second approval is an approver's override.
        [
          approver,
          'approve',
          declaredValueFen === null ? { duplicateCauseOverride: { reason: '冬季再次发放物资' } } : {},
        ],
        [partner, 'accept', {}],
        [partner, 'deliver', { note: '已送达', goodsCount: 2 }],
        [owner, 'confirm', {}],
      ] as const) {
        const res = await post(actor, `/matches/${created.body.id}/${command}`, { version, ...body });
        expect({ command, status: res.status }).toEqual({ command, status: 200 });
        version = res.body.version;
      }
      return (
        await ds.query(`SELECT value_fen AS "valueFen" FROM aid_ledger WHERE match_id = $1`, [
          created.body.id,
        ])
      ).map((r: { valueFen: number }) => r.valueFen);
    };
    expect(await walk(5_000)).toEqual([10_000]);
    expect(await walk(null)).toEqual([0]);
  });

  it('a plan’s lines: an approver overrides 不重复救助 for the lines named, the others are reported with the code; a reviewer may not override', async () => {
    const item = await createMenuItem(ds, { category: 'training' });
    const offerId = (
      await createOffer(ds, cipher, companyId, [item.id], {
        state: 'published',
        capacity: 5,
        validFrom: day(-1),
        validUntil: day(60),
      })
    ).id;
    const needs: string[] = [];
    for (let i = 0; i < 2; i++) {
      const archiveId = await household(['illness'], 'illness');
      await record(archiveId, 'relief', 'illness', 50_000, new Date(Date.now() - 10 * DAY));
      needs.push(await createOpenNeed(ds, { archiveId, menuItemId: item.id, createdBy: caseworker.userId }));
    }
    const started = await post(caseworker, '/allocations', {
      orgUnitId: grassroots.id,
      offerIds: [offerId],
      needFilter: { itemCodes: [item.code] },
    });
    expect(started.status).toBe(202);
    let plan = started.body;
    for (let i = 0; i < 200 && !['done', 'failed'].includes(plan.state); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      plan = (await get(caseworker, `/allocations/${started.body.id}`)).body;
    }
    expect(plan.result).toMatchObject({ assigned: 2 });
    const [a, b] = needs as [string, string];
    const overrides = [{ needId: a, reason: '失业后再次患病，经审批同意' }];
    const byReviewer = await post(reviewer, `/allocations/${plan.id}/approve`, {
      duplicateCauseOverrides: overrides,
    });
    expect(byReviewer.status).toBe(403);
    expect(byReviewer.body.code).toBe('MATCH_OVERRIDE_APPROVER_ONLY');
    const stray = await post(approver, `/allocations/${plan.id}/approve`, {
      duplicateCauseOverrides: [
        { needId: '0b9a6c2e-4d1f-4e8a-9c3b-5f2d7e1a0c44', reason: '经审批同意再次救助' },
      ],
    });
    expect(stray.body.code).toBe('ALLOCATION_LINES_UNKNOWN');
    const res = await post(approver, `/allocations/${plan.id}/approve`, {
      duplicateCauseOverrides: overrides,
    });
    expect(res.status).toBe(200);
    const outcome = (needId: string) => res.body.lines.find((l: { needId: string }) => l.needId === needId);
    expect(outcome(a)).toMatchObject({ outcome: 'approved' });
    expect(outcome(b)).toMatchObject({ outcome: 'AID_DUPLICATE_CAUSE', matchId: null });
    expect(
      await ds.query(
        `SELECT count(*)::int AS n FROM audit_logs WHERE action = 'aid-ledger.override-duplicate' AND actor_id = $1 AND details->>'reason' = $2`,
        [approver.userId, overrides[0]!.reason],
      ),
    ).toEqual([{ n: 1 }]);
  });
});
