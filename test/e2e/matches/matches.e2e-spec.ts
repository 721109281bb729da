import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { FieldCipher } from '../../../src/common/crypto/field-cipher';
import { findUnmaskedPersonalData } from '../../../src/common/masking';
import { allowedMatchStatePairs } from '../../../src/modules/matches/rules/match-transitions.rule';
import { Actor, createActor } from '../../helpers/actors';
import { createArchive, testCipher } from '../../helpers/factories/archives.factory';
import { createMatch, createOpenNeed } from '../../helpers/factories/matches.factory';
import { createMenuItem } from '../../helpers/factories/menu.factory';
import { createOffer } from '../../helpers/factories/offers.factory';
import { createPartner, unionPartnerOf } from '../../helpers/factories/partners.factory';
import { createOrgUnit, OrgUnitRow, rootOrgUnit } from '../../helpers/factories/users.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';

const API = '/api/v1';
const DAY = 86_400_000;
const day = (days: number) => new Date(Date.now() + 8 * 3_600_000 + days * DAY).toISOString().slice(0, 10);
const HEAD = '欧阳建国';
const HEAD_PHONE = '13812342210'; // the archive factory's head phone
const OFFER_PHONE = '13800002210'; // the offer factory's contact phone
const UNKNOWN = '0b9a6c2e-4d1f-4e8a-9c3b-5f2d7e1a0c44';

/**
 * Matches through the whole application (issue 13 §1–3): every command of the state machine, what the
 * need and the offer's capacity do, who may (403), which state allows it (409 naming the command), bad
 * input (400, never 500), and consent-gated disclosure with the unmasked-data scan on every response.
 */
