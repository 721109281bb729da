import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { FieldCipher } from '../../../src/common/crypto/field-cipher';
import { createHttpApp } from '../../../src/bootstrap';
import { MatchesService } from '../../../src/modules/matches/matches.service';
import { Actor, createActor } from '../../helpers/actors';
import { createArchive, testCipher } from '../../helpers/factories/archives.factory';
import { createMatch, createOpenNeed } from '../../helpers/factories/matches.factory';
import { createMenuItem } from '../../helpers/factories/menu.factory';
import { createOffer } from '../../helpers/factories/offers.factory';
import { createPartner } from '../../helpers/factories/partners.factory';
import { createOrgUnit, OrgUnitRow, rootOrgUnit } from '../../helpers/factories/users.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';

import { processEnv } from '../../../src/config/load-config';

const API = '/api/v1';
const DAY = 86_400_000;
const day = (days: number) => new Date(Date.now() + 8 * 3_600_000 + days * DAY).toISOString().slice(0, 10);
/** The issue asks for 20 runs; MATCH_CAPACITY_RUNS changes it for a local loop. */
const RUNS = Number(processEnv().MATCH_CAPACITY_RUNS ?? 20);
const CLIENTS = 50;
const CAPACITY = 7;

/**
 * Capacity is never overbooked (issue 13 §2) through the whole HTTP stack: 50 reviewers' approvals at
 * once against an offer of capacity 7, spread over two application instances sharing one database,
 * repeated 20 times; and a cancel racing the SLA expiry of one match gives its reservation back once.
 */
