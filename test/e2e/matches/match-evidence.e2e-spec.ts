import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request, { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { FieldCipher } from '../../../src/common/crypto/field-cipher';
import { findUnmaskedPersonalData } from '../../../src/common/masking';
import type { MatchState } from '../../../src/modules/matches/matches.enums';
import { Actor, createActor } from '../../helpers/actors';
import { createArchive, testCipher } from '../../helpers/factories/archives.factory';
import { createMatch, createOpenNeed } from '../../helpers/factories/matches.factory';
import { createMenuItem } from '../../helpers/factories/menu.factory';
import { createOffer } from '../../helpers/factories/offers.factory';
import { createPartner, unionPartnerOf } from '../../helpers/factories/partners.factory';
import { createOrgUnit, OrgUnitRow, rootOrgUnit } from '../../helpers/factories/users.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';

const API = '/api/v1';
const MAX_BYTES = 64 * 1024;
const DAY = 86_400_000;
const day = (days: number) => new Date(Date.now() + 8 * 3_600_000 + days * DAY).toISOString().slice(0, 10);
const pdf = (size: number, mark = '签收单') =>
  Buffer.concat([Buffer.from(`%PDF-1.7\n%${mark}\n`), Buffer.alloc(size, 0x20)]).subarray(0, size);
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(200, 1)]);

/** Collects a binary response body (supertest would otherwise try to parse it). */
function binary(res: Response, callback: (err: Error | null, body: Buffer) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
  stream.on('error', (err: Error) => callback(err, Buffer.alloc(0)));
}

/**
 * Delivery evidence of matches (交付凭证, issue 13 §1) through the whole application: whoever delivers
 * uploads (type by content, size limit), whoever may read the match lists and downloads the same bytes;
 * other partners, workers, and staff out of scope are refused (audited); every upload, list and download
 * is audited. Every test builds its own match (CI's second pass shuffles the order).
 */
