import { FakeClock } from '../../../src/common/clock/clock';
import { createUser } from '../../helpers/factories/users.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { auditRows, http, login, loginOk, me } from './auth-test-kit';

const DAY = 24 * 60 * 60_000;

describe('password expiry, forced change and POST /api/v1/auth/password', () => {
  let t: TestApp;
  const clock = new FakeClock('2026-06-01T09:00:00+08:00');

  beforeAll(async () => {
    t = await createTestApp({ clock });
  });
  afterAll(async () => {
    await t?.close();
  });

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const change = (token: string, currentPassword: string, newPassword: string) =>
    http(t.app).post('/api/v1/auth/password').set(auth(token)).send({ currentPassword, newPassword });

  it('holds a staff account whose password is 90 days old to a password change', async () => {
    const { user, password } = await createUser(t.db.dataSource, {
      passwordChangedAt: new Date(clock.now().getTime() - 90 * DAY),
    });
    const tokens = await loginOk(t.app, user.username, password);
    expect(tokens.restriction).toBe('password_change');
    expect((await me(t.app, tokens.accessToken)).status).toBe(200);
    const blocked = await http(t.app).post('/api/v1/auth/totp/enrol').set(auth(tokens.accessToken));
    expect([blocked.status, blocked.body.code]).toEqual([403, 'PASSWORD_CHANGE_REQUIRED']);

    const changed = await change(tokens.accessToken, password, 'Xinmima-2026-bf');
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ mfaRequired: false, restriction: null });
    expect((await me(t.app, changed.body.accessToken)).body.passwordExpiresAt).toBe(
      new Date(clock.now().getTime() + 90 * DAY).toISOString(),
    );
    // Everything issued before the change is dead.
    expect((await me(t.app, tokens.accessToken)).status).toBe(401);
    expect(
      (await http(t.app).post('/api/v1/auth/refresh').send({ refreshToken: tokens.refreshToken })).status,
    ).toBe(401);
    // The new password works, the old one does not.
    expect((await login(t.app, user.username, password)).status).toBe(401);
    expect((await loginOk(t.app, user.username, 'Xinmima-2026-bf')).restriction).toBeNull();
  });

  it('does not expire worker passwords', async () => {
    const { user, password } = await createUser(t.db.dataSource, {
      kind: 'worker',
      passwordChangedAt: new Date(clock.now().getTime() - 400 * DAY),
    });
    expect((await loginOk(t.app, user.username, password)).restriction).toBeNull();
  });

  it('holds an account reset by an admin (mustChangePassword) to a change', async () => {
    const { user, password } = await createUser(t.db.dataSource, {
      mustChangePassword: true,
      kind: 'worker',
    });
    const tokens = await loginOk(t.app, user.username, password);
    expect(tokens.restriction).toBe('password_change');
    expect((await change(tokens.accessToken, password, 'Xinmima-2026-bf')).status).toBe(200);
    const [row] = await t.db.dataSource.query(`SELECT must_change_password FROM users WHERE id = $1`, [
      user.id,
    ]);
    expect(row.must_change_password).toBe(false);
  });

  it('moves an admin without TOTP from password change on to TOTP enrolment', async () => {
    const { user, password } = await createUser(t.db.dataSource, {
      roles: ['admin'],
      mustChangePassword: true,
    });
    const tokens = await loginOk(t.app, user.username, password);
    expect(tokens.restriction).toBe('password_change');
    const changed = await change(tokens.accessToken, password, 'Xinmima-2026-bf');
    expect(changed.body.restriction).toBe('totp_enrolment');
  });

  it.each([
    ['too short', 'ab12', ['too_short']],
    ['no digit', 'gonghuibangfu', ['needs_digit']],
    ['a common password', 'password1', ['common']],
    ['a common Chinese password', 'woaini1314', ['common']],
  ])(
    'refuses a new password that is %s (422 with the problem codes)',
    async (_name, newPassword, problems) => {
      const { user, password } = await createUser(t.db.dataSource);
      const tokens = await loginOk(t.app, user.username, password);
      const res = await change(tokens.accessToken, password, newPassword);
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('PASSWORD_POLICY_VIOLATION');
      expect(res.body.details.problems).toEqual(problems);
      expect(JSON.stringify(res.body)).not.toContain(newPassword);
    },
  );

  it('refuses a new password containing the user name, or equal to the current one', async () => {
    const { user, password } = await createUser(t.db.dataSource, { username: 'wang.fang' });
    const tokens = await loginOk(t.app, user.username, password);
    const named = await change(tokens.accessToken, password, 'Wang.Fang-2026');
    expect(named.body.details.problems).toEqual(['contains_username']);
    const same = await change(tokens.accessToken, password, password);
    expect(same.body.details.problems).toEqual(['same_as_current']);
  });

  it('refuses a wrong current password (422) and audits it', async () => {
    const { user, password } = await createUser(t.db.dataSource);
    const tokens = await loginOk(t.app, user.username, password);
    const res = await change(tokens.accessToken, 'Not-the-password-1', 'Xinmima-2026-bf');
    expect([res.status, res.body.code]).toEqual([422, 'AUTH_CURRENT_PASSWORD_WRONG']);
    expect((await me(t.app, tokens.accessToken)).status).toBe(200);
    const rows = (await auditRows(t.db.dataSource, 'auth.password-change')).filter(
      (r) => r.actor_id === user.id,
    );
    expect(rows.map((r) => [r.outcome, r.details.reason])).toEqual([['failure', 'current_password_wrong']]);
  });

  it('counts wrong current passwords like failed logins: the lockout ends the token, even the right password is refused', async () => {
    const { user, password } = await createUser(t.db.dataSource);
    const tokens = await loginOk(t.app, user.username, password);
    for (let i = 0; i < 4; i += 1) {
      expect((await change(tokens.accessToken, `Guess-number-${i}`, 'Xinmima-2026-bf')).status).toBe(422);
    }
    expect((await me(t.app, tokens.accessToken)).status).toBe(200);
    expect((await change(tokens.accessToken, 'Guess-number-5', 'Xinmima-2026-bf')).status).toBe(422);
    // Fifth failure: locked, and the stolen token is dead.
    expect((await me(t.app, tokens.accessToken)).status).toBe(401);
    expect((await login(t.app, user.username, password)).status).toBe(401);
    const lockouts = (await auditRows(t.db.dataSource, 'auth.lockout')).filter((r) => r.actor_id === user.id);
    expect(lockouts).toHaveLength(1);
  });
});
