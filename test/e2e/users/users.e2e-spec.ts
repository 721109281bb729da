import request from 'supertest';
import { FieldCipher, totpSecretField } from '../../../src/common/crypto';
import { findUnmaskedPersonalData } from '../../../src/common/masking';
import { JobName, JobQueue } from '../../../src/infra/queue';
import { base32Encode } from '../../../src/modules/auth/totp/base32';
import { generateTotpSecret, totpAt } from '../../../src/modules/auth/totp/totp';
import {
  createOrgUnit,
  createUser,
  DEFAULT_TEST_PASSWORD,
  OrgUnitRow,
  rootOrgUnit,
} from '../../helpers/factories/users.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';

const API = '/api/v1';

/**
 * Account administration through the whole application: real login (password + TOTP for the admin),
 * AuthGuard, the PERMISSIONS table, services, PostgreSQL, the audit log. Every response body seen is
 * scanned for unmasked phone/ID numbers, except the one reveal answer that exists to return one.
 */
describe('/api/v1/users (whole app)', () => {
  let t: TestApp;
  let cipher: FieldCipher;
  let province: OrgUnitRow;
  let cityA: OrgUnitRow;
  let grassrootsA: OrgUnitRow;
  let cityB: OrgUnitRow;
  let admin: { id: string; token: string };
  let caseworkerToken: string;
  const bodies: Array<{ route: string; text: string }> = [];

  const http = () => request(t.app.getHttpServer());

  /** Sends, remembers the body for the personal-data scan, returns the response. */
  async function call(method: 'get' | 'post' | 'patch', path: string, token: string | null, body?: object) {
    let req = http()[method](`${API}${path}`);
    if (token) req = req.set('authorization', `Bearer ${token}`);
    const res = body === undefined ? await req : await req.send(body);
    bodies.push({ route: `${method.toUpperCase()} ${path}`, text: res.text });
    return res;
  }

  async function login(username: string, password: string, totpSecret?: Buffer): Promise<string> {
    const first = await http().post(`${API}/auth/login`).send({ username, password }).expect(200);
    if (!first.body.mfaRequired) return first.body.accessToken as string;
    const second = await http()
      .post(`${API}/auth/login/totp`)
      .send({ mfaToken: first.body.mfaToken, code: totpAt(totpSecret!, new Date()) })
      .expect(200);
    return second.body.accessToken as string;
  }

  /** An admin with TOTP already bound (as after enrolment), logged in. */
  async function loggedInAdmin(unit: OrgUnitRow): Promise<{ id: string; token: string }> {
    const { user, password } = await createUser(t.db.dataSource, { roles: ['admin'], orgUnit: unit });
    const secret = generateTotpSecret();
    await t.db.dataSource.query(
      `UPDATE users SET totp_secret_ciphertext = $2, totp_enabled_at = now() WHERE id = $1`,
      [user.id, cipher.encrypt(base32Encode(secret), totpSecretField(user.id))],
    );
    return { id: user.id, token: await login(user.username, password, secret) };
  }

  const newAccount = (overrides: Record<string, unknown> = {}) => ({
    username: `e2e.${Math.random().toString(36).slice(2, 10)}`,
    displayName: '赵敏',
    kind: 'staff',
    roles: ['caseworker'],
    orgUnitId: cityA.id,
    password: 'Chushi2026mima',
    ...overrides,
  });

  beforeAll(async () => {
    t = await createTestApp();
    cipher = t.app.get(FieldCipher);
    const root = await rootOrgUnit(t.db.dataSource);
    province = await createOrgUnit(t.db.dataSource, {
      parent: root,
      level: 'province',
      name: '江苏省总工会',
    });
    cityA = await createOrgUnit(t.db.dataSource, { parent: province, level: 'city', name: '南京市总工会' });
    grassrootsA = await createOrgUnit(t.db.dataSource, {
      parent: cityA,
      level: 'grassroots',
      name: '南京电子厂工会',
    });
    cityB = await createOrgUnit(t.db.dataSource, { parent: province, level: 'city', name: '苏州市总工会' });
    admin = await loggedInAdmin(cityA);
    const caseworker = await createUser(t.db.dataSource, { roles: ['caseworker'], orgUnit: cityA });
    caseworkerToken = await login(caseworker.user.username, caseworker.password);
  });

  afterAll(async () => {
    await t?.close();
  });

  // After each test, whatever order they run in: no body it received carries an unmasked phone, ID or
  // bank account number (reveal excepted).
  afterEach(() => {
    const leaks = bodies
      .splice(0)
      .filter((b) => !b.route.endsWith('/reveal'))
      .flatMap((b) => findUnmaskedPersonalData(b.text).map((hit) => `${b.route} ${hit.kind}`));
    expect(leaks).toEqual([]);
  });

  it('refuses callers without a token (401) and staff without the admin role (403)', async () => {
    expect((await call('get', '/users', null)).status).toBe(401);
    const res = await call('get', '/users', caseworkerToken);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('ACCESS_DENIED');
    const create = await call('post', '/users', caseworkerToken, newAccount());
    expect(create.status).toBe(403);
  });

  it('POST /users creates an account: 201, masked phone, must change password; no secrets in the body', async () => {
    const res = await call(
      'post',
      '/users',
      admin.token,
      newAccount({ username: 'Qian.Li', phone: '139 1234 5678' }),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      username: 'qian.li',
      phone: '139****5678',
      mustChangePassword: true,
      status: 'active',
      orgUnitId: cityA.id,
      orgUnitName: '南京市总工会',
    });
    expect(res.text).not.toMatch(/passwordHash|Ciphertext|BlindIndex|argon2|totpSecret/);

    const [row] = await t.db.dataSource.query(`SELECT phone_ciphertext FROM users WHERE id = $1`, [
      res.body.id,
    ]);
    expect(row.phone_ciphertext).not.toContain('13912345678');
  });

  it('answers creation mistakes with the right status and code', async () => {
    await call('post', '/users', admin.token, newAccount({ username: 'dup.user' }));
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ username: 'DUP.user' }, 409, 'USERNAME_TAKEN'],
      [{ roles: ['admin', 'auditor'] }, 422, 'ROLE_CONFLICT'],
      [{ orgUnitId: cityB.id }, 403, 'OUT_OF_SCOPE'],
      [{ orgUnitId: province.id }, 403, 'OUT_OF_SCOPE'],
      [{ password: 'password1' }, 422, 'PASSWORD_POLICY_VIOLATION'],
      [{ username: 'x' }, 400, 'VALIDATION_FAILED'],
      [{ phone: '12345' }, 400, 'VALIDATION_FAILED'],
      [{ expiresAt: '2000-01-01T00:00:00Z' }, 422, 'USER_EXPIRY_NOT_IN_FUTURE'],
      [{ passwordHash: 'x' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [overrides, status, code] of cases) {
      const res = await call('post', '/users', admin.token, newAccount(overrides));
      expect({ overrides, status: res.status, code: res.body.code }).toEqual({ overrides, status, code });
    }
    await call('post', '/users', admin.token, newAccount({ phone: '13700009999' }));
    const dupPhone = await call('post', '/users', admin.token, newAccount({ phone: '+86 137-0000-9999' }));
    expect([dupPhone.status, dupPhone.body.code]).toEqual([409, 'PHONE_IN_USE']);
  });

  it('GET /users lists the subtree only, masked; GET /users/:id is audited', async () => {
    const inScope = await call('post', '/users', admin.token, newAccount({ phone: '13600005555' }));
    const { user: outside } = await createUser(t.db.dataSource, { orgUnit: cityB });

    const list = await call('get', '/users?pageSize=100', admin.token);
    expect(list.status).toBe(200);
    const ids = (list.body.items as Array<{ id: string }>).map((u) => u.id);
    expect(ids).toContain(inScope.body.id);
    expect(ids).not.toContain(outside.id);
    expect(list.body).toMatchObject({ page: 1, pageSize: 100 });

    const one = await call('get', `/users/${inScope.body.id}`, admin.token);
    expect(one.status).toBe(200);
    expect(one.body.phone).toBe('136****5555');
    const audit = await t.db.dataSource.query(
      `SELECT actor_id FROM audit_logs WHERE action = 'user.read' AND target_id = $1`,
      [inScope.body.id],
    );
    expect(audit).toEqual([{ actor_id: admin.id }]);

    expect((await call('get', `/users/${outside.id}`, admin.token)).status).toBe(403);
    expect((await call('get', '/users/not-a-uuid', admin.token)).status).toBe(400);
  });

  it('POST /users/:id/reveal returns the number once, no-store, audited with the reason', async () => {
    const created = await call('post', '/users', admin.token, newAccount({ phone: '13600006666' }));
    const short = await call('post', `/users/${created.body.id}/reveal`, admin.token, {
      field: 'phone',
      reason: '看',
    });
    expect(short.status).toBe(400);

    const res = await http()
      .post(`${API}/users/${created.body.id}/reveal`)
      .set('authorization', `Bearer ${admin.token}`)
      .send({ field: 'phone', reason: '回访前核实联系方式' })
      .expect(200);
    expect(res.body).toEqual({ userId: created.body.id, field: 'phone', value: '13600006666' });
    expect(res.headers['cache-control']).toContain('no-store');
    const [audit] = await t.db.dataSource.query(
      `SELECT details FROM audit_logs WHERE action = 'user.reveal' AND target_id = $1`,
      [created.body.id],
    );
    expect(audit.details).toMatchObject({ field: 'phone', reason: '回访前核实联系方式' });
  });

  describe('changes that end every session of the account at once', () => {
    async function accountWithSession() {
      const { user, password } = await createUser(t.db.dataSource, { orgUnit: cityA, roles: ['caseworker'] });
      const token = await login(user.username, password);
      await http().get(`${API}/me`).set('authorization', `Bearer ${token}`).expect(200);
      return { user, token };
    }

    const meStatus = async (token: string) =>
      (await http().get(`${API}/me`).set('authorization', `Bearer ${token}`)).status;

    it('role change (PATCH with version)', async () => {
      const { user, token } = await accountWithSession();
      const current = await call('get', `/users/${user.id}`, admin.token);
      const res = await call('patch', `/users/${user.id}`, admin.token, {
        version: current.body.version,
        roles: ['caseworker', 'reviewer'],
      });
      expect(res.status).toBe(200);
      expect(res.body.roles).toEqual(['caseworker', 'reviewer']);
      expect(await meStatus(token)).toBe(401);

      const stale = await call('patch', `/users/${user.id}`, admin.token, {
        version: current.body.version,
        displayName: '过期版本',
      });
      expect([stale.status, stale.body.code]).toEqual([409, 'USER_VERSION_CONFLICT']);
    });

    it('disable (and the account cannot log in until enabled)', async () => {
      const { user, token } = await accountWithSession();
      const res = await call('post', `/users/${user.id}/disable`, admin.token, { reason: '人员调离' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'disabled', disabledReason: '人员调离' });
      expect(await meStatus(token)).toBe(401);
      await http()
        .post(`${API}/auth/login`)
        .send({ username: user.username, password: DEFAULT_TEST_PASSWORD })
        .expect(401);

      expect((await call('post', `/users/${user.id}/enable`, admin.token)).body.status).toBe('active');
      await login(user.username, DEFAULT_TEST_PASSWORD);
    });

    it('password reset (the next login must change the password)', async () => {
      const { user, token } = await accountWithSession();
      const res = await call('post', `/users/${user.id}/reset-password`, admin.token, {
        newPassword: 'Linshi2026mima',
      });
      expect(res.status).toBe(200);
      expect(res.body.mustChangePassword).toBe(true);
      expect(await meStatus(token)).toBe(401);
      const after = await http()
        .post(`${API}/auth/login`)
        .send({ username: user.username, password: 'Linshi2026mima' })
        .expect(200);
      expect(after.body.restriction).toBe('password_change');
    });
  });

  it('unlock lets a locked-out account log in again', async () => {
    const { user, password } = await createUser(t.db.dataSource, {
      orgUnit: grassrootsA,
      kind: 'worker',
      roles: [],
    });
    const maxFailures = t.config.auth.lockout.maxFailures;
    for (let i = 0; i < maxFailures; i++) {
      await http()
        .post(`${API}/auth/login`)
        .send({ username: user.username, password: 'Wrong2026pass' })
        .expect(401);
    }
    await http().post(`${API}/auth/login`).send({ username: user.username, password }).expect(401);
    const listed = await call('get', `/users?status=locked&q=${user.username}`, admin.token);
    expect(listed.body.items.map((u: { id: string }) => u.id)).toEqual([user.id]);

    const res = await call('post', `/users/${user.id}/unlock`, admin.token);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'active', failedLoginCount: 0, lockedUntil: null });
    await login(user.username, password);
  });

  it('an administrator cannot disable itself or change its own roles', async () => {
    const self = await call('get', `/users/${admin.id}`, admin.token);
    const disable = await call('post', `/users/${admin.id}/disable`, admin.token, { reason: '测试自我停用' });
    expect([disable.status, disable.body.code]).toEqual([403, 'USER_CANNOT_DISABLE_SELF']);
    const roles = await call('patch', `/users/${admin.id}`, admin.token, {
      version: self.body.version,
      roles: ['admin', 'approver'],
    });
    expect([roles.status, roles.body.code]).toEqual([403, 'USER_CANNOT_CHANGE_OWN_ROLES']);
    const denied = await t.db.dataSource.query(
      `SELECT details FROM audit_logs WHERE action = 'access.denied' AND target_id = $1 ORDER BY id`,
      [admin.id],
    );
    expect(denied.map((d: { details: { code: string } }) => d.details.code)).toEqual([
      'USER_CANNOT_DISABLE_SELF',
      'USER_CANNOT_CHANGE_OWN_ROLES',
    ]);
  });

  it('the users.disable-expired job (run through the queue) disables an expired temporary account', async () => {
    const { user } = await createUser(t.db.dataSource, {
      orgUnit: cityA,
      expiresAt: new Date(Date.now() + 60 * 60_000),
    });
    // Its end has now passed (moved back in the database rather than waiting).
    await t.db.dataSource.query(`UPDATE users SET expires_at = now() - interval '1 minute' WHERE id = $1`, [
      user.id,
    ]);
    await t.app.get(JobQueue).enqueue(JobName.UsersDisableExpired, {});
    let row: { disabled_reason: string | null; token_version: number } | undefined;
    for (let i = 0; i < 100; i++) {
      [row] = await t.db.dataSource.query(`SELECT disabled_reason, token_version FROM users WHERE id = $1`, [
        user.id,
      ]);
      if (row?.disabled_reason) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(row).toEqual({ disabled_reason: 'expired', token_version: 1 });
    const audits = await t.db.dataSource.query(
      `SELECT outcome FROM audit_logs WHERE action = 'user.expire' AND target_id = $1`,
      [user.id],
    );
    expect(audits).toEqual([{ outcome: 'success' }]);
  });
});
