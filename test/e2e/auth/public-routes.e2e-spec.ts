import { FakeClock } from '../../../src/common/clock/clock';
import { createUser } from '../../helpers/factories/users.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { http, loginOk } from './auth-test-kit';

const NOTICES = '/api/v1/public-notices';

/**
 * `@Public()` routes need no token, but a token that is sent is verified (the decorator's comment says
 * so): a bad one is a 401, so a client with a broken session learns it instead of being served as an
 * anonymous caller.
 */
describe('@Public() routes and a token that is sent', () => {
  let t: TestApp;
  const clock = new FakeClock('2026-03-02T09:00:00+08:00');

  beforeAll(async () => {
    t = await createTestApp({ clock });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function freshLogin() {
    const { user, password } = await createUser(t.db.dataSource, { passwordChangedAt: clock.now() });
    return loginOk(t.app, user.username, password);
  }

  it('no Authorization header: served anonymously', async () => {
    await http(t.app).get(NOTICES).expect(200);
  });

  it('a valid token: served', async () => {
    const { accessToken } = await freshLogin();
    await http(t.app).get(NOTICES).set('authorization', `Bearer ${accessToken}`).expect(200);
  });

  it.each([
    ['garbage', 'Bearer not-a-token'],
    ['a tampered signature', 'TAMPERED'],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['an empty bearer', 'Bearer '],
  ])('%s: 401 AUTH_TOKEN_INVALID on public notices and on login', async (_case, header) => {
    let value = header;
    if (header === 'TAMPERED') {
      const { accessToken } = await freshLogin();
      value = `Bearer ${accessToken.slice(0, -3)}${accessToken.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    }
    const res = await http(t.app).get(NOTICES).set('authorization', value).expect(401);
    expect(res.body.code).toBe('AUTH_TOKEN_INVALID');
    const login = await http(t.app)
      .post('/api/v1/auth/login')
      .set('authorization', value)
      .send({ username: 'nobody', password: 'irrelevant-1' })
      .expect(401);
    expect(login.body.code).toBe('AUTH_TOKEN_INVALID');
  });

  it('a revoked token (after logout): 401 on a public route', async () => {
    const { accessToken } = await freshLogin();
    await http(t.app).post('/api/v1/auth/logout').set('authorization', `Bearer ${accessToken}`).expect(204);
    const res = await http(t.app).get(NOTICES).set('authorization', `Bearer ${accessToken}`).expect(401);
    expect(res.body.code).toMatch(/^AUTH_(TOKEN_REVOKED|SESSION_EXPIRED)$/);
  });

  it('an expired token: 401 on public notices, but ignored by token refresh (the reason to refresh)', async () => {
    const pair = await freshLogin();
    clock.advance(16 * 60_000);
    try {
      const res = await http(t.app)
        .get(NOTICES)
        .set('authorization', `Bearer ${pair.accessToken}`)
        .expect(401);
      expect(res.body.code).toBe('AUTH_TOKEN_EXPIRED');
      const refreshed = await http(t.app)
        .post('/api/v1/auth/refresh')
        .set('authorization', `Bearer ${pair.accessToken}`)
        .send({ refreshToken: pair.refreshToken })
        .expect(200);
      expect(typeof refreshed.body.accessToken).toBe('string');
      // …while a tampered token on refresh is still refused.
      await http(t.app)
        .post('/api/v1/auth/refresh')
        .set('authorization', 'Bearer not-a-token')
        .send({ refreshToken: refreshed.body.refreshToken })
        .expect(401);
    } finally {
      clock.advance(-16 * 60_000);
    }
  });
});
