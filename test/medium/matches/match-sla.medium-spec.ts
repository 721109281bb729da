import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { FakeClock } from '../../../src/common/clock/clock';
import { FieldCipher } from '../../../src/common/crypto/field-cipher';
import { findUnmaskedPersonalData } from '../../../src/common/masking';
import { JobName, JobPayloads, JobQueue, JobWorkerService } from '../../../src/infra/queue';
import { MatchSlaService } from '../../../src/modules/matches/match-sla.service';
import type { MatchState } from '../../../src/modules/matches/matches.enums';
import { Actor, createActor, loginActor } from '../../helpers/actors';
import { createArchive, testCipher } from '../../helpers/factories/archives.factory';
import { createMatch, createOpenNeed } from '../../helpers/factories/matches.factory';
import { createMenuItem } from '../../helpers/factories/menu.factory';
import { createOffer } from '../../helpers/factories/offers.factory';
import { createPartner } from '../../helpers/factories/partners.factory';
import { createOrgUnit, createUser, OrgUnitRow, rootOrgUnit } from '../../helpers/factories/users.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';

const API = '/api/v1';
const DAY = 86_400_000;
type StepPayload = JobPayloads[JobName.MatchSlaStep];

/**
 * Match SLAs (issue 13 §4) on real PostgreSQL with the injected clock: a move schedules its state's
 * steps; each step's job reminds whoever must act, escalates to the reviewers of the unit above, expires
 * past the hard limit; a stale job does nothing; the daily sweep does what a lost job missed; a job and
 * the sweep racing for one step do it once. Default SLAs: proposed 3 days, approved 5, hard limit × 2.
 */
