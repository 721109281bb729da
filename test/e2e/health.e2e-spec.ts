import 'reflect-metadata';
import request from 'supertest';
import { AppConfig } from '../../src/config';
import { QUEUE_DRIVER, QueueDriver } from '../../src/infra/queue/queue.port';
import { SEARCH_ENGINE, SearchEngine } from '../../src/infra/search/search-engine';
import { HealthService } from '../../src/modules/health/health.service';
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
      checks: { database: { ok: true }, queue: { ok: true }, search: { ok: true } },
    });
  });

  it('shows staff without the admin role the states only', async () => {
    const res = await http().get('/health/ready').set('authorization', `Bearer ${reviewerToken}`).expect(200);
    expect(res.body.checks).toEqual({ database: { ok: true }, queue: { ok: true }, search: { ok: true } });
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
