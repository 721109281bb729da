import request, { Response } from 'supertest';
import { createTestApp, TestApp } from '../../helpers/test-app';

const ALLOWED_ORIGIN = 'https://portal.example.cn';
const REFUSED_ORIGIN = 'https://evil.example.com';

function expectSecurityHeaders(res: Response): void {
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000; includeSubDomains/);
  expect(res.headers['referrer-policy']).toBe('no-referrer');
  expect(res.headers['x-powered-by']).toBeUndefined();
}

describe('HTTP hardening (whole app)', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    t = await createTestApp({ overrides: { http: { cors: { origins: [ALLOWED_ORIGIN] } } } });
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('security headers', () => {
    it.each([
      ['an /api/v1 error answer', '/api/v1/no-such-route', 404],
      ['the Swagger UI page', '/api/docs', 200],
    ])('are on %s', async (_case, path, status) => {
      const res = await http().get(path).expect(status);
      expectSecurityHeaders(res);
    });

    it('lock an API response down to nothing loadable', async () => {
      const res = await http().get('/api/v1/no-such-route').expect(404);
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    });
  });

  describe('caching', () => {
    it('forbids storing an /api/v1 response', async () => {
      const res = await http().get('/api/v1/no-such-route').expect(404);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['pragma']).toBe('no-cache');
    });

    it('forbids storing the OpenAPI document and the docs page too (blanket rule)', async () => {
      for (const path of ['/api/docs', '/api/docs/openapi.json']) {
        const res = await http().get(path).expect(200);
        expect(res.headers['cache-control']).toBe('no-store');
      }
    });
  });

  describe('CORS', () => {
    it('echoes a configured origin on a simple request', async () => {
      const res = await http().get('/api/v1/no-such-route').set('Origin', ALLOWED_ORIGIN).expect(404);
      expect(res.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
      expect(res.headers['access-control-expose-headers']).toContain('X-Request-Id');
      expect(res.headers['vary']).toMatch(/Origin/i);
    });

    it('answers a preflight from a configured origin with the allowed methods and headers', async () => {
      const res = await http()
        .options('/api/v1/org-units')
        .set('Origin', ALLOWED_ORIGIN)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization,content-type')
        .expect(204);
      expect(res.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
      expect(res.headers['access-control-allow-methods']).toContain('POST');
      expect(res.headers['access-control-allow-headers']).toMatch(/Authorization/i);
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('gives any other origin no CORS permission, on a request or a preflight', async () => {
      const simple = await http().get('/api/v1/no-such-route').set('Origin', REFUSED_ORIGIN).expect(404);
      expect(simple.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await http()
        .options('/api/v1/org-units')
        .set('Origin', REFUSED_ORIGIN)
        .set('Access-Control-Request-Method', 'POST');
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
    });
  });

  describe('Swagger UI', () => {
    it('still loads: the page, its scripts and the OpenAPI document', async () => {
      const page = await http().get('/api/docs').expect(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.text).toContain('swagger-ui-bundle.js');
      const script = await http().get('/api/docs/swagger-ui-bundle.js').expect(200);
      expect(script.headers['content-type']).toMatch(/javascript/);
      // Static assets hold no data: the one exception to no-store, so browsers can cache them.
      expect(script.headers['cache-control']).not.toBe('no-store');
      const init = await http().get('/api/docs/swagger-ui-init.js').expect(200);
      expect(init.text).toContain('Bangfu');
      const doc = await http().get('/api/docs/openapi.json').expect(200);
      expect(doc.body.openapi).toMatch(/^3\./);
    });

    it('gets a policy that lets its own scripts, inline styles and data: icons run, and nothing foreign', async () => {
      const page = await http().get('/api/docs').expect(200);
      const csp = parseCsp(String(page.headers['content-security-policy']));
      expect(csp['script-src']).toEqual(["'self'"]);
      expect(csp['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
      expect(csp['img-src']).toEqual(["'self'", 'data:']);
      expect(csp['connect-src']).toEqual(["'self'"]);
      expect(csp['frame-ancestors']).toEqual(["'none'"]);
      expectSecurityHeaders(page);
    });
  });
});

function parseCsp(header: string): Record<string, string[]> {
  return Object.fromEntries(
    header
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name, values]),
  );
}
