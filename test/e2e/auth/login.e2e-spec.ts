import { FakeClock } from '../../../src/common/clock/clock';
import { FieldCipher } from '../../../src/common/crypto/field-cipher';
import { PasswordHasher } from '../../../src/modules/users/password/password-hasher';
import { createUser } from '../../helpers/factories/users.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { auditRows, http, login, loginOk, me } from './auth-test-kit';

const MINUTE = 60_000;

describe('POST /api/v1/auth/login', () => {
  let t: TestApp;
  const clock = new FakeClock('2026-03-02T09:00:00+08:00');

  beforeAll(async () => {
    t = await createTestApp({ clock });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('logs a caseworker in: tokens, then GET /me describes the account', async () => {
    const { user, password, orgUnit } = await createUser(t.db.dataSource, {
      username: 'li.caseworker',
      displayName: '李经办',
      passwordChangedAt: clock.now(),
    });
    const res = await login(t.app, '  LI.Caseworker ', password);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({
      mfaRequired: false,
      tokenType: 'Bearer',
      expiresIn: 900,
      restriction: null,
    });
    expect(res.body.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(typeof res.body.refreshToken).toBe('string');

    const profile = await me(t.app, res.body.accessToken);
    expect(profile.status).toBe(200);
    expect(profile.body).toEqual({
      id: user.id,
      username: 'li.caseworker',
      displayName: '李经办',
      kind: 'staff',
      roles: ['caseworker'],
      orgUnit: { id: orgUnit!.id, name: orgUnit!.name, level: 'grassroots' },
      partnerId: null,
      restriction: null,
      totpEnabled: false,
      passwordExpiresAt: new Date(clock.now().getTime() + 90 * 24 * 60 * MINUTE).toISOString(),
      phone: null,
      expiresAt: null,
    });
  });

  it('returns the phone number masked in /me', async () => {
    const cipher = t.app.get(FieldCipher);
    const { user, password } = await createUser(t.db.dataSource, {
      phone: '13812342210',
      cipher,
      kind: 'worker',
    });
    const { accessToken } = await loginOk(t.app, user.username, password);
    const profile = await me(t.app, accessToken);
    expect(profile.body.phone).toBe('138****2210');
    expect(JSON.stringify(profile.body)).not.toContain('13812342210');
    expect(profile.body.passwordExpiresAt).toBeNull();
  });

  it('gives the same outward answer for unknown user, wrong password, locked, disabled and expired accounts', async () => {
    const ok = await createUser(t.db.dataSource);
    const locked = await createUser(t.db.dataSource, {
      lockedUntil: new Date(clock.now().getTime() + 10 * MINUTE),
    });
    const disabled = await createUser(t.db.dataSource, { disabledAt: clock.now() });
    const expired = await createUser(t.db.dataSource, {
      expiresAt: new Date(clock.now().getTime() - MINUTE),
    });

    const answers = [
      await login(t.app, 'nobody.here', 'Whatever-2026'),
      await login(t.app, ok.user.username, 'Wrong-password-1'),
      await login(t.app, locked.user.username, locked.password),
      await login(t.app, disabled.user.username, disabled.password),
      await login(t.app, expired.user.username, expired.password),
    ];
    for (const res of answers) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ code: 'AUTH_LOGIN_FAILED', message: answers[0].body.message });
    }
    expect(answers[0].body.message).not.toMatch(/密码错误$|不存在|锁定|停用|过期/);

    const failures = (await auditRows(t.db.dataSource, 'auth.login')).filter((r) => r.outcome === 'failure');
    expect(failures.slice(-5).map((r) => r.details.reason)).toEqual([
      'unknown_user',
      'bad_password',
      'locked',
      'disabled',
      'account_expired',
    ]);
    expect(failures.at(-5)).toMatchObject({ actor_id: null, actor_username: 'nobody.here' });
  });

  it('spends the same work on an unknown user as on a wrong password: one argon2 verify with the configured cost', async () => {
    const { user } = await createUser(t.db.dataSource);
    const hasher = t.app.get(PasswordHasher);
    const verify = jest.spyOn(hasher, 'verify');
    const cost = (hash: string) => hash.split('$').slice(1, 4).join('$'); // argon2id$v=19$m=…,t=…,p=…
    try {
      await login(t.app, 'no.such.user', 'Wrong-password-1');
      expect(verify).toHaveBeenCalledTimes(1);
      const dummyHash = verify.mock.calls[0]![0];
      verify.mockClear();
      await login(t.app, user.username, 'Wrong-password-1');
      expect(verify).toHaveBeenCalledTimes(1);
      // Without the dummy verification an unknown user would skip argon2 (and answer measurably faster);
      // with a cheaper dummy hash it would still answer faster. Neither depends on this machine's clock.
      expect(cost(dummyHash)).toBe(cost(await hasher.hash('Any-password-1')));
    } finally {
      verify.mockRestore();
    }
  });

  it('locks after 5 consecutive failures for 15 minutes, then lets the right password in', async () => {
    const { user, password } = await createUser(t.db.dataSource);
    for (let i = 0; i < 5; i++) {
      expect((await login(t.app, user.username, `Wrong-password-${i}`)).status).toBe(401);
    }
    const [{ failed_login_count, locked_until }] = await t.db.dataSource.query(
      `SELECT failed_login_count, locked_until FROM users WHERE id = $1`,
      [user.id],
    );
    expect(failed_login_count).toBe(5);
    expect(new Date(locked_until).getTime()).toBe(clock.now().getTime() + 15 * MINUTE);
    const lockouts = (await auditRows(t.db.dataSource, 'auth.lockout')).filter((r) => r.actor_id === user.id);
    expect(lockouts).toHaveLength(1);

    // Locked: even the right password is refused, with the same answer.
    const whileLocked = await login(t.app, user.username, password);
    expect(whileLocked.status).toBe(401);
    expect(whileLocked.body.code).toBe('AUTH_LOGIN_FAILED');

    clock.advance(14 * MINUTE);
    expect((await login(t.app, user.username, password)).status).toBe(401);

    clock.advance(MINUTE);
    const after = await login(t.app, user.username, password);
    expect(after.status).toBe(200);
    const [row] = await t.db.dataSource.query(
      `SELECT failed_login_count, locked_until FROM users WHERE id = $1`,
      [user.id],
    );
    expect(row).toEqual({ failed_login_count: 0, locked_until: null });
  });

  it('counts consecutive failures only: a success resets the counter', async () => {
    const { user, password } = await createUser(t.db.dataSource);
    for (let i = 0; i < 4; i++) await login(t.app, user.username, 'Wrong-password-1');
    expect((await login(t.app, user.username, password)).status).toBe(200);
    for (let i = 0; i < 4; i++) await login(t.app, user.username, 'Wrong-password-1');
    expect((await login(t.app, user.username, password)).status).toBe(200);
  });

  it('refuses a temporary account once expiresAt has passed', async () => {
    const { user, password } = await createUser(t.db.dataSource, {
      kind: 'worker',
      expiresAt: new Date(clock.now().getTime() + 10 * MINUTE),
    });
    const before = await loginOk(t.app, user.username, password);
    expect((await me(t.app, before.accessToken)).status).toBe(200);

    clock.advance(10 * MINUTE);
    expect((await login(t.app, user.username, password)).body.code).toBe('AUTH_LOGIN_FAILED');
    // A token issued before the expiry (its own 15 minutes not yet over) dies with the account.
    const after = await me(t.app, before.accessToken);
    expect([after.status, after.body.code]).toEqual([401, 'AUTH_TOKEN_REVOKED']);
    const refreshed = await http(t.app)
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: before.refreshToken });
    expect([refreshed.status, refreshed.body.code]).toEqual([401, 'AUTH_TOKEN_REVOKED']);
  });

  it('audits a successful login with the session as target', async () => {
    const { user, password } = await createUser(t.db.dataSource);
    await loginOk(t.app, user.username, password);
    const rows = (await auditRows(t.db.dataSource, 'auth.login')).filter((r) => r.actor_id === user.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'auth.login', outcome: 'success', target_type: 'session' });
  });

  it('validates the body (400) without touching any account', async () => {
    const res = await http(t.app).post('/api/v1/auth/login').send({ username: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });
});
