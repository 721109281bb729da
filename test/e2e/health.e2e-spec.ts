import 'reflect-metadata';
import request from 'supertest';
import { AppConfig } from '../../src/config';
import { QUEUE_DRIVER, QueueDriver } from '../../src/infra/queue/queue.port';
import { SEARCH_ENGINE, SearchEngine } from '../../src/infra/search/search-engine';
import { HealthService } from '../../src/modules/health/health.service';
import { HolidayCalendar } from '../../src/common/calendar/holiday-calendar';
import { createActor } from '../helpers/actors';
import { rootOrgUnit } from '../helpers/factories/users.factory';
import { createTestApp, TestApp } from '../helpers/test-app';

/** GET /health/live (process only), /health/ready (dependencies, cached) and /health (= ready). */
describe('health checks', () => {
  let t: TestApp;
  let adminToken: string;
  let reviewerToken: string;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    t = await createTestApp();
    const unit = await rootOrgUnit(t.db.dataSource);
    adminToken = (await createActor(t.app, { roles: ['admin'], unit })).token;
    reviewerToken = (await createActor(t.app, { roles: ['reviewer'], unit })).token;
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => jest.restoreAllMocks());

  /** The calendar judged on `date` (China time); the app's own clock stays real for logins. */
  function calendarOn(date: string): void {
    const calendar = t.app.get(HolidayCalendar);
    const coverage = HolidayCalendar.prototype.coverage; // the real one, even when already spied on
    jest.spyOn(calendar, 'coverage').mockImplementation(() => coverage.call(calendar, new Date(date)));
  }
  // Before 1 December the shipped calendar (2025, 2026) covers the year: nothing to warn about.
  beforeEach(() => calendarOn('2026-11-20T10:00:00+08:00'));

  it('GET /health/live answers without asking any dependency', async () => {
    // Background jobs (the outbox relay) query on their own: watch the probes instead.
    const probe = jest.spyOn(t.app.get(HealthService), 'report');
    const search = jest.spyOn(t.app.get<SearchEngine>(SEARCH_ENGINE), 'health');
    const queue = jest.spyOn(t.app.get<QueueDriver>(QUEUE_DRIVER), 'health');
    const res = await http().get('/health/live').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(probe).not.toHaveBeenCalled();
    expect(queue).not.toHaveBeenCalled();
    expect(search).not.toHaveBeenCalled();
    await http().get('/api/v1/health/live').expect(404); // outside the API prefix, like /health
  });

  it.each(['/health/ready', '/health'])('%s shows anonymous callers the states only', async (path) => {
    const res = await http().get(path).expect(200);
    expect(res.body).toEqual({
      status: 'ok',
      checkedAt: expect.any(String),
      checks: { database: { ok: true }, queue: { ok: true }, search: { ok: true }, calendar: { ok: true } },
    });
  });

  it('warns from 1 December while next year’s holiday notice is missing, and is degraded without this year’s', async () => {
    {
      calendarOn('2026-12-01T00:10:00+08:00');
      const anonymous = await http().get('/health/ready').expect(200);
      expect(anonymous.body.status).toBe('ok'); // a warning: still serving, working days still right
      expect(anonymous.body.checks.calendar).toEqual({ ok: false });
      const admin = await http()
        .get('/health/ready')
        .set('authorization', `Bearer ${adminToken}`)
        .expect(200);
      expect(admin.body.checks.calendar).toEqual({
        ok: false,
        coverage: 'warn',
        detail: expect.stringContaining('2027'),
      });
      calendarOn('2027-01-02T10:00:00+08:00');
      const lapsed = await http().get('/health').expect(200);
      expect(lapsed.body).toMatchObject({ status: 'degraded', checks: { calendar: { ok: false } } });
    }
  });

  it('shows staff without the admin role the states only', async () => {
    const res = await http().get('/health/ready').set('authorization', `Bearer ${reviewerToken}`).expect(200);
    expect(res.body.checks).toEqual({
      database: { ok: true },
      queue: { ok: true },
      search: { ok: true },
      calendar: { ok: true },
    });
  });

  it('shows the admin role what each dependency is and the search fallback', async () => {
    const res = await http().get('/health/ready').set('authorization', `Bearer ${adminToken}`).expect(200);
    expect(res.body.checks).toMatchObject({
      database: { ok: true, kind: expect.any(String) },
      queue: { ok: true, driver: t.config.redis.url ? 'bullmq' : 'in-process' },
      search: { ok: true, fallbackActive: false, engine: expect.any(String) },
    });
  });

  it('a dependency down: 503 for everyone, the error message for the admin role only', async () => {
    jest.spyOn(t.app.get<QueueDriver>(QUEUE_DRIVER), 'health').mockResolvedValue({
      driver: 'bullmq',
      ok: false,
      detail: 'connect ECONNREFUSED redis-internal.example:6379',
    });
    const anonymous = await http().get('/health/ready').expect(503);
    expect(anonymous.body).toMatchObject({ status: 'down', checks: { queue: { ok: false } } });
    expect(JSON.stringify(anonymous.body)).not.toContain('ECONNREFUSED');
    const compose = await http().get('/health').expect(503);
    expect(JSON.stringify(compose.body)).not.toContain('redis-internal');
    const admin = await http().get('/health/ready').set('authorization', `Bearer ${adminToken}`).expect(503);
    expect(admin.body.checks.queue).toMatchObject({
      ok: false,
      detail: 'connect ECONNREFUSED redis-internal.example:6379',
    });
  });

  it('reuses a ready report for health.readyCacheMs, probing once for concurrent callers', async () => {
    const config = t.app.get(AppConfig);
    const health = jest.spyOn(t.app.get<QueueDriver>(QUEUE_DRIVER), 'health');
    config.health.readyCacheMs = 60_000;
    try {
      const first = await Promise.all([1, 2, 3].map(() => http().get('/health/ready').expect(200)));
      expect(health).toHaveBeenCalledTimes(1);
      health.mockResolvedValue({ driver: 'bullmq', ok: false, detail: 'down now' });
      const later = await http().get('/health').expect(200); // still the remembered report
      expect(later.body.checkedAt).toBe(first[0].body.checkedAt);
      expect(health).toHaveBeenCalledTimes(1);
    } finally {
      config.health.readyCacheMs = 0;
    }
    await http().get('/health/ready').expect(503); // not cached: probed again
  });
});
