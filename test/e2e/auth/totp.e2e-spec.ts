import { FakeClock } from '../../../src/common/clock/clock';
import { base32Decode } from '../../../src/modules/auth/totp/base32';
import { totpAt } from '../../../src/modules/auth/totp/totp';
import { createUser } from '../../helpers/factories/users.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { auditRows, http, login, loginOk, me } from './auth-test-kit';

const STEP = 30_000;

describe('TOTP second factor', () => {
  let t: TestApp;
  const clock = new FakeClock('2026-03-02T09:00:00+08:00');

  beforeAll(async () => {
    t = await createTestApp({ clock });
  });
  afterAll(async () => {
    await t?.close();
  });

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  /** An auditor who enrolled and activated TOTP; returns what the user keeps. */
  async function enrolledAuditor() {
    const created = await createUser(t.db.dataSource, { roles: ['auditor'], passwordChangedAt: clock.now() });
    const first = await loginOk(t.app, created.user.username, created.password);
    const enrol = await http(t.app).post('/api/v1/auth/totp/enrol').set(auth(first.accessToken));
    const secret = base32Decode(enrol.body.secret as string);
    const activate = await http(t.app)
      .post('/api/v1/auth/totp/activate')
      .set(auth(first.accessToken))
      .send({ code: totpAt(secret, clock.now()) });
    expect(activate.status).toBe(200);
    clock.advance(STEP); // the activation code's step is spent
    return { ...created, secret, recoveryCodes: activate.body.recoveryCodes as string[], first };
  }

  it('holds an auditor without TOTP to enrolment, then lets them work once it is active', async () => {
    const { user, password } = await createUser(t.db.dataSource, { roles: ['auditor'] });
    const tokens = await loginOk(t.app, user.username, password);
    expect(tokens.restriction).toBe('totp_enrolment');
    expect((await me(t.app, tokens.accessToken)).body.restriction).toBe('totp_enrolment');
    const blocked = await http(t.app).get('/api/v1/audit-logs').set(auth(tokens.accessToken));
    expect([blocked.status, blocked.body.code]).toEqual([403, 'TOTP_ENROLMENT_REQUIRED']);

    const enrol = await http(t.app).post('/api/v1/auth/totp/enrol').set(auth(tokens.accessToken));
    expect(enrol.status).toBe(200);
    expect(enrol.headers['cache-control']).toBe('no-store');
    expect(enrol.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(enrol.body.otpauthUrl).toBe(
      `otpauth://totp/%E5%B8%AE%E6%89%B6:${user.username}?secret=${enrol.body.secret}` +
        '&issuer=%E5%B8%AE%E6%89%B6&algorithm=SHA1&digits=6&period=30',
    );
    const [stored] = await t.db.dataSource.query(
      `SELECT totp_secret_ciphertext, totp_enabled_at FROM users WHERE id = $1`,
      [user.id],
    );
    expect(stored.totp_secret_ciphertext).not.toContain(enrol.body.secret);
    expect(stored.totp_enabled_at).toBeNull();

    const secret = base32Decode(enrol.body.secret as string);
    const wrong = await http(t.app)
      .post('/api/v1/auth/totp/activate')
      .set(auth(tokens.accessToken))
      .send({ code: totpAt(secret, new Date(clock.now().getTime() + 10 * STEP)) });
    expect([wrong.status, wrong.body.code]).toEqual([422, 'AUTH_TOTP_CODE_WRONG']);

    const activate = await http(t.app)
      .post('/api/v1/auth/totp/activate')
      .set(auth(tokens.accessToken))
      .send({ code: totpAt(secret, clock.now()) });
    expect(activate.status).toBe(200);
    expect(activate.body.recoveryCodes).toHaveLength(10);
    expect(new Set(activate.body.recoveryCodes).size).toBe(10);
    for (const code of activate.body.recoveryCodes as string[])
      expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    const hashes: { code_hash: string }[] = await t.db.dataSource.query(
      `SELECT code_hash FROM auth_recovery_codes WHERE user_id = $1`,
      [user.id],
    );
    expect(hashes).toHaveLength(10);
    expect(hashes.map((h) => h.code_hash)).not.toContain(activate.body.recoveryCodes[0]);

    // The same session is no longer held back.
    expect((await me(t.app, tokens.accessToken)).body).toMatchObject({
      restriction: null,
      totpEnabled: true,
    });
    expect((await http(t.app).get('/api/v1/audit-logs').set(auth(tokens.accessToken))).status).toBe(200);

    const again = await http(t.app).post('/api/v1/auth/totp/enrol').set(auth(tokens.accessToken));
    expect([again.status, again.body.code]).toEqual([409, 'AUTH_TOTP_ALREADY_ENABLED']);
    const actions = (await auditRows(t.db.dataSource, 'auth.totp')).filter((r) => r.actor_id === user.id);
    expect(actions.map((r) => `${r.action}:${r.outcome}`)).toEqual([
      'auth.totp-enrol:success',
      'auth.totp-activate:failure',
      'auth.totp-activate:success',
    ]);
  });

  it('asks for the code after the password, and logs in with it', async () => {
    const { user, password, secret } = await enrolledAuditor();
    const step1 = await login(t.app, user.username, password);
    expect(step1.status).toBe(200);
    expect(step1.body).toEqual({ mfaRequired: true, mfaToken: expect.any(String), expiresIn: 300 });
    expect(step1.body.accessToken).toBeUndefined();

    // The challenge token is not an access token.
    expect((await me(t.app, step1.body.mfaToken)).body.code).toBe('AUTH_TOKEN_INVALID');

    const step2 = await http(t.app)
      .post('/api/v1/auth/login/totp')
      .send({ mfaToken: step1.body.mfaToken, code: totpAt(secret, clock.now()) });
    expect(step2.status).toBe(200);
    expect(step2.body).toMatchObject({ mfaRequired: false, restriction: null });
    expect((await me(t.app, step2.body.accessToken)).body.username).toBe(user.username);

    // Single use: the same challenge cannot be used twice.
    const reuse = await http(t.app)
      .post('/api/v1/auth/login/totp')
      .send({ mfaToken: step1.body.mfaToken, code: totpAt(secret, clock.now()) });
    expect([reuse.status, reuse.body.code]).toEqual([401, 'AUTH_MFA_INVALID']);
  });

  it('never accepts the same code twice, even in a new challenge', async () => {
    const { user, password, secret } = await enrolledAuditor();
    const code = totpAt(secret, clock.now());
    const a = await login(t.app, user.username, password);
    expect(
      (await http(t.app).post('/api/v1/auth/login/totp').send({ mfaToken: a.body.mfaToken, code })).status,
    ).toBe(200);
    const b = await login(t.app, user.username, password);
    const replay = await http(t.app)
      .post('/api/v1/auth/login/totp')
      .send({ mfaToken: b.body.mfaToken, code });
    expect([replay.status, replay.body.code]).toEqual([401, 'AUTH_TOTP_INVALID']);
    clock.advance(STEP);
    const next = await http(t.app)
      .post('/api/v1/auth/login/totp')
      .send({ mfaToken: b.body.mfaToken, code: totpAt(secret, clock.now()) });
    expect(next.status).toBe(200);
  });

  it('accepts each recovery code once', async () => {
    const { user, password, recoveryCodes } = await enrolledAuditor();
    const a = await login(t.app, user.username, password);
    const ok = await http(t.app)
      .post('/api/v1/auth/login/totp')
      .send({ mfaToken: a.body.mfaToken, recoveryCode: recoveryCodes[3].toUpperCase() });
    expect(ok.status).toBe(200);
    const b = await login(t.app, user.username, password);
    const again = await http(t.app)
      .post('/api/v1/auth/login/totp')
      .send({ mfaToken: b.body.mfaToken, recoveryCode: recoveryCodes[3] });
    expect(again.body.code).toBe('AUTH_TOTP_INVALID');
    const row = (await auditRows(t.db.dataSource, 'auth.login-totp')).filter(
      (r) => r.actor_id === user.id && r.outcome === 'success',
    );
    expect(row.at(-1)!.details).toMatchObject({ method: 'recovery_code', recoveryCodesLeft: 9 });
  });

  it('lets a challenge expire after 5 minutes', async () => {
    const { user, password, secret } = await enrolledAuditor();
    const a = await login(t.app, user.username, password);
    clock.advance(5 * 60_000);
    const late = await http(t.app)
      .post('/api/v1/auth/login/totp')
      .send({ mfaToken: a.body.mfaToken, code: totpAt(secret, clock.now()) });
    expect([late.status, late.body.code]).toEqual([401, 'AUTH_MFA_INVALID']);
  });

  it('counts wrong codes toward the account lockout', async () => {
    const { user, password } = await enrolledAuditor();
    for (let i = 0; i < 5; i++) {
      const a = await login(t.app, user.username, password);
      expect(a.body.mfaRequired).toBe(true);
      const res = await http(t.app)
        .post('/api/v1/auth/login/totp')
        .send({ mfaToken: a.body.mfaToken, code: '000000' });
      expect(res.body.code).toBe('AUTH_TOTP_INVALID');
    }
    const locked = await login(t.app, user.username, password);
    expect([locked.status, locked.body.code]).toEqual([401, 'AUTH_LOGIN_FAILED']);
  });

  it('requires exactly one of code and recoveryCode', async () => {
    const none = await http(t.app).post('/api/v1/auth/login/totp').send({ mfaToken: 'x' });
    expect(none.status).toBe(400);
    const both = await http(t.app)
      .post('/api/v1/auth/login/totp')
      .send({ mfaToken: 'x', code: '123456', recoveryCode: 'abcde-fghjk' });
    expect(both.status).toBe(400);
  });
});