describe('match approvals under contention (two instances, one database)', () => {
  let t: TestApp;
  let second: Awaited<ReturnType<typeof createHttpApp>>;
  let ds: DataSource;
  let cipher: FieldCipher;
  let district: OrgUnitRow;
  let partnerId: string;
  let reviewer: Actor;
  let caseworker: Actor;
  const archives: string[] = [];

  beforeAll(async () => {
    // One household takes many matches here; 不重复救助 (which would refuse the second) has its own spec,
    // test/e2e/matches/match-aid-ledger.e2e-spec.ts. The caps stay on.
    t = await createTestApp({ overrides: { aidLedger: { duplicateCauseDays: 0 } } });
    ds = t.db.dataSource;
    cipher = t.app.get(FieldCipher);
    district = await createOrgUnit(ds, {
      parent: await rootOrgUnit(ds),
      level: 'district',
      regionCode: '330106',
    });
    const grassroots = await createOrgUnit(ds, {
      parent: district,
      level: 'grassroots',
      regionCode: '330106',
    });
    partnerId = (await createPartner(ds, cipher, district.id)).id;
    reviewer = await createActor(t.app, { roles: ['reviewer'], unit: district });
    caseworker = await createActor(t.app, { roles: ['caseworker'], unit: district });
    const owner = await createActor(t.app, { kind: 'worker', roles: [], unit: grassroots });
    for (let i = 0; i < CLIENTS; i++)
      archives.push(
        (
          await createArchive(
            ds,
            {
              orgUnitId: grassroots.id,
              ownerUserId: i === 0 ? owner.userId : null,
              status: 'active',
              archiveNo: `330106-2026-${randomBytes(3).toString('hex')}`,
              activatedAt: new Date(),
            },
            testCipher(),
          )
        ).archive.id,
      );
    // A second application instance on the same database (its own connection pool).
    second = await createHttpApp(t.config);
    await second.init();
    await second.getHttpAdapter().getInstance().ready();
  }, 180_000);

  afterAll(async () => {
    await second?.close();
    await t?.close();
  });

  /** An offer of `capacity` and one proposed match per household, each of its own open need. */
  async function contended(capacity: number, count: number) {
    const item = await createMenuItem(ds, { unit: 'slots' });
    const offer = await createOffer(ds, cipher, partnerId, [item.id], {
      state: 'published',
      capacity,
      validFrom: day(-1),
      validUntil: day(60),
    });
    const matches: Array<{ id: string; version: number; needId: string }> = [];
    for (let i = 0; i < count; i++) {
      const needId = await createOpenNeed(ds, {
        archiveId: archives[i]!,
        menuItemId: item.id,
        createdBy: caseworker.userId,
      });
      matches.push({
        ...(await createMatch(ds, { needId, offerId: offer.id, proposedBy: caseworker.userId })),
        needId,
      });
    }
    return { offerId: offer.id, matches };
  }

  const counts = async (offerId: string) =>
    (await ds.query(`SELECT capacity, reserved, used, remaining FROM offers WHERE id = $1`, [offerId]))[0];

  it(`${CLIENTS} concurrent approvals against capacity ${CAPACITY}: exactly ${CAPACITY} approved, the rest 409 OFFER_CAPACITY_EXHAUSTED (${RUNS} runs)`, async () => {
    for (let run = 0; run < RUNS; run++) {
      const { offerId, matches } = await contended(CAPACITY, CLIENTS);
      const responses = await Promise.all(
        matches.map((m, i) =>
          request((i % 2 === 0 ? t.app : second).getHttpServer())
            .post(`${API}/matches/${m.id}/approve`)
            .set('authorization', `Bearer ${reviewer.token}`)
            .send({ version: m.version }),
        ),
      );
      const approved = responses.filter((r) => r.status === 200);
      const refused = responses.filter((r) => r.status === 409);
      expect({ run, approved: approved.length, refused: refused.length }).toEqual({
        run,
        approved: CAPACITY,
        refused: CLIENTS - CAPACITY,
      });
      for (const r of refused) expect(r.body.code).toBe('OFFER_CAPACITY_EXHAUSTED');
      // Both instances answered some of each.
      expect(
        responses.filter((r, i) => i % 2 === 1 && r.status === 200).length + approved.length,
      ).toBeGreaterThan(0);
      expect(await counts(offerId)).toEqual({
        capacity: CAPACITY,
        reserved: CAPACITY,
        used: 0,
        remaining: 0,
      });
      const states = await ds.query(
        `SELECT m.state AS match, n.state AS need, count(*)::int AS n FROM matches m JOIN needs n ON n.id = m.need_id
          WHERE m.offer_id = $1 GROUP BY 1, 2 ORDER BY 1`,
        [offerId],
      );
      expect(states).toEqual([
        { match: 'approved', need: 'matched', n: CAPACITY },
        { match: 'proposed', need: 'open', n: CLIENTS - CAPACITY },
      ]);
    }
  }, 600_000);

  it('a cancel racing the expiry of one approved match releases its reservation exactly once', async () => {
    for (let run = 0; run < 10; run++) {
      const { offerId, matches } = await contended(3, 1);
      const [m] = matches;
      const approve = await request(t.app.getHttpServer())
        .post(`${API}/matches/${m!.id}/approve`)
        .set('authorization', `Bearer ${reviewer.token}`)
        .send({ version: m!.version });
      expect(approve.status).toBe(200);
      expect(await counts(offerId)).toMatchObject({ reserved: 1, remaining: 2 });
      const [cancel, expired] = await Promise.all([
        request(t.app.getHttpServer())
          .post(`${API}/matches/${m!.id}/cancel`)
          .set('authorization', `Bearer ${caseworker.token}`)
          .send({ version: approve.body.version, reason: '职工已另行解决' }),
        second.get(MatchesService).expire(m!.id),
      ]);
      const winners = (cancel.status === 200 ? 1 : 0) + (expired ? 1 : 0);
      expect(winners).toBe(1);
      if (cancel.status !== 200)
        expect(cancel.body.code).toMatch(/^MATCH_(INVALID_TRANSITION|VERSION_CONFLICT)$/);
      expect(await counts(offerId)).toEqual({ capacity: 3, reserved: 0, used: 0, remaining: 3 });
      const [need] = await ds.query(`SELECT state FROM needs WHERE id = $1`, [m!.needId]);
      expect(need.state).toBe('open');
      const releases = await ds.query(
        `SELECT count(*)::int AS n FROM match_history WHERE match_id = $1 AND command IN ('cancel', 'expire')`,
        [m!.id],
      );
      expect(releases[0].n).toBe(1);
      await ds.query(`UPDATE needs SET state = 'withdrawn' WHERE id = $1`, [m!.needId]);
    }
  }, 120_000);
});
