import { createHmac } from 'node:crypto';
import { FakeClock } from '../../../src/common/clock/clock';
import { hashRefreshToken } from '../../../src/modules/auth/tokens/tokens.service';
import { createUser } from '../../helpers/factories/users.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { auditRows, http, loginOk, me } from './auth-test-kit';

const MINUTE = 60_000;

function refresh(t: TestApp, refreshToken: string) {
  return http(t.app).post('/api/v1/auth/refresh').send({ refreshToken });
}

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('access tokens, refresh rotation and revocation', () => {
  let t: TestApp;
  const clock = new FakeClock('2026-03-02T09:00:00+08:00');

  beforeAll(async () => {
    t = await createTestApp({ clock });
  });
  afterAll(async () => {
    await t?.close();
  });

  /**
   * Resolves once `count` backends of this database wait on a row lock (bounded: 10 s). Asked as the
   * owner: the app role sees no other session's wait events in pg_stat_activity.
   */
  async function waitForLockWaiters(count: number): Promise<void> {
    for (let attempt = 0; attempt < 1000; attempt += 1) {
      const [{ n }] = await t.db.owner.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      if (n >= count) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`fewer than ${count} requests ever waited on the token's row`);
  }

  async function loggedIn(overrides: Parameters<typeof createUser>[1] = {}) {
    const created = await createUser(t.db.dataSource, overrides);
    const tokens = await loginOk(t.app, created.user.username, created.password);
    return { ...created, tokens };
  }

  describe('bad tokens', () => {
    it.each([
      ['garbage', 'not-a-token'],
      ['two segments', 'abc.def'],
      [
        'alg none',
        `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'x', sid: 'y', tv: 0, iat: 1, exp: 9e9 })}.`,
      ],
    ])('%s → 401 AUTH_TOKEN_INVALID', async (_name, token) => {
      const res = await me(t.app, token);
      expect([res.status, res.body.code]).toEqual([401, 'AUTH_TOKEN_INVALID']);
    });

    it('a tampered payload (other user id) → 401 AUTH_TOKEN_INVALID', async () => {
      const { tokens } = await loggedIn();
      const other = await createUser(t.db.dataSource, { roles: ['admin'] });
      const [header, body, signature] = tokens.accessToken.split('.');
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
      const forged = `${header}.${b64({ ...claims, sub: other.user.id })}.${signature}`;
      const res = await me(t.app, forged);
      expect([res.status, res.body.code]).toEqual([401, 'AUTH_TOKEN_INVALID']);
    });

    it('a token signed with another key → 401 AUTH_TOKEN_INVALID', async () => {
      const { tokens } = await loggedIn();
      const [header, body] = tokens.accessToken.split('.');
      const signature = createHmac('sha256', 'some-other-secret-0123456789abcdef').update(
        `${header}.${body}`,
      );
      const res = await me(t.app, `${header}.${body}.${signature.digest('base64url')}`);
      expect([res.status, res.body.code]).toEqual([401, 'AUTH_TOKEN_INVALID']);
    });

    it('no token on a protected route → 401 AUTH_REQUIRED', async () => {
      const res = await http(t.app).get('/api/v1/me');
      expect([res.status, res.body.code]).toEqual([401, 'AUTH_REQUIRED']);
    });
  });

  it('an access token expires after 15 minutes with AUTH_TOKEN_EXPIRED; refresh gives a working one', async () => {
    const { tokens } = await loggedIn();
    clock.advance(14 * MINUTE);
    expect((await me(t.app, tokens.accessToken)).status).toBe(200);
    clock.advance(MINUTE);
    const expired = await me(t.app, tokens.accessToken);
    expect([expired.status, expired.body.code]).toEqual([401, 'AUTH_TOKEN_EXPIRED']);

    const renewed = await refresh(t, tokens.refreshToken);
    expect(renewed.status).toBe(200);
    expect((await me(t.app, renewed.body.accessToken)).status).toBe(200);
  });

  it('rotates refresh tokens; reusing a rotated one revokes the whole session and is audited', async () => {
    const { user, tokens } = await loggedIn();
    const first = await refresh(t, tokens.refreshToken);
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(tokens.refreshToken);
    const second = await refresh(t, first.body.refreshToken);
    expect(second.status).toBe(200);

    // The first token comes back (stolen copy): the family dies, including the newest tokens.
    const reuse = await refresh(t, tokens.refreshToken);
    expect([reuse.status, reuse.body.code]).toEqual([401, 'AUTH_REFRESH_INVALID']);
    expect((await refresh(t, second.body.refreshToken)).body.code).toBe('AUTH_SESSION_EXPIRED');
    const dead = await me(t.app, second.body.accessToken);
    expect([dead.status, dead.body.code]).toEqual([401, 'AUTH_SESSION_EXPIRED']);

    const rows = (await auditRows(t.db.dataSource, 'auth.token-reuse')).filter((r) => r.actor_id === user.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'denied', target_type: 'session' });
    const [session] = await t.db.dataSource.query(
      `SELECT revoke_reason FROM auth_sessions WHERE user_id = $1`,
      [user.id],
    );
    expect(session.revoke_reason).toBe('token_reuse');
  });

  it('two refreshes racing with one token: one wins, the loser counts as reuse and the session ends', async () => {
    const { user, tokens } = await loggedIn();
    // Hold the token's row so both requests read it as unused and then queue on their UPDATE: the
    // interleaving where the loser finds the token taken at its UPDATE (not at its read) is forced,
    // whatever the scheduler would have done.
    const holder = t.db.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    let responses: Awaited<ReturnType<typeof refresh>>[];
    try {
      await holder.query(`SELECT id FROM auth_refresh_tokens WHERE token_hash = $1 FOR UPDATE`, [
        hashRefreshToken(tokens.refreshToken),
      ]);
      const racing = [refresh(t, tokens.refreshToken), refresh(t, tokens.refreshToken)].map((r) =>
        r.then((res) => res),
      );
      await waitForLockWaiters(2);
      await holder.commitTransaction();
      responses = await Promise.all(racing);
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
    const [winner, loser] = [...responses].sort((a, b) => a.status - b.status);
    expect([winner.status, loser.status, loser.body.code]).toEqual([200, 401, 'AUTH_REFRESH_INVALID']);

    const [session] = await t.db.dataSource.query(
      `SELECT revoked_at, revoke_reason FROM auth_sessions WHERE user_id = $1`,
      [user.id],
    );
    expect(session.revoke_reason).toBe('token_reuse');
    expect(session.revoked_at).not.toBeNull();
    const next = await refresh(t, winner.body.refreshToken);
    expect([next.status, next.body.code]).toEqual([401, 'AUTH_SESSION_EXPIRED']);
    const dead = await me(t.app, winner.body.accessToken);
    expect([dead.status, dead.body.code]).toEqual([401, 'AUTH_SESSION_EXPIRED']);
    const reuse = (await auditRows(t.db.dataSource, 'auth.token-reuse')).filter(
      (r) => r.actor_id === user.id,
    );
    expect(reuse).toHaveLength(1);
  });

  it('stores refresh tokens only as SHA-256 hashes', async () => {
    const { tokens } = await loggedIn();
    const [{ n }] = await t.db.dataSource.query(
      `SELECT count(*)::int AS n FROM auth_refresh_tokens WHERE token_hash = $1`,
      [tokens.refreshToken],
    );
    expect(n).toBe(0);
  });

  it('an unknown refresh token → 401 AUTH_REFRESH_INVALID', async () => {
    const res = await refresh(t, 'x'.repeat(43));
    expect([res.status, res.body.code]).toEqual([401, 'AUTH_REFRESH_INVALID']);
  });

  it('logout kills the access and refresh token at once, and is audited', async () => {
    const { user, tokens } = await loggedIn();
    const out = await http(t.app)
      .post('/api/v1/auth/logout')
      .set('authorization', `Bearer ${tokens.accessToken}`);
    expect(out.status).toBe(204);
    const after = await me(t.app, tokens.accessToken);
    expect([after.status, after.body.code]).toEqual([401, 'AUTH_SESSION_EXPIRED']);
    expect((await refresh(t, tokens.refreshToken)).status).toBe(401);
    const rows = (await auditRows(t.db.dataSource, 'auth.logout')).filter((r) => r.actor_id === user.id);
    expect(rows).toHaveLength(1);
    expect(rows[0].details).toMatchObject({ everywhere: false, sessionsEnded: 1 });
  });

  it('logout everywhere ends every session of the account, not other accounts', async () => {
    const { user, password, tokens } = await loggedIn();
    const phone = await loginOk(t.app, user.username, password);
    const bystander = await loggedIn();
    const out = await http(t.app)
      .post('/api/v1/auth/logout')
      .set('authorization', `Bearer ${tokens.accessToken}`)
      .send({ everywhere: true });
    expect(out.status).toBe(204);
    expect((await me(t.app, phone.accessToken)).body.code).toBe('AUTH_TOKEN_REVOKED');
    expect((await refresh(t, phone.refreshToken)).status).toBe(401);
    expect((await me(t.app, bystander.tokens.accessToken)).status).toBe(200);
  });

  it('disabling the account revokes its tokens immediately', async () => {
    const { user, tokens } = await loggedIn();
    await t.db.dataSource.query(
      `UPDATE users SET disabled_at = now(), disabled_reason = '调离' WHERE id = $1`,
      [user.id],
    );
    const res = await me(t.app, tokens.accessToken);
    expect([res.status, res.body.code]).toEqual([401, 'AUTH_TOKEN_REVOKED']);
    expect((await refresh(t, tokens.refreshToken)).body.code).toBe('AUTH_TOKEN_REVOKED');
  });

  it('a role change (token version bump) revokes its tokens immediately', async () => {
    const { user, tokens } = await loggedIn();
    await t.db.dataSource.query(
      `UPDATE users SET roles = '{reviewer}', token_version = token_version + 1 WHERE id = $1`,
      [user.id],
    );
    expect((await me(t.app, tokens.accessToken)).body.code).toBe('AUTH_TOKEN_REVOKED');
    expect((await refresh(t, tokens.refreshToken)).body.code).toBe('AUTH_TOKEN_REVOKED');
  });

  it('ends an idle session after 30 minutes without activity', async () => {
    const { tokens } = await loggedIn();
    clock.advance(10 * MINUTE);
    expect((await me(t.app, tokens.accessToken)).status).toBe(200);
    clock.advance(10 * MINUTE);
    const renewed = await refresh(t, tokens.refreshToken);
    expect(renewed.status).toBe(200);
    clock.advance(30 * MINUTE);
    const idle = await refresh(t, renewed.body.refreshToken);
    expect([idle.status, idle.body.code]).toEqual([401, 'AUTH_SESSION_EXPIRED']);
    expect(idle.body.details).toEqual({ reason: 'idle' });
  });

  it('ends a session 12 hours after login however active it is', async () => {
    const { tokens } = await loggedIn();
    let refreshToken = tokens.refreshToken;
    for (let elapsed = 0; elapsed < 12 * 60 - 20; elapsed += 20) {
      clock.advance(20 * MINUTE);
      const res = await refresh(t, refreshToken);
      expect(res.status).toBe(200);
      refreshToken = res.body.refreshToken;
    }
    clock.advance(10 * MINUTE); // 11 h 50 min
    const last = await refresh(t, refreshToken);
    expect(last.status).toBe(200);
    refreshToken = last.body.refreshToken;
    clock.advance(10 * MINUTE); // 12 h: the access token itself is only 10 minutes old
    const late = await me(t.app, last.body.accessToken);
    expect([late.status, late.body.code]).toEqual([401, 'AUTH_SESSION_EXPIRED']);
    const over = await refresh(t, refreshToken);
    expect([over.status, over.body.code]).toEqual([401, 'AUTH_SESSION_EXPIRED']);
    expect(over.body.details).toEqual({ reason: 'absolute' });
  });

  it('records activity (last_seen_at) at most once a minute', async () => {
    const { user, tokens } = await loggedIn();
    const seen = async () =>
      new Date(
        (
          await t.db.dataSource.query(`SELECT last_seen_at FROM auth_sessions WHERE user_id = $1`, [user.id])
        )[0].last_seen_at,
      ).getTime();
    const start = await seen();
    clock.advance(30_000);
    await me(t.app, tokens.accessToken);
    expect(await seen()).toBe(start);
    clock.advance(31_000);
    await me(t.app, tokens.accessToken);
    expect(await seen()).toBe(clock.now().getTime());
  });
});
