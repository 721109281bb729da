import { createUser } from '../../helpers/factories/users.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { http, login } from './auth-test-kit';

describe('rate limits on login and token endpoints (429 RATE_LIMITED with Retry-After)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      overrides: {
        auth: {
          rateLimit: {
            login: { perIp: { limit: 6, windowSeconds: 60 }, perUsername: { limit: 3, windowSeconds: 300 } },
            refresh: {
              perIp: { limit: 4, windowSeconds: 60 },
              perUsername: { limit: 100, windowSeconds: 60 },
            },
          },
        },
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('limits attempts per user name, then per client address', async () => {
    const { user, password } = await createUser(t.db.dataSource);
    for (let i = 0; i < 3; i++)
      expect((await login(t.app, user.username, 'Wrong-password-1')).status).toBe(401);
    const limited = await login(t.app, user.username, password);
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(300);
    // Differently typed, same account.
    expect((await login(t.app, ` ${user.username.toUpperCase()}`, password)).status).toBe(429);

    // Another account from the same address: allowed until the per-address limit (6) is used up.
    const other = await createUser(t.db.dataSource);
    expect((await login(t.app, other.user.username, other.password)).status).toBe(200);
    const overIp = await login(t.app, other.user.username, other.password);
    expect(overIp.status).toBe(429);
    expect(Number(overIp.headers['retry-after'])).toBeLessThanOrEqual(60);
  });

  it('limits refresh calls per client address', async () => {
    // Login limits are spent by the test above in this window; the refresh limit is its own.
    const res = await http(t.app)
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: 'unknown-token-0000000000' });
    expect(res.status).toBe(401);
    for (let i = 0; i < 3; i++)
      await http(t.app).post('/api/v1/auth/refresh').send({ refreshToken: 'unknown-0000000000' });
    const limited = await http(t.app)
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: 'unknown-0000000000' });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
  });
});
