import request from 'supertest';
import { createArchive } from '../../helpers/factories/archives.factory';
import { createOrgUnit, createUser } from '../../helpers/factories/users.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { loginOk } from '../auth/auth-test-kit';

const API = '/api/v1';

/** `{"a":{"a":…}}` nested `depth` levels (`{}` is 1), as raw JSON text: supertest would recurse to build it. */
function nestedJson(depth: number, leaf = '"x"'): string {
  return '{"a":'.repeat(depth - 1) + `{"a":${leaf}}` + '}'.repeat(depth - 1);
}

/**
 * Input the outside probe and the OpenAPI fuzzer sent: deeply nested bodies, numbers class-validator
 * could not handle, pages that overflow the SQL offset. Each must be a 400 with a code, never a 500.
 */
describe('input limits (whole app)', () => {
  let t: TestApp;
  let caseworkerToken: string;
  let archiveId: string;
  const http = () => request(t.app.getHttpServer());
  const auth = () => ({ authorization: `Bearer ${caseworkerToken}` });

  beforeAll(async () => {
    t = await createTestApp();
    const unit = await createOrgUnit(t.db.dataSource, { regionCode: '330106' });
    const caseworker = await createUser(t.db.dataSource, { roles: ['caseworker'], orgUnit: unit });
    caseworkerToken = (await loginOk(t.app, caseworker.user.username, caseworker.password)).accessToken;
    archiveId = (await createArchive(t.db.dataSource, { orgUnitId: unit.id, status: 'draft' })).archive.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('body depth (item 1)', () => {
    it.each([
      ['login (anonymous)', `${API}/auth/login`, false],
      ['an objection (anonymous)', `${API}/archives/00000000-0000-4000-8000-000000000000/objections`, false],
      ['an archive update (authenticated)', `${API}/archives/ARCHIVE`, true],
    ])('a body nested 2,000 levels deep on %s is 400 BODY_TOO_DEEP', async (_case, url, authed) => {
      const path = url.replace('ARCHIVE', archiveId);
      const req = authed ? http().patch(path).set(auth()) : http().post(path);
      const res = await req.set('content-type', 'application/json').send(nestedJson(2000));
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        code: 'BODY_TOO_DEEP',
        message: '请求体嵌套层级过深',
        details: { maxDepth: 32 },
      });
    });

    it('100,000 levels of arrays are refused the same way (no stack overflow anywhere)', async () => {
      const body = '['.repeat(100_000) + ']'.repeat(100_000);
      const res = await http().post(`${API}/auth/login`).set('content-type', 'application/json').send(body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('BODY_TOO_DEEP');
    });

    it('a body exactly at the configured depth goes on to validation', async () => {
      const res = await http()
        .post(`${API}/auth/login`)
        .set('content-type', 'application/json')
        .send(nestedJson(32));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      const deeper = await http()
        .post(`${API}/auth/login`)
        .set('content-type', 'application/json')
        .send(nestedJson(33));
      expect(deeper.body.code).toBe('BODY_TOO_DEEP');
    });
  });

  describe('decimal fields (item 2)', () => {
    it.each([1e-7, 1e-20, 5e-324, 0.001, 12.345])(
      'housingAreaSqm %p is 400 naming the field',
      async (value) => {
        const res = await http()
          .patch(`${API}/archives/${archiveId}`)
          .set(auth())
          .set('content-type', 'application/json')
          // Raw text: JSON.stringify would write 1e-7 the same way, but keep the literal the probe sent.
          .send(`{"version":1,"housingAreaSqm":${String(value)}}`);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(res.body.details.fields).toEqual([
          { field: 'housingAreaSqm', problems: ['住房面积须为最多两位小数的数字'] },
        ]);
      },
    );

    it('two decimals still pass validation', async () => {
      const res = await http()
        .patch(`${API}/archives/${archiveId}`)
        .set(auth())
        .send({ version: 999, housingAreaSqm: 45.55 });
      // Past validation: the stale version is the only complaint.
      expect(res.status).toBe(409);
    });
  });

  describe('integer query parameters (item 9)', () => {
    const huge = ['1e22', '8e307', '1.7976931348623157e308', '9007199254740993', '100001'];

    it.each(huge)('GET /public-notices?page=%s (no login) is 400, not a 500', async (page) => {
      const res = await http().get(`${API}/public-notices`).query({ page });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['page']);
    });

    it.each(huge)('GET /archives/:id/history?page=%s is 400, not a 500', async (page) => {
      const res = await http().get(`${API}/archives/${archiveId}/history`).set(auth()).query({ page });
      expect(res.status).toBe(400);
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['page']);
    });

    it.each(['1e3', '0x10', '1.5', '-1', '0', ' 2', 'Infinity'])('page=%p is 400', async (page) => {
      const res = await http().get(`${API}/public-notices`).query({ page });
      expect(res.status).toBe(400);
    });

    it('the largest page allowed answers an empty page', async () => {
      const res = await http().get(`${API}/public-notices`).query({ page: 100000, pageSize: 100 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ items: [], page: 100000, pageSize: 100 });
      const history = await http()
        .get(`${API}/archives/${archiveId}/history`)
        .set(auth())
        .query({ page: 100000, pageSize: 100 });
      expect(history.status).toBe(200);
    });
  });
});