describe('matches over HTTP', () => {
  let t: TestApp;
  let ds: DataSource;
  let cipher: FieldCipher;
  let district: OrgUnitRow;
  let grassroots: OrgUnitRow;
  let companyId: string;
  let itemId: string;
  let caseworker: Actor;
  let reviewer: Actor;
  let outsider: Actor;
  let partner: Actor;
  let otherPartner: Actor;
  let owner: Actor;
  let otherWorker: Actor;
  let ownerArchive: string;
  const statuses: number[] = [];

  const call = async (method: 'get' | 'post', actor: Actor | null, path: string, body?: object) => {
    let req = request(t.app.getHttpServer())[method](`${API}${path}`);
    if (actor) req = req.set('authorization', `Bearer ${actor.token}`);
    const res = body ? await req.send(body) : await req;
    statuses.push(res.status);
    return res;
  };
  const get = (actor: Actor | null, path: string) => call('get', actor, path);
  const post = (actor: Actor | null, path: string, body: object = {}) => call('post', actor, path, body);
  const offerCounts = async (id: string) =>
    (await ds.query(`SELECT reserved, used, remaining FROM offers WHERE id = $1`, [id]))[0];
  const needState = async (id: string) =>
    (await ds.query(`SELECT state FROM needs WHERE id = $1`, [id]))[0].state;

  const archiveOf = async (who: Actor | null) =>
    (
      await createArchive(
        ds,
        {
          orgUnitId: grassroots.id,
          ownerUserId: who?.userId ?? null,
          status: 'active',
          headName: HEAD,
          archiveNo: `330106-2026-${randomBytes(3).toString('hex')}`,
          activatedAt: new Date(),
        },
        testCipher(),
      )
    ).archive.id;
  const offerOf = async (partnerId: string, overrides: Parameters<typeof createOffer>[4] = {}) =>
    (
      await createOffer(ds, cipher, partnerId, [itemId], {
        state: 'published',
        capacity: 5,
        validFrom: day(-1),
        validUntil: day(60),
        ...overrides,
      })
    ).id;
  /** A fresh open need of the owner's household for a new item, and a published offer of that item. */
  const freshPair = async (partnerId = companyId, overrides: Parameters<typeof createOffer>[4] = {}) => {
    const item = await createMenuItem(ds, { unit: overrides.kind === 'cash' ? 'yuan' : 'slots' });
    const needId = await createOpenNeed(ds, {
      archiveId: ownerArchive,
      menuItemId: item.id,
      createdBy: caseworker.userId,
    });
    const offerId = (
      await createOffer(ds, cipher, partnerId, [item.id], {
        state: 'published',
        capacity: 5,
        validFrom: day(-1),
        validUntil: day(60),
        ...overrides,
      })
    ).id;
    return { needId, offerId };
  };
  const proposed = async (pair?: { needId: string; offerId: string }) => {
    const { needId, offerId } = pair ?? (await freshPair());
    const res = await post(caseworker, '/matches', { needId, offerId });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, version: res.body.version as number, needId, offerId };
  };
  const approved = async (pair?: { needId: string; offerId: string }) => {
    const m = await proposed(pair);
    const res = await post(reviewer, `/matches/${m.id}/approve`, { version: m.version });
    expect(res.status).toBe(200);
    return { ...m, version: res.body.version as number };
  };

  beforeAll(async () => {
    // One household takes many matches here; 不重复救助 (which would refuse the second) has its own spec,
    // test/e2e/matches/match-aid-ledger.e2e-spec.ts. The caps stay on.
    t = await createTestApp({ overrides: { aidLedger: { duplicateCauseDays: 0 } } });
    ds = t.db.dataSource;
    cipher = t.app.get(FieldCipher);
    const root = await rootOrgUnit(ds);
    district = await createOrgUnit(ds, { parent: root, level: 'district', regionCode: '330106' });
    const elsewhere = await createOrgUnit(ds, { parent: root, level: 'district', regionCode: '330203' });
    grassroots = await createOrgUnit(ds, { parent: district, level: 'grassroots', regionCode: '330106' });
    companyId = (await createPartner(ds, cipher, district.id)).id;
    const other = await createPartner(ds, cipher, district.id);
    partner = await createActor(t.app, { kind: 'partner', unit: district, partnerId: companyId });
    otherPartner = await createActor(t.app, { kind: 'partner', unit: district, partnerId: other.id });
    caseworker = await createActor(t.app, { roles: ['caseworker'], unit: district });
    reviewer = await createActor(t.app, { roles: ['reviewer'], unit: district });
    outsider = await createActor(t.app, { roles: ['caseworker', 'reviewer'], unit: elsewhere });
    owner = await createActor(t.app, { kind: 'worker', roles: [], unit: grassroots });
    otherWorker = await createActor(t.app, { kind: 'worker', roles: [], unit: grassroots });
    itemId = (await createMenuItem(ds)).id;
    ownerArchive = await archiveOf(owner);
  });
  afterAll(async () => {
    expect(statuses).not.toContain(500);
    await t?.close();
  });

  describe('POST /matches (propose)', () => {
    it('staff in scope propose an eligible pair; the need keeps one match on the active path', async () => {
      const pair = await freshPair();
      const res = await post(caseworker, '/matches', { ...pair, note: '推荐第一名' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        state: 'proposed',
        needId: pair.needId,
        offerId: pair.offerId,
        units: 1,
        beneficiaryName: '欧**国',
        commands: expect.arrayContaining(['approve', 'reject', 'cancel']),
      });
      expect(findUnmaskedPersonalData(res.text)).toEqual([]);
      expect(await offerCounts(pair.offerId)).toMatchObject({ reserved: 0, remaining: 5 });
      const again = await post(caseworker, '/matches', pair);
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({
        code: 'MATCH_NEED_ALREADY_MATCHED',
        details: { matchId: res.body.id },
      });
    });

    it('re-checks the hard filters for the pair: a paused offer is 422 naming the filter', async () => {
      const { needId } = await freshPair();
      const [{ menu_item_id: item }] = await ds.query(`SELECT menu_item_id FROM needs WHERE id = $1`, [
        needId,
      ]);
      const paused = (
        await createOffer(ds, cipher, companyId, [item], {
          state: 'paused',
          validFrom: day(-1),
          validUntil: day(60),
        })
      ).id;
      const res = await post(caseworker, '/matches', { needId, offerId: paused });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('MATCH_PAIR_NOT_ELIGIBLE');
      expect(res.body.details.excludedBy.map((e: { code: string }) => e.code)).toContain('offer_state');
    });

    it('refuses out of scope (403), workers and partners (403), unknown ids (404), bad bodies (400)', async () => {
      const pair = await freshPair();
      expect((await post(outsider, '/matches', pair)).status).toBe(403);
      expect((await post(owner, '/matches', pair)).status).toBe(403);
      expect((await post(partner, '/matches', pair)).status).toBe(403);
      expect((await post(caseworker, '/matches', { ...pair, needId: UNKNOWN })).status).toBe(404);
      expect((await post(caseworker, '/matches', { ...pair, offerId: UNKNOWN })).status).toBe(404);
      for (const body of [
        {},
        { needId: 'x', offerId: pair.offerId },
        { ...pair, note: '' },
        { ...pair, note: 7 },
      ]) {
        const res = await post(caseworker, '/matches', body);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
      const phone = await post(caseworker, '/matches', { ...pair, note: `联系 ${HEAD_PHONE}` });
      expect(phone.status).toBe(422);
      expect(phone.body.code).toBe('MATCH_TEXT_CONTAINS_PERSONAL_DATA');
    });

    it('a need that is not open cannot be proposed (409 naming its state)', async () => {
      const m = await approved();
      const other = await offerOf(companyId);
      const res = await post(caseworker, '/matches', { needId: m.needId, offerId: other });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'MATCH_NEED_NOT_OPEN', details: { state: 'matched' } });
    });
  });

  describe('approve and reject (reviewers, never the proposer)', () => {
    it('approval reserves one unit and matches the need; the proposer may not approve', async () => {
      const self = await createActor(t.app, { roles: ['caseworker', 'reviewer'], unit: district });
      const pair = await freshPair();
      const mine = await post(self, '/matches', pair);
      const refused = await post(self, `/matches/${mine.body.id}/approve`, { version: mine.body.version });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('SELF_APPROVAL');
      expect((await post(caseworker, `/matches/${mine.body.id}/approve`, { version: 1 })).status).toBe(403);
      expect((await post(outsider, `/matches/${mine.body.id}/approve`, { version: 1 })).status).toBe(403);
      const stale = await post(reviewer, `/matches/${mine.body.id}/approve`, {
        version: mine.body.version + 5,
      });
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('MATCH_VERSION_CONFLICT');
      const ok = await post(reviewer, `/matches/${mine.body.id}/approve`, { version: mine.body.version });
      expect(ok.status).toBe(200);
      expect(ok.body.state).toBe('approved');
      expect(await offerCounts(pair.offerId)).toMatchObject({ reserved: 1, used: 0, remaining: 4 });
      expect(await needState(pair.needId)).toBe('matched');
      const twice = await post(reviewer, `/matches/${mine.body.id}/approve`, { version: ok.body.version });
      expect(twice.status).toBe(409);
      expect(twice.body).toMatchObject({
        code: 'MATCH_INVALID_TRANSITION',
        details: { state: 'approved', command: 'approve' },
      });
    });

    it('a full offer refuses approval with 409 OFFER_CAPACITY_EXHAUSTED and nothing changes', async () => {
      const pair = await freshPair(companyId, { capacity: 1 });
      const m = await proposed(pair);
      // Taken meanwhile by another approval.
      await ds.query(`UPDATE offers SET reserved = 1, remaining = 0 WHERE id = $1`, [pair.offerId]);
      const res = await post(reviewer, `/matches/${m.id}/approve`, { version: m.version });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('OFFER_CAPACITY_EXHAUSTED');
      expect((await get(reviewer, `/matches/${m.id}`)).body.state).toBe('proposed');
      expect(await needState(pair.needId)).toBe('open');
    });

    it('reject after approval releases the reservation and reopens the need; reject states its reason', async () => {
      const m = await approved();
      expect((await post(reviewer, `/matches/${m.id}/reject`, { version: m.version })).status).toBe(400);
      const res = await post(reviewer, `/matches/${m.id}/reject`, {
        version: m.version,
        reason: '不符合救助条件',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ state: 'rejected', exitNote: '不符合救助条件', commands: [] });
      expect(await offerCounts(m.offerId)).toMatchObject({ reserved: 0, remaining: 5 });
      expect(await needState(m.needId)).toBe('open');
    });

    it('cash above the configured amount needs an approver', async () => {
      const pair = await freshPair(companyId, {
        kind: 'cash',
        amountPerBeneficiaryFen: 800_000,
        capacity: 2,
      });
      const m = await proposed(pair);
      expect(m).toBeDefined();
      const res = await post(reviewer, `/matches/${m.id}/approve`, { version: m.version });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('MATCH_APPROVER_REQUIRED');
    });
  });

  describe('from acceptance to closure, with consent-gated disclosure', () => {
    it('walks every step; capacity is used on delivery; the need is fulfilled, then closed', async () => {
      const m = await approved();
      let version = m.version;
      const step = async (actor: Actor, command: string, body: object = {}, expected = 200) => {
        const res = await post(actor, `/matches/${m.id}/${command}`, { version, ...body });
        expect({ command, status: res.status, body: res.status === expected ? null : res.body }).toEqual({
          command,
          status: expected,
          body: null,
        });
        if (res.status === 200) version = res.body.version;
        return res;
      };
      // The partner's card before consent: masked, no contact.
      const before = await get(partner, `/matches/${m.id}`);
      expect(before.status).toBe(200);
      expect(before.body).toMatchObject({ beneficiaryName: null, archiveId: null, contactAvailable: false });
      expect(findUnmaskedPersonalData(before.text)).toEqual([]);
      expect(before.text).not.toContain(HEAD);
      expect((await get(partner, `/matches/${m.id}/reveal`)).status).toBe(422);
      expect((await get(otherPartner, `/matches/${m.id}`)).status).toBe(403);
      expect((await step(otherPartner, 'accept', {}, 403)).body.code).toBe('NOT_OWNER');
      // Staff may not accept a partner's own offer.
      expect((await step(caseworker, 'accept', {}, 403)).body.code).toBe('MATCH_NOT_UNION_PROGRAMME');
      await step(partner, 'accept');
      // Accepted, not yet consented.
      expect((await get(partner, `/matches/${m.id}/reveal`)).status).toBe(422);
      // The worker sees the partner's contact since approval (audited).
      const partnerContact = await get(owner, `/matches/${m.id}/reveal`);
      expect(partnerContact.status).toBe(200);
      expect(partnerContact.body).toMatchObject({ whose: 'partner', mobile: OFFER_PHONE });
      expect((await get(otherWorker, `/matches/${m.id}/reveal`)).status).toBe(403);
      // A caseworker consents only with a signed partner_disclosure consent of the household.
      const noRecord = await post(caseworker, `/matches/${m.id}/consent`, { version, action: 'grant' });
      expect(noRecord.status).toBe(422);
      expect(noRecord.body.code).toBe('MATCH_CONSENT_RECORD_REQUIRED');
      expect((await post(otherWorker, `/matches/${m.id}/consent`, { version, action: 'grant' })).status).toBe(
        403,
      );
      const consent = await post(owner, `/matches/${m.id}/consent`, { version, action: 'grant' });
      expect(consent.status).toBe(200);
      expect(consent.body.consent).toMatchObject({ given: true, byKind: 'worker' });
      version = consent.body.version;
      const after = await get(partner, `/matches/${m.id}`);
      expect(after.body.contactAvailable).toBe(true);
      expect(findUnmaskedPersonalData(after.text)).toEqual([]);
      const disclosed = await get(partner, `/matches/${m.id}/reveal`);
      expect(disclosed.status).toBe(200);
      expect(disclosed.body).toEqual({
        whose: 'beneficiary',
        name: HEAD,
        mobile: HEAD_PHONE,
        address: expect.any(String),
      });
      // The only unmasked datum of the disclosure is the mobile it exists to give.
      expect(findUnmaskedPersonalData(disclosed.text).map((h) => h.kind)).toEqual(['phone']);
      const views = await ds.query(
        `SELECT count(*)::int AS n FROM audit_logs WHERE action = 'match.reveal' AND target_id = $1`,
        [m.id],
      );
      expect(views[0].n).toBe(2);
      // Revoked before delivery: the partner loses the contact; given again.
      const revoked = await post(owner, `/matches/${m.id}/consent`, { version, action: 'revoke' });
      expect(revoked.body.consent.given).toBe(false);
      expect((await get(partner, `/matches/${m.id}/reveal`)).status).toBe(422);
      version = (
        await post(owner, `/matches/${m.id}/consent`, { version: revoked.body.version, action: 'grant' })
      ).body.version;

      await step(partner, 'start');
      expect((await step(partner, 'deliver', {}, 400)).body.code).toBe('VALIDATION_FAILED');
      const delivered = await step(partner, 'deliver', { note: '已参加第一期培训' });
      expect(delivered.body.delivery).toMatchObject({
        note: '已参加第一期培训',
        amountFen: null,
        goodsCount: null,
      });
      expect(await offerCounts(m.offerId)).toMatchObject({ reserved: 0, used: 1, remaining: 4 });
      // Consent may no longer be changed after delivery.
      expect((await post(owner, `/matches/${m.id}/consent`, { version, action: 'revoke' })).status).toBe(409);
      expect((await step(caseworker, 'cancel', { reason: '重复' }, 409)).body.details).toEqual({
        state: 'delivered',
        command: 'cancel',
      });
      expect((await step(caseworker, 'confirm', {}, 400)).body.code).toBe('MATCH_CONFIRM_REASON_REQUIRED');
      expect((await step(otherWorker, 'confirm', {}, 403)).body.code).toBe('NOT_OWNER');
      await step(owner, 'confirm');
      expect(await needState(m.needId)).toBe('fulfilled');
      const tomorrow = day(1);
      for (const bad of [
        { date: tomorrow, channel: 'phone', findings: '满意', satisfaction: 5 },
        { date: day(0), channel: 'fax', findings: '满意', satisfaction: 5 },
        { date: day(0), channel: 'phone', findings: '满意', satisfaction: 6 },
        { date: '2026-02-30', channel: 'phone', findings: '满意', satisfaction: 5 },
      ])
        expect((await step(caseworker, 'follow-up', bad, 400)).status).toBe(400);
      expect(
        (
          await step(
            partner,
            'follow-up',
            { date: day(0), channel: 'phone', findings: '满意', satisfaction: 5 },
            403,
          )
        ).status,
      ).toBe(403);
      const followed = await step(caseworker, 'follow-up', {
        date: day(0),
        channel: 'phone',
        findings: '已掌握电焊基本操作',
        satisfaction: 5,
      });
      expect(followed.body.followUp).toEqual({
        date: day(0),
        channel: 'phone',
        findings: '已掌握电焊基本操作',
        satisfaction: 5,
      });
      expect((await step(caseworker, 'close', { outcome: 'fixed', note: '好' }, 400)).status).toBe(400);
      const closed = await step(reviewer, 'close', { outcome: 'resolved', note: '已就业' });
      expect(closed.body).toMatchObject({
        state: 'closed',
        outcome: 'resolved',
        closeNote: '已就业',
        commands: [],
      });
      expect(await needState(m.needId)).toBe('closed');
      // The disclosure ends with the match; the worker's view of the partner too.
      expect((await get(partner, `/matches/${m.id}/reveal`)).status).toBe(422);
      expect((await get(owner, `/matches/${m.id}/reveal`)).status).toBe(422);
      const history = await ds.query(
        `SELECT command, from_state, to_state FROM match_history WHERE match_id = $1 ORDER BY id`,
        [m.id],
      );
      const shown = await get(partner, `/matches/${m.id}/history`);
      expect(shown.status).toBe(200);
      expect(shown.body.map((h: { command: string }) => h.command)).toEqual(
        history.map((h: { command: string }) => h.command),
      );
      expect(shown.body.at(-1)).toMatchObject({
        fromState: 'followed_up',
        toState: 'closed',
        reason: 'resolved',
      });
      expect((await get(otherWorker, `/matches/${m.id}/history`)).status).toBe(403);
      expect(history.map((h: { command: string }) => h.command)).toEqual([
        'propose',
        'approve',
        'accept',
        'consent',
        'consent-revoke',
        'consent',
        'start',
        'deliver',
        'confirm',
        'follow-up',
        'close',
      ]);
      const audited = await ds.query(
        `SELECT action FROM audit_logs WHERE target_id = $1 AND action LIKE 'match.%' AND outcome = 'success'
          AND action NOT IN ('match.read', 'match.reveal') ORDER BY id`,
        [m.id],
      );
      expect(audited.map((a: { action: string }) => a.action)).toEqual(
        history.map((h: { command: string }) => `match.${h.command}`),
      );
    });

    it('a caseworker consents for the worker with a signed partner_disclosure consent', async () => {
      const m = await approved();
      const accepted = await post(partner, `/matches/${m.id}/accept`, { version: m.version });
      const [consent] = await ds.query(
        `INSERT INTO archive_consents (archive_id, subject, purpose, kind, text_version, granted_at, recorded_by)
         VALUES ($1, 'head', 'partner_disclosure', 'general', 'v1', now(), $2) RETURNING id`,
        [ownerArchive, caseworker.userId],
      );
      const res = await post(caseworker, `/matches/${m.id}/consent`, {
        version: accepted.body.version,
        action: 'grant',
        archiveConsentId: consent.id,
      });
      expect(res.status).toBe(200);
      expect(res.body.consent).toMatchObject({ given: true, byKind: 'caseworker' });
      expect((await get(partner, `/matches/${m.id}/reveal`)).status).toBe(200);
    });
  });

  describe('side exits', () => {
    it('the worker declines with a parking reason: released, need open, the pair left out of suggestions', async () => {
      const m = await approved();
      const res = await post(owner, `/matches/${m.id}/decline`, {
        version: m.version,
        reason: 'worker_refused',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        state: 'declined',
        declineReason: 'worker_refused',
        parkScope: 'pair',
      });
      expect(res.body.parkedUntil > day(364)).toBe(true);
      expect(await offerCounts(m.offerId)).toMatchObject({ reserved: 0, remaining: 5 });
      expect(await needState(m.needId)).toBe('open');
      const again = await post(caseworker, '/matches', { needId: m.needId, offerId: m.offerId });
      expect(again.status).toBe(422);
      expect(again.body.details.excludedBy.map((e: { code: string }) => e.code)).toContain('pair');
    });

    it('decline reasons are coded; `other` needs a note', async () => {
      const m = await approved();
      expect(
        (await post(partner, `/matches/${m.id}/decline`, { version: m.version, reason: 'busy' })).status,
      ).toBe(400);
      const other = await post(partner, `/matches/${m.id}/decline`, { version: m.version, reason: 'other' });
      expect(other.status).toBe(400);
      expect(other.body.code).toBe('MATCH_DECLINE_NOTE_REQUIRED');
      const dup = await post(partner, `/matches/${m.id}/decline`, {
        version: m.version,
        reason: 'duplicate',
      });
      expect(dup.body).toMatchObject({ state: 'declined', parkScope: null, parkedUntil: null });
    });

    it('cancel before delivery (staff, with a reason) releases; a proposed match releases nothing', async () => {
      const p = await proposed();
      const c1 = await post(caseworker, `/matches/${p.id}/cancel`, {
        version: p.version,
        reason: '需求已变化',
      });
      expect(c1.body.state).toBe('cancelled');
      expect(await offerCounts(p.offerId)).toMatchObject({ reserved: 0, remaining: 5 });
      expect(await needState(p.needId)).toBe('open');
      const a = await approved();
      expect(
        (await post(partner, `/matches/${a.id}/cancel`, { version: a.version, reason: 'x' })).status,
      ).toBe(403);
      const c2 = await post(reviewer, `/matches/${a.id}/cancel`, {
        version: a.version,
        reason: '职工已另行解决',
      });
      expect(c2.body.state).toBe('cancelled');
      expect(await offerCounts(a.offerId)).toMatchObject({ reserved: 0, remaining: 5 });
    });

    it('a need whose validity passed while matched expires when its match leaves the active path', async () => {
      const m = await approved();
      await ds.query(
        `UPDATE needs SET opened_at = now() - interval '2 days', expires_at = now() - interval '1 minute' WHERE id = $1`,
        [m.needId],
      );
      const res = await post(caseworker, `/matches/${m.id}/cancel`, {
        version: m.version,
        reason: '需求已过期',
      });
      expect(res.status).toBe(200);
      expect(await needState(m.needId)).toBe('expired');
      expect(await offerCounts(m.offerId)).toMatchObject({ reserved: 0, remaining: 5 });
      const moves = await ds.query(
        `SELECT command, from_state, to_state FROM need_history WHERE need_id = $1 ORDER BY id DESC LIMIT 3`,
        [m.needId],
      );
      expect(moves).toEqual([
        { command: 'expire', from_state: 'open', to_state: 'expired' },
        { command: 'release', from_state: 'matched', to_state: 'open' },
        { command: 'match', from_state: 'open', to_state: 'matched' },
      ]);
    });

    it('staff act for a union programme (accept, deliver with the cash amount)', async () => {
      const union = (await unionPartnerOf(ds, district.id)).id;
      const pair = await freshPair(union, { kind: 'cash', amountPerBeneficiaryFen: 50_000, capacity: 3 });
      const m = await approved(pair);
      const acc = await post(caseworker, `/matches/${m.id}/accept`, { version: m.version });
      expect(acc.status).toBe(200);
      const over = await post(caseworker, `/matches/${m.id}/deliver`, {
        version: acc.body.version,
        note: '发放慰问金',
        amountFen: 60_000,
      });
      expect(over.status).toBe(400);
      expect(over.body.code).toBe('MATCH_DELIVERY_QUANTITY_REQUIRED');
      const ok = await post(caseworker, `/matches/${m.id}/deliver`, {
        version: acc.body.version,
        note: '发放慰问金',
        amountFen: 50_000,
      });
      expect(ok.status).toBe(200);
      expect(ok.body.delivery.amountFen).toBe(50_000);
    });
  });

  describe('notifications (站内消息) of whoever must act next', () => {
    /** The inbox rows of `who` that link to match `id`, by event. */
    const inbox = async (who: Actor, id: string) => {
      const res = await get(who, '/notifications?pageSize=100');
      expect(res.status).toBe(200);
      return (res.body.items as { event: string; ref: { type: string; id: string } | null; body: string }[])
        .filter((n) => n.ref?.id === id)
        .map((n) => n.event);
    };
    it('proposed → the reviewers; approved → the partner and the worker; accepted → the worker', async () => {
      const m = await proposed();
      expect(await inbox(reviewer, m.id)).toEqual(['match.proposed']);
      expect(await inbox(caseworker, m.id)).toEqual([]); // the proposer is no reviewer here
      expect(await inbox(outsider, m.id)).toEqual([]); // a reviewer of another district
      const ok = await post(reviewer, `/matches/${m.id}/approve`, { version: m.version });
      expect(ok.status).toBe(200);
      expect(await inbox(partner, m.id)).toEqual(['match.approved']);
      expect(await inbox(owner, m.id)).toEqual(['match.approved']);
      expect(await inbox(otherPartner, m.id)).toEqual([]);
      const accepted = await post(partner, `/matches/${m.id}/accept`, { version: ok.body.version });
      expect(accepted.status).toBe(200);
      expect(await inbox(owner, m.id)).toEqual(['match.accepted', 'match.approved']);
      const res = await get(owner, '/notifications?pageSize=100');
      expect(findUnmaskedPersonalData(res.text)).toEqual([]);
    });
  });

  describe('reads', () => {
    it('lists: staff their subtree, a partner its own, a worker its household; never another household', async () => {
      const m = await proposed();
      const otherArchive = await archiveOf(otherWorker);
      const item = await createMenuItem(ds);
      const otherNeed = await createOpenNeed(ds, {
        archiveId: otherArchive,
        menuItemId: item.id,
        createdBy: caseworker.userId,
      });
      const otherOffer = (
        await createOffer(ds, cipher, companyId, [item.id], {
          state: 'published',
          validFrom: day(-1),
          validUntil: day(60),
        })
      ).id;
      const theirs = await createMatch(ds, { needId: otherNeed, offerId: otherOffer });
      const ids = async (actor: Actor) => {
        const res = await get(actor, '/matches?pageSize=100');
        expect(res.status).toBe(200);
        expect(findUnmaskedPersonalData(res.text)).toEqual([]);
        return res.body.items.map((i: { id: string }) => i.id) as string[];
      };
      expect(await ids(caseworker)).toEqual(expect.arrayContaining([m.id, theirs.id]));
      expect(await ids(outsider)).toEqual([]);
      expect(await ids(owner)).toContain(m.id);
      expect(await ids(owner)).not.toContain(theirs.id);
      expect(await ids(otherWorker)).toEqual([theirs.id]);
      expect(await ids(partner)).toContain(m.id);
      expect(await ids(otherPartner)).toEqual([]);
      expect((await get(otherWorker, `/matches/${m.id}`)).status).toBe(403);
      expect((await get(outsider, `/matches/${m.id}`)).status).toBe(403);
      expect((await get(caseworker, `/matches/${UNKNOWN}`)).status).toBe(404);
      expect((await get(caseworker, `/matches/not-a-uuid`)).status).toBe(400);
      expect((await get(caseworker, `/matches?state=nope`)).status).toBe(400);
      expect((await get(null, `/matches`)).status).toBe(401);
      const filtered = await get(caseworker, `/matches?needId=${m.needId}`);
      expect(filtered.body.items.map((i: { id: string }) => i.id)).toEqual([m.id]);
    });
  });

  describe('the database guards the state machine', () => {
    it('match_state_transitions holds exactly the moves of the table', async () => {
      const rows = await ds.query(`SELECT from_state, to_state FROM match_state_transitions ORDER BY 1, 2`);
      expect(rows.map((r: { from_state: string; to_state: string }) => [r.from_state, r.to_state])).toEqual(
        allowedMatchStatePairs(),
      );
    });

    it('SQL that bypasses the service cannot write an illegal state or history move', async () => {
      const m = await proposed();
      await expect(ds.query(`UPDATE matches SET state = 'delivered' WHERE id = $1`, [m.id])).rejects.toThrow(
        /may not move from state proposed to delivered/,
      );
      await expect(
        ds.query(
          `INSERT INTO match_history (match_id, at, actor_kind, command, from_state, to_state)
           VALUES ($1, now(), 'system', 'x', 'proposed', 'closed')`,
          [m.id],
        ),
      ).rejects.toThrow(/no move from proposed to closed/);
      const { needId, offerId } = await freshPair();
      await expect(
        ds.query(
          `INSERT INTO matches (need_id, offer_id, partner_id, archive_id, beneficiary_key, state, proposed_via, units,
                                state_changed_at, version)
           SELECT $1, $2, $3, $4, 'head', 'approved', 'manual', 1, now(), 1`,
          [needId, offerId, companyId, ownerArchive],
        ),
      ).rejects.toThrow(/must start proposed/);
    });
  });
});
