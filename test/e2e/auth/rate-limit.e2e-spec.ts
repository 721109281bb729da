import { createUser } from '../../helpers/factories/users.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { http } from './auth-test-kit';

/** Client addresses, told to the app through X-Forwarded-For from the trusted loopback proxy. */
const OFFICE_NAT = '198.51.100.10';
const ATTACKER = '203.0.113.66';
const HOME = '192.0.2.44';

describe('rate limits on login and token endpoints (429 RATE_LIMITED with Retry-After)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      overrides: {
        http: { trustProxy: '127.0.0.1,::1,::ffff:127.0.0.1' },
        auth: {
          rateLimit: {
            login: {
              perIp: { limit: 8, windowSeconds: 60 },
              perAccount: { limit: 4, windowSeconds: 300 },
              perAccountIp: { limit: 2, windowSeconds: 300 },
            },
            refresh: {
              perIp: { limit: 4, windowSeconds: 60 },
              perAccount: { limit: 100, windowSeconds: 60 },
              perAccountIp: { limit: 100, windowSeconds: 60 },
            },
          },
        },
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  const loginFrom = (ip: string, username: string, password: string) =>
    http(t.app).post('/api/v1/auth/login').set('x-forwarded-for', ip).send({ username, password });

  it('per account+address tightly, then per account from anywhere', async () => {
    const { user, password } = await createUser(t.db.dataSource);
    for (let i = 0; i < 2; i++)
      expect((await loginFrom(ATTACKER, user.username, 'Wrong-password-1')).status).toBe(401);
    const limited = await loginFrom(ATTACKER, user.username, password);
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(300);
    // Differently typed, same account, same address.
    expect((await loginFrom(ATTACKER, ` ${user.username.toUpperCase()}`, password)).status).toBe(429);

    // From another address the owner still gets in while the account's own budget (4) lasts…
    const { user: owner, password: ownerPassword } = await createUser(t.db.dataSource);
    for (let i = 0; i < 2; i++) await loginFrom(ATTACKER, owner.username, 'Wrong-password-1');
    expect((await loginFrom(ATTACKER, owner.username, ownerPassword)).status).toBe(429);
    expect((await loginFrom(HOME, owner.username, ownerPassword)).status).toBe(200);
    // …and then the account is limited wherever the attempts come from.
    expect((await loginFrom(HOME, owner.username, ownerPassword)).status).toBe(429);
  });

  it('a union office behind one NAT address: many accounts log in, only the loose per-address limit applies', async () => {
    const staff = await Promise.all(Array.from({ length: 9 }, () => createUser(t.db.dataSource)));
    const statuses: number[] = [];
    for (const { user, password } of staff)
      statuses.push((await loginFrom(OFFICE_NAT, user.username, password)).status);
    // perIp is 8 a minute: eight colleagues get in, the ninth waits; no account was limited.
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 429]);
  });

  it('limits refresh calls per client address', async () => {
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