describe('match SLAs: reminders, escalation, expiry (injected clock)', () => {
  const clock = new FakeClock(new Date());
  let t: TestApp;
  let ds: DataSource;
  let sla: MatchSlaService;
  let cipher: FieldCipher;
  let city: OrgUnitRow;
  let district: OrgUnitRow;
  let grassroots: OrgUnitRow;
  let caseworker: Actor;
  let reviewer: Actor;
  /** Reviewers by unit: the city's (two units above the need), the district's (the unit above), the need's own. */
  const reviewers: Record<'city' | 'district' | 'grassroots', string> = {
    city: '',
    district: '',
    grassroots: '',
  };

  beforeAll(async () => {
    t = await createTestApp({ clock });
    ds = t.db.dataSource;
    sla = t.app.get(MatchSlaService);
    cipher = t.app.get(FieldCipher);
    city = await createOrgUnit(ds, { parent: await rootOrgUnit(ds), level: 'city', regionCode: '330100' });
    district = await createOrgUnit(ds, { parent: city, level: 'district', regionCode: '330106' });
    grassroots = await createOrgUnit(ds, { parent: district, level: 'grassroots', regionCode: '330106' });
    caseworker = await createActor(t.app, { roles: ['caseworker'], unit: district }, () => clock.now());
    reviewer = await createActor(t.app, { roles: ['reviewer'], unit: district }, () => clock.now());
    reviewers.district = reviewer.userId;
    reviewers.city = (await createUser(ds, { roles: ['reviewer'], orgUnit: city })).user.id;
    reviewers.grassroots = (await createUser(ds, { roles: ['reviewer'], orgUnit: grassroots })).user.id;
  }, 180_000);

  afterAll(async () => {
    await t?.close();
  });

  // Each test starts now and leaves no match on the active path, so a sweep in another test (in any
  // order) finds only its own.
  beforeEach(() => clock.set(new Date()));
  afterEach(async () => {
    await ds.query(
      `UPDATE matches SET state = 'cancelled', exit_note = '测试结束', version = version + 1
        WHERE state IN ('proposed', 'approved', 'accepted', 'in_progress')`,
    );
  });

  /** A match in `state` since the clock's now, of a fresh household, offer (capacity 3) and partner account. */
  async function match(state: MatchState = 'approved') {
    const worker = (await createUser(ds, { kind: 'worker', roles: [], orgUnit: grassroots })).user.id;
    const archiveId = (
      await createArchive(
        ds,
        {
          orgUnitId: grassroots.id,
          ownerUserId: worker,
          status: 'active',
          archiveNo: `330106-2026-${randomBytes(3).toString('hex')}`,
          activatedAt: new Date(),
        },
        testCipher(),
      )
    ).archive.id;
    const partnerId = (await createPartner(ds, cipher, district.id)).id;
    const partnerAccount = (await createUser(ds, { kind: 'partner', roles: [], orgUnit: null, partnerId }))
      .user.id;
    const item = await createMenuItem(ds, { unit: 'slots' });
    const today = (d: number) => new Date(Date.now() + 8 * 3_600_000 + d * DAY).toISOString().slice(0, 10);
    const offer = await createOffer(ds, cipher, partnerId, [item.id], {
      state: 'published',
      capacity: 3,
      validFrom: today(-1),
      validUntil: today(60),
    });
    const needId = await createOpenNeed(ds, { archiveId, menuItemId: item.id, createdBy: caseworker.userId });
    const created = await createMatch(ds, {
      needId,
      offerId: offer.id,
      state,
      proposedBy: caseworker.userId,
    });
    const enteredAt = clock.now();
    await ds.query(`UPDATE matches SET state_changed_at = $2 WHERE id = $1`, [created.id, enteredAt]);
    return { ...created, needId, offerId: offer.id, worker, partnerAccount, enteredAt };
  }

  /** The job of `step` of the match's stay in `state` (entered when the factory made it). */
  const payload = (
    m: { id: string; enteredAt: Date },
    state: MatchState,
    step: StepPayload['step'],
  ): StepPayload => ({ matchId: m.id, state, enteredAt: m.enteredAt.toISOString(), step });
  const inbox = (userId: string, event: string) =>
    ds.query(
      `SELECT title, body, ref_id AS "refId" FROM notifications WHERE recipient_id = $1 AND event = $2`,
      [userId, event],
    );
  const steps = (matchId: string) =>
    ds.query(
      `SELECT state, step, count(*)::int AS n FROM match_sla_steps WHERE match_id = $1 GROUP BY 1, 2 ORDER BY 2`,
      [matchId],
    );
  const counts = async (offerId: string) =>
    (await ds.query(`SELECT reserved, remaining FROM offers WHERE id = $1`, [offerId]))[0];
  const expiries = async (matchId: string) =>
    (
      await ds.query(
        `SELECT count(*)::int AS n FROM match_history WHERE match_id = $1 AND command = 'expire'`,
        [matchId],
      )
    )[0].n;

  it('an approval schedules the approved state’s steps as delayed jobs keyed by match, state, entry and step', async () => {
    const m = await match('proposed');
    const enqueue = jest.spyOn(t.app.get(JobQueue), 'enqueue');
    try {
      const res = await request(t.app.getHttpServer())
        .post(`${API}/matches/${m.id}/approve`)
        .set('authorization', `Bearer ${reviewer.token}`)
        .send({ version: m.version });
      expect(res.status).toBe(200);
      const jobs = enqueue.mock.calls.filter(([name]) => name === JobName.MatchSlaStep);
      const [{ enteredAt }] = await ds.query(
        `SELECT state_changed_at AS "enteredAt" FROM matches WHERE id = $1`,
        [m.id],
      );
      expect(
        jobs.map(([, p, o]) => ({ ...(p as StepPayload), delayDays: o!.delayMs! / DAY, jobId: o!.jobId })),
      ).toEqual(
        (
          [
            ['remind-half', 2.5],
            ['remind', 5],
            ['escalate', 5],
            ['expire', 10],
          ] as const
        ).map(([step, delayDays]) => ({
          matchId: m.id,
          state: 'approved',
          enteredAt: (enteredAt as Date).toISOString(),
          step,
          delayDays,
          jobId: `match-sla-${m.id}-approved-${(enteredAt as Date).getTime()}-${step}`,
        })),
      );
    } finally {
      enqueue.mockRestore();
    }
  });

  it('at half time the partner who must accept is reminded, once; before it the job only re-arms itself', async () => {
    const m = await match('approved');
    const job = payload(m, 'approved', 'remind-half');
    clock.advance(2.4 * DAY);
    expect(await sla.runJob(job)).toBe('early');
    expect(await inbox(m.partnerAccount, 'match.reminder')).toEqual([]);
    clock.advance(0.1 * DAY);
    expect(await sla.runJob(job)).toBe('done');
    expect(await sla.runJob(job)).toBe('already-done');
    const due = new Date(Date.parse(job.enteredAt) + 5 * DAY + 8 * 3_600_000).toISOString().slice(0, 10);
    expect(await inbox(m.partnerAccount, 'match.reminder')).toEqual([
      {
        title: '对接办理提醒',
        body: expect.stringContaining(`处于“待接单”环节，请于${due}前办理`),
        refId: m.id,
      },
    ]);
    // Not the worker (the partner acts), not the reviewers.
    expect(await inbox(m.worker, 'match.reminder')).toEqual([]);
    const ofThis = (rows: { refId: string }[]) => rows.filter((r) => r.refId === m.id);
    expect(ofThis(await inbox(reviewers.district, 'match.reminder'))).toEqual([]);
    expect(await steps(m.id)).toEqual([{ state: 'approved', step: 'remind-half', n: 1 }]);
  });

  it('at the deadline a proposal is escalated to the reviewers of the unit above the need’s unit, and its approvers reminded', async () => {
    const m = await match('proposed');
    clock.advance(3 * DAY);
    const before = (await inbox(reviewers.district, 'match.escalated')).length;
    expect(await sla.runJob(payload(m, 'proposed', 'escalate'))).toBe('done');
    expect(await sla.runJob(payload(m, 'proposed', 'remind'))).toBe('done');
    const escalated = (await inbox(reviewers.district, 'match.escalated')).slice(before);
    expect(escalated).toEqual([
      {
        title: '对接超时督办',
        body: expect.stringMatching(
          new RegExp(`^${grassroots.name}的“.+”对接在“待审批”环节已超时，请督促办理。$`),
        ),
        refId: m.id,
      },
    ]);
    // Only the unit directly above: not the need's own unit, not the city.
    expect(
      (await inbox(reviewers.grassroots, 'match.escalated')).filter(
        (n: { refId: string }) => n.refId === m.id,
      ),
    ).toEqual([]);
    expect(
      (await inbox(reviewers.city, 'match.escalated')).filter((n: { refId: string }) => n.refId === m.id),
    ).toEqual([]);
    // The reminder goes to whoever may approve (reviewers in scope), never the proposer.
    const reminded = await ds.query(
      `SELECT recipient_id AS id FROM notifications WHERE ref_id = $1 AND event = 'match.reminder' ORDER BY 1`,
      [m.id],
    );
    expect(reminded.map((r: { id: string }) => r.id)).toEqual(
      [reviewers.city, reviewers.district, reviewers.grassroots].sort(),
    );
    expect(reminded.map((r: { id: string }) => r.id)).not.toContain(caseworker.userId);
  });

  it('past the hard limit the match expires and releases its capacity exactly once', async () => {
    const m = await match('approved');
    expect(await counts(m.offerId)).toEqual({ reserved: 1, remaining: 2 });
    const job = payload(m, 'approved', 'expire');
    clock.advance(10 * DAY - 60_000);
    expect(await sla.runJob(job)).toBe('early');
    expect(await counts(m.offerId)).toEqual({ reserved: 1, remaining: 2 });
    clock.advance(60_000);
    expect(await sla.runJob(job)).toBe('done');
    const [row] = await ds.query(
      `SELECT m.state, n.state AS need FROM matches m JOIN needs n ON n.id = m.need_id WHERE m.id = $1`,
      [m.id],
    );
    expect(row).toEqual({ state: 'expired', need: 'open' });
    expect(await counts(m.offerId)).toEqual({ reserved: 0, remaining: 3 });
    // Again, and the sweep: nothing more.
    expect(await sla.runJob(job)).toBe('stale');
    await t.app.get(JobWorkerService).runNow(JobName.MatchesSlaSweep);
    expect(await counts(m.offerId)).toEqual({ reserved: 0, remaining: 3 });
    expect(await expiries(m.id)).toBe(1);
    expect((await steps(m.id)).filter((s: { step: string }) => s.step === 'expire')).toEqual([
      { state: 'approved', step: 'expire', n: 1 },
    ]);
  });

  it('a stale job does nothing: the match moved on, or entered the state again at another time', async () => {
    const m = await match('approved');
    const job = payload(m, 'approved', 'expire');
    const half = payload(m, 'approved', 'remind-half');
    clock.advance(DAY);
    // The partner accepted: the approved state's jobs are stale.
    await ds.query(
      `UPDATE matches SET state = 'accepted', state_changed_at = $2, version = version + 1 WHERE id = $1`,
      [m.id, clock.now()],
    );
    clock.advance(20 * DAY);
    expect(await sla.runJob(job)).toBe('stale');
    expect(await sla.runJob(half)).toBe('stale');
    await t.app.get(JobWorkerService).runNow(JobName.MatchSlaStep, job);
    // Back in a state with the same name but since another time (as after a reopened stay).
    const other = { ...payload(m, 'accepted', 'remind-half'), enteredAt: new Date(0).toISOString() };
    expect(await sla.runJob(other)).toBe('stale');
    const [row] = await ds.query(`SELECT state FROM matches WHERE id = $1`, [m.id]);
    expect(row.state).toBe('accepted');
    expect(await counts(m.offerId)).toEqual({ reserved: 1, remaining: 2 });
    expect(await steps(m.id)).toEqual([]);
    expect(await inbox(m.partnerAccount, 'match.reminder')).toEqual([]);
  });

  it('the daily sweep does what a lost job missed, and a second sweep does nothing more', async () => {
    const m = await match('proposed');
    // No job was ever scheduled (the match was written straight to the database): 4 days later the
    // half-time reminder, the deadline's reminder and the escalation are all due.
    clock.advance(4 * DAY);
    const before = (await inbox(reviewers.district, 'match.escalated')).length;
    await t.app.get(JobWorkerService).runNow(JobName.MatchesSlaSweep);
    expect(await steps(m.id)).toEqual([
      { state: 'proposed', step: 'escalate', n: 1 },
      { state: 'proposed', step: 'remind', n: 1 },
      { state: 'proposed', step: 'remind-half', n: 1 },
    ]);
    const [{ done_by }] = await ds.query(`SELECT DISTINCT done_by FROM match_sla_steps WHERE match_id = $1`, [
      m.id,
    ]);
    expect(done_by).toBe('sweep');
    expect((await inbox(reviewers.district, 'match.escalated')).length).toBe(before + 1);
    const reminders = async () =>
      (await ds.query(`SELECT count(*)::int AS n FROM notifications WHERE ref_id = $1`, [m.id]))[0].n;
    const sent = await reminders();
    expect(sent).toBe(3 * 2 + 1); // three approvers reminded twice, one escalation
    await sla.sweep();
    expect(await reminders()).toBe(sent);
    // Past the hard limit (6 days) the sweep expires it.
    clock.advance(2 * DAY);
    expect(await sla.sweep()).toBeGreaterThanOrEqual(1);
    expect(await expiries(m.id)).toBe(1);
  });

  it('jobs and sweeps racing for the same steps do each once (5 runs)', async () => {
    for (let run = 0; run < 5; run++) {
      clock.set(new Date());
      const m = await match('approved');
      const before = (await inbox(reviewers.district, 'match.escalated')).length;
      clock.advance(5 * DAY);
      await Promise.all(
        [
          sla.runJob(payload(m, 'approved', 'remind-half')),
          sla.runJob(payload(m, 'approved', 'remind')),
          sla.runJob(payload(m, 'approved', 'remind')),
          sla.runJob(payload(m, 'approved', 'escalate')),
          sla.runJob(payload(m, 'approved', 'escalate')),
          sla.sweep(),
          sla.sweep(),
        ].map((p) => p.catch((e: unknown) => e)),
      );
      expect({ run, steps: await steps(m.id) }).toEqual({
        run,
        steps: [
          { state: 'approved', step: 'escalate', n: 1 },
          { state: 'approved', step: 'remind', n: 1 },
          { state: 'approved', step: 'remind-half', n: 1 },
        ],
      });
      expect({ run, reminders: (await inbox(m.partnerAccount, 'match.reminder')).length }).toEqual({
        run,
        reminders: 2,
      });
      expect({
        run,
        escalations: (await inbox(reviewers.district, 'match.escalated')).length - before,
      }).toEqual({
        run,
        escalations: 1,
      });
      clock.advance(5 * DAY);
      const expire = payload(m, 'approved', 'expire');
      await Promise.all(
        [sla.runJob(expire), sla.runJob(expire), sla.sweep(), sla.sweep()].map((p) =>
          p.catch((e: unknown) => e),
        ),
      );
      expect({ run, expiries: await expiries(m.id), offer: await counts(m.offerId) }).toEqual({
        run,
        expiries: 1,
        offer: { reserved: 0, remaining: 3 },
      });
    }
  }, 120_000);

  it('GET /matches/overdue lists the subtree’s matches past their deadline, most overdue first, with who must act', async () => {
    const proposed = await match('proposed'); // 3 days
    clock.advance(60_000); // the clock stands still: a minute apart, so the order is theirs
    const urgent = await match('approved'); // urgent: 5 × 0.5 → 3 days
    await ds.query(`UPDATE needs SET urgency = 'urgent' WHERE id = $1`, [urgent.needId]);
    const inTime = await match('approved'); // 5 days
    clock.advance(4.5 * DAY);
    const grassrootsCaseworker = await createActor(
      t.app,
      { roles: ['caseworker'], unit: await createOrgUnit(ds, { parent: district, level: 'grassroots' }) },
      () => clock.now(),
    );
    const get = async (actor: Actor, query = '') =>
      request(t.app.getHttpServer())
        .get(`${API}/matches/overdue${query}`)
        .set('authorization', `Bearer ${await loginActor(t.app, actor, () => clock.now())}`);
    const res = await get(reviewer);
    expect(res.status).toBe(200);
    expect(findUnmaskedPersonalData(res.text)).toEqual([]);
    const deadline = (m: { enteredAt: Date }, days: number) =>
      new Date(m.enteredAt.getTime() + days * DAY).toISOString();
    expect(res.body).toEqual({
      items: [
        expect.objectContaining({
          id: proposed.id,
          state: 'proposed',
          deadline: deadline(proposed, 3),
          daysOverdue: 1,
          mustAct: 'reviewer',
          unitName: grassroots.name,
        }),
        expect.objectContaining({
          id: urgent.id,
          state: 'approved',
          deadline: deadline(urgent, 3),
          daysOverdue: 1,
          mustAct: 'partner',
        }),
      ],
      total: 2,
      page: 1,
      pageSize: 20,
    });
    expect(res.body.items.map((i: { id: string }) => i.id)).not.toContain(inTime.id);
    // Paginated like the other lists; a past-the-end page still counts.
    const second = await get(reviewer, '?page=2&pageSize=1');
    expect(second.body).toMatchObject({ items: [{ id: urgent.id }], total: 2, page: 2, pageSize: 1 });
    expect((await get(reviewer, '?page=3&pageSize=1')).body).toEqual({
      items: [],
      total: 2,
      page: 3,
      pageSize: 1,
    });
    // A caseworker of a sibling grassroots unit sees none of them.
    expect((await get(grassrootsCaseworker)).body).toMatchObject({ items: [], total: 0 });
  });
});
