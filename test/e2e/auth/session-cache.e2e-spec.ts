import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { SessionsRepository } from '../../../src/modules/auth/sessions/sessions.repository';
import { createUser } from '../../helpers/factories/users.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { http, loginOk, me } from './auth-test-kit';

/** The longest a process may reuse a session check (the configuration refuses more). */
const CACHE_MS = 1000;

/**
 * With the per-process session-check cache on (config/test.yml turns it off for every other test):
 * revocations made elsewhere are refused within `verifyCacheMs` (≤ 1 s), and the changes this process
 * makes to the caller's own sessions on the very next request.
 */
describe('session check cache (auth.session.verifyCacheMs)', () => {
  let t: TestApp;
  let sessionReads: jest.SpyInstance;

  beforeAll(async () => {
    t = await createTestApp({ overrides: { auth: { session: { verifyCacheMs: CACHE_MS } } } });
    sessionReads = jest.spyOn(t.app.get(SessionsRepository), 'findSessionWithUser');
  });
  afterAll(async () => {
    await t?.close();
  });

  async function loggedIn() {
    const created = await createUser(t.db.dataSource, {});
    const tokens = await loginOk(t.app, created.user.username, created.password);
    return { ...created, tokens };
  }

  it('is on: back-to-back requests of one session read the session once', async () => {
    const { tokens } = await loggedIn();
    sessionReads.mockClear();
    for (let i = 0; i < 5; i++) expect((await me(t.app, tokens.accessToken)).status).toBe(200);
    expect(sessionReads.mock.calls.length).toBeLessThanOrEqual(2);
  });

  it('answers GET /me from the session check that let the request in: no query of its own', async () => {
    const { tokens } = await loggedIn();
    expect((await me(t.app, tokens.accessToken)).status).toBe(200); // remembered now
    // Every query TypeORM runs takes a query runner from the app's DataSource; jobs such as the audit
    // sealer run beside the requests, so only the statements that read accounts are counted.
    const dataSource = t.app.get(DataSource);
    const takeRunner = dataSource.createQueryRunner.bind(dataSource);
    const statements: string[] = [];
    const queries = jest.spyOn(dataSource, 'createQueryRunner').mockImplementation((mode) => {
      const runner = takeRunner(mode);
      const run = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
      runner.query = ((sql: string, ...rest: unknown[]) => {
        statements.push(sql);
        return run(sql, ...rest);
      }) as typeof runner.query;
      return runner;
    });
    const accountReads = () => statements.filter((sql) => /\busers\b/.test(sql)).length;
    sessionReads.mockClear();
    try {
      for (let i = 0; i < 5; i++) expect((await me(t.app, tokens.accessToken)).status).toBe(200);
      // The check is remembered for a second: five requests read the account at most once (when the
      // second runs out between them), not once per GET /me.
      expect(accountReads()).toBeLessThanOrEqual(1);
      expect(accountReads()).toBe(sessionReads.mock.calls.length);
    } finally {
      queries.mockRestore();
    }
  });

  it('GET /me shows an account change made elsewhere at most verifyCacheMs after it committed', async () => {
    const { user, tokens } = await loggedIn();
    expect((await me(t.app, tokens.accessToken)).body.displayName).toBe(user.displayName);
    await t.db.dataSource.query(`UPDATE users SET display_name = '改名后' WHERE id = $1`, [user.id]);
    await sleep(CACHE_MS);
    expect((await me(t.app, tokens.accessToken)).body.displayName).toBe('改名后');
  });

  it.each([
    ['a disabled account', `UPDATE users SET disabled_at = now(), disabled_reason = '调离' WHERE id = $1`],
    [
      'a role change',
      `UPDATE users SET roles = '{reviewer}', token_version = token_version + 1 WHERE id = $1`,
    ],
    [
      'a logout everywhere in another process',
      `UPDATE users SET token_version = token_version + 1 WHERE id = $1`,
    ],
  ])('%s is refused at most verifyCacheMs after it committed', async (_name, sql) => {
    const { user, tokens } = await loggedIn();
    expect((await me(t.app, tokens.accessToken)).status).toBe(200); // remembered now
    await t.db.dataSource.query(sql, [user.id]);
    await sleep(CACHE_MS);
    const res = await me(t.app, tokens.accessToken);
    expect([res.status, res.body.code]).toEqual([401, 'AUTH_TOKEN_REVOKED']);
  });

  it('a logout is refused on the very next request', async () => {
    const { tokens } = await loggedIn();
    expect((await me(t.app, tokens.accessToken)).status).toBe(200);
    await http(t.app)
      .post('/api/v1/auth/logout')
      .set('authorization', `Bearer ${tokens.accessToken}`)
      .expect(204);
    const res = await me(t.app, tokens.accessToken);
    expect([res.status, res.body.code]).toEqual([401, 'AUTH_SESSION_EXPIRED']);
  });

  it('a logout everywhere in this process ends the other sessions on their very next request', async () => {
    const { user, password, tokens } = await loggedIn();
    const phone = await loginOk(t.app, user.username, password);
    expect((await me(t.app, phone.accessToken)).status).toBe(200);
    await http(t.app)
      .post('/api/v1/auth/logout')
      .set('authorization', `Bearer ${tokens.accessToken}`)
      .send({ everywhere: true })
      .expect(204);
    expect((await me(t.app, phone.accessToken)).body.code).toBe('AUTH_TOKEN_REVOKED');
  });

  it('a reused refresh token ends the session on the very next request', async () => {
    const { tokens } = await loggedIn();
    expect((await me(t.app, tokens.accessToken)).status).toBe(200);
    const rotated = await http(t.app)
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: tokens.refreshToken });
    expect(rotated.status).toBe(200);
    expect((await me(t.app, rotated.body.accessToken)).status).toBe(200);
    const reused = await http(t.app).post('/api/v1/auth/refresh').send({ refreshToken: tokens.refreshToken });
    expect(reused.status).toBe(401);
    const res = await me(t.app, rotated.body.accessToken);
    expect([res.status, res.body.code]).toEqual([401, 'AUTH_SESSION_EXPIRED']);
  });

  it('a password change ends the old sessions on the very next request', async () => {
    const { password, tokens } = await loggedIn();
    expect((await me(t.app, tokens.accessToken)).status).toBe(200);
    const changed = await http(t.app)
      .post('/api/v1/auth/password')
      .set('authorization', `Bearer ${tokens.accessToken}`)
      .send({ currentPassword: password, newPassword: 'Hezuo-Bangfu-2026-xyz' });
    expect(changed.status).toBe(200);
    const res = await me(t.app, tokens.accessToken);
    expect(res.status).toBe(401);
    expect((await me(t.app, changed.body.accessToken)).status).toBe(200);
  });
});