describe('/api/v1/matches/:id/evidence (whole app)', () => {
  let t: TestApp;
  let ds: DataSource;
  let cipher: FieldCipher;
  let root: string;
  let district: OrgUnitRow;
  let grassroots: OrgUnitRow;
  let companyId: string;
  let partner: Actor;
  let otherPartner: Actor;
  let caseworker: Actor;
  let outsider: Actor;
  let owner: Actor;
  let otherWorker: Actor;
  const statuses: number[] = [];

  const http = () => request(t.app.getHttpServer());
  const auth = (actor: Actor) => ({ authorization: `Bearer ${actor.token}` });
  const upload = async (actor: Actor, matchId: string, data: Buffer, contentType = 'application/pdf') => {
    const res = await http()
      .post(`${API}/matches/${matchId}/evidence`)
      .set(auth(actor))
      .attach('file', data, { filename: '2026年签收单.pdf', contentType });
    statuses.push(res.status);
    return res;
  };
  const list = async (actor: Actor, matchId: string) => {
    const res = await http().get(`${API}/matches/${matchId}/evidence`).set(auth(actor));
    statuses.push(res.status);
    expect(findUnmaskedPersonalData(res.text)).toEqual([]);
    return res;
  };
  const download = async (actor: Actor, matchId: string, evidenceId: string) => {
    const res = await http()
      .get(`${API}/matches/${matchId}/evidence/${evidenceId}`)
      .set(auth(actor))
      .buffer(true)
      .parse(binary);
    statuses.push(res.status);
    return res;
  };
  /** A match of the owner's household in `state`, on an offer of `partnerId` (default the company). */
  const matchIn = async (state: MatchState, partnerId = companyId) => {
    const { archive } = await createArchive(
      ds,
      { orgUnitId: grassroots.id, ownerUserId: owner.userId, status: 'active', activatedAt: new Date() },
      testCipher(),
    );
    const item = await createMenuItem(ds);
    const needId = await createOpenNeed(ds, {
      archiveId: archive.id,
      menuItemId: item.id,
      createdBy: caseworker.userId,
    });
    const offer = await createOffer(ds, cipher, partnerId, [item.id], {
      state: 'published',
      validFrom: day(-1),
      validUntil: day(60),
    });
    return createMatch(ds, { needId, offerId: offer.id, state, proposedBy: caseworker.userId });
  };
  const audit = (action: string, targetId: string) =>
    ds.query(`SELECT actor_id AS "actorId", details FROM audit_logs WHERE action = $1 AND target_id = $2`, [
      action,
      targetId,
    ]);

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'bangfu-match-evidence-e2e-'));
    t = await createTestApp({ overrides: { storage: { localDir: root, maxFileBytes: MAX_BYTES } } });
    ds = t.db.dataSource;
    cipher = t.app.get(FieldCipher);
    const top = await rootOrgUnit(ds);
    district = await createOrgUnit(ds, { parent: top, level: 'district', regionCode: '330106' });
    const elsewhere = await createOrgUnit(ds, { parent: top, level: 'district', regionCode: '330203' });
    grassroots = await createOrgUnit(ds, { parent: district, level: 'grassroots', regionCode: '330106' });
    companyId = (await createPartner(ds, cipher, district.id)).id;
    const other = await createPartner(ds, cipher, district.id);
    partner = await createActor(t.app, { kind: 'partner', unit: district, partnerId: companyId });
    otherPartner = await createActor(t.app, { kind: 'partner', unit: district, partnerId: other.id });
    caseworker = await createActor(t.app, { roles: ['caseworker'], unit: district });
    outsider = await createActor(t.app, { roles: ['caseworker', 'reviewer'], unit: elsewhere });
    owner = await createActor(t.app, { kind: 'worker', roles: [], unit: grassroots });
    otherWorker = await createActor(t.app, { kind: 'worker', roles: [], unit: grassroots });
  });
  afterAll(async () => {
    expect(statuses).not.toContain(500);
    await t?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('the partner uploads; the partner, staff in scope and the worker list it; a download returns the same bytes; all audited', async () => {
    const m = await matchIn('in_progress');
    const data = pdf(20_000);
    const up = await upload(partner, m.id, data);
    expect(up.status).toBe(201);
    expect(up.body).toEqual({
      id: expect.any(String),
      matchId: m.id,
      fileName: '2026年签收单.pdf',
      mimeType: 'application/pdf',
      sizeBytes: data.length,
      sha256: createHash('sha256').update(data).digest('hex'),
      uploadedByKind: 'partner',
      uploadedAt: expect.any(String),
    });
    for (const reader of [partner, caseworker, owner]) {
      const listed = await list(reader, m.id);
      expect(listed.status).toBe(200);
      expect(listed.body.items).toEqual([up.body]);
    }
    const got = await download(caseworker, m.id, up.body.id);
    expect(got.status).toBe(200);
    expect((got.body as Buffer).equals(data)).toBe(true);
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(got.headers['content-disposition']).toMatch(/^attachment;/);
    expect(await audit('match-evidence.upload', up.body.id)).toEqual([
      { actorId: partner.userId, details: expect.objectContaining({ matchId: m.id, state: 'in_progress' }) },
    ]);
    expect(await audit('match-evidence.list', m.id)).toHaveLength(3);
    expect(await audit('match-evidence.read', up.body.id)).toEqual([
      { actorId: caseworker.userId, details: { matchId: m.id } },
    ]);
    // Delivery keeps the evidence with the match.
    const delivered = await http()
      .post(`${API}/matches/${m.id}/deliver`)
      .set(auth(partner))
      .send({ version: m.version, note: '已送达，附签收单' });
    expect(delivered.status).toBe(200);
    expect((await list(owner, m.id)).body.items).toHaveLength(1);
  });

  it('refuses other partners, other workers and staff out of scope (403, audited), and staff on a partner’s own offer', async () => {
    const m = await matchIn('accepted');
    const up = await upload(partner, m.id, pdf(5_000));
    expect(up.status).toBe(201);
    const foreign = await upload(otherPartner, m.id, pdf(6_000));
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('NOT_OWNER');
    expect((await upload(caseworker, m.id, pdf(6_000))).body.code).toBe('MATCH_NOT_UNION_PROGRAMME');
    expect((await upload(owner, m.id, pdf(6_000))).status).toBe(403);
    const outOfScope = await list(outsider, m.id);
    expect(outOfScope.status).toBe(403);
    expect(outOfScope.body.code).toBe('OUT_OF_SCOPE');
    expect((await list(otherWorker, m.id)).status).toBe(403);
    expect((await list(otherPartner, m.id)).status).toBe(403);
    const stolen = await download(otherWorker, m.id, up.body.id);
    expect(stolen.status).toBe(403);
    expect((await download(outsider, m.id, up.body.id)).status).toBe(403);
    const denied = await ds.query(
      `SELECT actor_id AS "actorId", details->>'attemptedAction' AS attempted FROM audit_logs
        WHERE action = 'access.denied' AND target_id = $1 ORDER BY id`,
      [m.id],
    );
    expect(denied).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actorId: otherPartner.userId }),
        expect.objectContaining({ actorId: outsider.userId }),
        expect.objectContaining({ actorId: otherWorker.userId }),
      ]),
    );
    // Nothing of theirs was stored, and no download was recorded for them.
    expect((await list(partner, m.id)).body.items).toHaveLength(1);
    expect(await audit('match-evidence.read', up.body.id)).toEqual([]);
  });

  it('staff in scope upload for a union programme', async () => {
    const union = (await unionPartnerOf(ds, district.id)).id;
    const m = await matchIn('accepted', union);
    const up = await upload(caseworker, m.id, PNG, 'image/png');
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ mimeType: 'image/png', uploadedByKind: 'staff' });
    expect((await upload(outsider, m.id, pdf(3_000))).body.code).toBe('OUT_OF_SCOPE');
  });

  it('type by content, size limit, duplicates and states: 415, 413, 409', async () => {
    const m = await matchIn('accepted');
    const text = await upload(partner, m.id, Buffer.from('这不是PDF文件'.repeat(20)), 'application/pdf');
    expect(text.status).toBe(415);
    expect(text.body.code).toBe('EVIDENCE_TYPE_NOT_ALLOWED');
    const big = await upload(partner, m.id, pdf(MAX_BYTES + 1));
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('EVIDENCE_FILE_TOO_LARGE');
    const data = pdf(4_000);
    expect((await upload(partner, m.id, data)).status).toBe(201);
    const again = await upload(partner, m.id, data);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('MATCH_EVIDENCE_DUPLICATE');
    for (const state of ['approved', 'confirmed'] as const) {
      const early = await upload(partner, (await matchIn(state)).id, pdf(4_000));
      expect(early.status).toBe(409);
      expect(early.body).toMatchObject({ code: 'MATCH_EVIDENCE_NOT_ALLOWED_IN_STATE', details: { state } });
    }
    expect((await list(partner, m.id)).body.items).toHaveLength(1);
    const missing = await download(partner, m.id, '0b9a6c2e-4d1f-4e8a-9c3b-5f2d7e1a0c44');
    expect(missing.status).toBe(404);
  });
});
