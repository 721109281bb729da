import request from 'supertest';
import { createTestApp, TestApp } from '../helpers/test-app';
import { ProbeModule } from './support/probe.module';

describe('HTTP conventions (whole app)', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    t = await createTestApp({ extraModules: [ProbeModule] });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('GET /health reports every dependency up on the default adapters', async () => {
    const res = await http().get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.checks).toMatchObject({
      database: { ok: true },
      queue: { ok: true },
      search: { ok: true },
    });
  });

  it('accepts a valid body through the global ValidationPipe', async () => {
    const body = { title: '电工培训', count: 3, child: { name: '小明' } };
    const res = await http().post('/api/v1/__probe/echo').send(body).expect(201);
    expect(res.body).toEqual(body);
  });

  it('answers malformed JSON with 400 MALFORMED_JSON in Chinese', async () => {
    const res = await http()
      .post('/api/v1/__probe/echo')
      .set('content-type', 'application/json')
      .send('{"title": "x",')
      .expect(400);
    expect(res.body).toEqual({ code: 'MALFORMED_JSON', message: '请求体不是合法的 JSON' });
  });

  it('rejects unknown fields and wrong types with 400 and the field list', async () => {
    const res = await http()
      .post('/api/v1/__probe/echo')
      .send({ title: 5, count: 'many', child: { name: 'x', extra: true }, admin: true })
      .expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.message).toBe('请求参数校验失败');
    const fields = (res.body.details.fields as { field: string }[]).map((f) => f.field).sort();
    expect(fields).toEqual(['admin', 'child.extra', 'count', 'title']);
  });

  it('refuses a NUL character anywhere in the input with 400, not a driver 500', async () => {
    const body = { title: 'a\u0000b', count: 1, child: { name: 'x\u0000' } };
    const res = await http().post('/api/v1/__probe/echo').send(body).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'child.name',
      'title',
    ]);
    const query = await http().get('/api/v1/__probe/list?page=1%00').expect(400);
    expect(query.body.details.fields[0].field).toBe('page');
  });

  it('refuses a body over the configured size limit with 413', async () => {
    const huge = { title: 'x'.repeat(t.config.http.bodyLimit), count: 1, child: { name: 'a' } };
    const res = await http().post('/api/v1/__probe/echo').send(huge).expect(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('maps a DomainError to its status, Chinese message and details', async () => {
    const res = await http().get('/api/v1/__probe/conflict').expect(409);
    expect(res.body).toEqual({
      code: 'CONFLICT',
      message: '操作与当前状态冲突',
      details: { currentState: 'draft' },
    });
  });

  it('turns an unknown error into 500 with a correlation id and no internals', async () => {
    const res = await http().get('/api/v1/__probe/boom').expect(500);
    expect(res.body.code).toBe('INTERNAL_ERROR');
    expect(res.body.correlationId).toBe(res.headers['x-request-id']);
    expect(JSON.stringify(res.body)).not.toMatch(/secret|110101|stack|at /);
  });

  it('keeps a well-formed X-Request-Id from the caller', async () => {
    const res = await http().get('/api/v1/__probe/boom').set('x-request-id', 'req-12345678').expect(500);
    expect(res.body.correlationId).toBe('req-12345678');
  });

  it('gives handlers the request context (id and client IP) across async hops', async () => {
    const res = await http().get('/api/v1/__probe/context').set('x-request-id', 'ctx-12345678').expect(200);
    expect(res.body).toEqual({ requestId: 'ctx-12345678', ip: expect.stringMatching(/127\.0\.0\.1/) });
  });

  it('answers unknown routes with 404 NOT_FOUND', async () => {
    const res = await http().get('/api/v1/nope').expect(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });

  it('paginates with defaults and rejects pageSize over 100', async () => {
    const ok = await http().get('/api/v1/__probe/list').expect(200);
    expect(ok.body).toEqual({ items: [1, 2, 3], total: 3, page: 1, pageSize: 20 });
    const paged = await http().get('/api/v1/__probe/list?page=2&pageSize=50').expect(200);
    expect(paged.body).toMatchObject({ page: 2, pageSize: 50 });
    const bad = await http().get('/api/v1/__probe/list?pageSize=101').expect(400);
    expect(bad.body.details.fields[0].field).toBe('pageSize');
  });

  it('serves the OpenAPI document at /api/docs', async () => {
    const res = await http().get('/api/docs/openapi.json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toContain('/health');
    const ui = await http().get('/api/docs').expect(200);
    expect(ui.text).toContain('swagger');
  });
});

describe('client IP behind a reverse proxy (http.trustProxy)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      extraModules: [ProbeModule],
      overrides: { http: { trustProxy: '127.0.0.1' } },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('takes the client address from X-Forwarded-For only when the proxy is trusted', async () => {
    const res = await request(t.app.getHttpServer())
      .get('/api/v1/__probe/context')
      .set('x-forwarded-for', '203.0.113.9')
      .expect(200);
    expect(res.body.ip).toBe('203.0.113.9');
  });
});

describe('client IP without a trusted proxy (the default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ extraModules: [ProbeModule] });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('ignores X-Forwarded-For, so a client cannot choose the IP its rate limit and audit rows use', async () => {
    const res = await request(t.app.getHttpServer())
      .get('/api/v1/__probe/context')
      .set('x-forwarded-for', '203.0.113.9')
      .expect(200);
    expect(res.body.ip).toMatch(/127\.0\.0\.1/);
  });
});
