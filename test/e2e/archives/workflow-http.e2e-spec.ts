import request from 'supertest';
import { totpSecretField } from '../../../src/common/crypto/stored-fields';
import { FakeClock } from '../../../src/common/clock/clock';
import { findUnmaskedPersonalData } from '../../../src/common/masking';
import { JobName, JobQueue } from '../../../src/infra/queue';
import type { StaffRole } from '../../../src/modules/auth/principal';
import { base32Encode } from '../../../src/modules/auth/totp/base32';
import { generateTotpSecret, totpAt } from '../../../src/modules/auth/totp/totp';
import { createArchive, testCipher } from '../../helpers/factories/archives.factory';
import { createOrgUnit, createUser, OrgUnitRow, rootOrgUnit } from '../../helpers/factories/users.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';

const API = '/api/v1';
const VISIT = {
  date: '2026-03-02',
  visitors: ['王丽', '陈刚'],
  findings: '入户查看，家庭陈设简陋，妻子卧床，情况属实。',
};

/**
 * The workflow through the whole application: real logins (TOTP for the approver), AuthGuard and the
 * PERMISSIONS rows, ValidationPipe, the error filter, the public endpoints without a token, the rate
 * limit and the activation job run by the queue. Every body is scanned for unmasked ID/phone numbers.
 */
describe('archive workflow over HTTP (whole app)', () => {
  let t: TestApp;
  const clock = new FakeClock('2026-03-02T09:00:00+08:00');
  let grassroots: OrgUnitRow;
  let otherGrassroots: OrgUnitRow;
  const tokens: Record<string, string> = {};
  const bodies: string[] = [];

  const http = () => request(t.app.getHttpServer());

  async function call(method: 'get' | 'post', path: string, token: string | null, body?: object) {
    let req = http()[method](`${API}${path}`);
    if (token) req = req.set('authorization', `Bearer ${token}`);
    const res = body === undefined ? await req : await req.send(body);
    bodies.push(res.text);
    return res;
  }

  const logins: Record<string, () => Promise<string>> = {};

  async function account(
    unit: OrgUnitRow,
    kind: 'staff' | 'worker',
    roles: StaffRole[],
  ): Promise<{ id: string; login: () => Promise<string> }> {
    const { user, password } = await createUser(t.db.dataSource, { kind, roles, orgUnit: unit });
    let secret: Buffer | null = null;
    if (roles.includes('approver')) {
      secret = generateTotpSecret();
      await t.db.dataSource.query(
        `UPDATE users SET totp_secret_ciphertext = $2, totp_enabled_at = now() WHERE id = $1`,
        [user.id, testCipher().encrypt(base32Encode(secret), totpSecretField(user.id))],
      );
    }
    const login = async () => {
      const first = await http()
        .post(`${API}/auth/login`)
        .send({ username: user.username, password })
        .expect(200);
      if (!first.body.mfaRequired) return first.body.accessToken as string;
      const second = await http()
        .post(`${API}/auth/login/totp`)
        .send({ mfaToken: first.body.mfaToken, code: totpAt(secret!, clock.now()) })
        .expect(200);
      return second.body.accessToken as string;
    };
    return { id: user.id, login };
  }

  /** Moves the app's clock; sessions idle out over days, so everyone logs in again. */
  async function setClock(time: string): Promise<void> {
    clock.set(time);
    for (const [name, login] of Object.entries(logins)) tokens[name] = await login();
  }

  beforeAll(async () => {
    t = await createTestApp({
      clock,
      overrides: { archives: { objectionRateLimit: { limit: 2, windowSeconds: 3600 } } },
    });
    const root = await rootOrgUnit(t.db.dataSource);
    const province = await createOrgUnit(t.db.dataSource, {
      parent: root,
      level: 'province',
      name: '浙江省总工会',
      regionCode: '330000',
    });
    const district = await createOrgUnit(t.db.dataSource, {
      parent: province,
      level: 'district',
      name: '西湖区总工会',
      regionCode: '330106',
    });
    grassroots = await createOrgUnit(t.db.dataSource, {
      parent: district,
      name: '杭州绿源纺织有限公司工会',
      regionCode: '330106',
    });
    otherGrassroots = await createOrgUnit(t.db.dataSource, {
      parent: province,
      name: '宁波港务工会',
      regionCode: '330203',
    });
    const accounts = {
      owner: await account(grassroots, 'worker', []),
      caseworker: await account(grassroots, 'staff', ['caseworker']),
      reviewer: await account(grassroots, 'staff', ['reviewer']),
      districtReviewer: await account(district, 'staff', ['reviewer']),
      approver: await account(district, 'staff', ['approver']),
      outsider: await account(otherGrassroots, 'staff', ['reviewer']),
    };
    for (const [name, a] of Object.entries(accounts)) {
      logins[name] = a.login;
      tokens[name] = await a.login();
    }
    tokens.ownerId = accounts.owner.id;
  });

  afterAll(async () => {
    await t?.close();
  });

  afterAll(() => {
    // No response may carry a raw ID or phone number.
    for (const text of bodies) expect(findUnmaskedPersonalData(text)).toEqual([]);
  });

  it('walks an archive to public notice, shows it without login, takes objections, and activates it by the job', async () => {
    const { archive } = await createArchive(t.db.dataSource, {
      orgUnitId: grassroots.id,
      ownerUserId: tokens.ownerId,
      headName: '张小明',
    });
    const id = archive.id;

    // Missing version: the ValidationPipe refuses it.
    const noVersion = await call('post', `/archives/${id}/submit`, tokens.owner, {});
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.code).toBe('VALIDATION_FAILED');

    let res = await call('post', `/archives/${id}/submit`, tokens.owner, { version: archive.version });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, status: 'submitted' });

    // Wrong role: the guard refuses a caseworker's review before the service runs.
    const wrongRole = await call('post', `/archives/${id}/review`, tokens.caseworker, {
      version: res.body.version,
      decision: 'approve',
    });
    expect(wrongRole.status).toBe(403);
    expect(wrongRole.body.code).toBe('ACCESS_DENIED');

    // Wrong unit: a reviewer elsewhere.
    const outside = await call('post', `/archives/${id}/review`, tokens.outsider, {
      version: res.body.version,
      decision: 'approve',
    });
    expect(outside.status).toBe(403);
    expect(outside.body.code).toBe('OUT_OF_SCOPE');

    // Return without reasons is a validation error.
    const noReasons = await call('post', `/archives/${id}/review`, tokens.reviewer, {
      version: res.body.version,
      decision: 'return',
    });
    expect(noReasons.status).toBe(400);

    res = await call('post', `/archives/${id}/review`, tokens.reviewer, {
      version: res.body.version,
      decision: 'approve',
    });
    expect(res.body.status).toBe('verifying');

    // Stale version: 409 with the current one.
    const stale = await call('post', `/archives/${id}/verify`, tokens.districtReviewer, {
      version: res.body.version - 1,
      decision: 'pass',
      visit: VISIT,
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({
      code: 'ARCHIVE_VERSION_CONFLICT',
      details: { currentVersion: res.body.version },
    });

    res = await call('post', `/archives/${id}/verify`, tokens.districtReviewer, {
      version: res.body.version,
      decision: 'pass',
      visit: VISIT,
    });
    expect(res.body.status).toBe('approving');
    res = await call('post', `/archives/${id}/approve`, tokens.approver, {
      version: res.body.version,
      decision: 'approve',
    });
    expect(res.body).toMatchObject({
      status: 'publicizing',
      noticeStartsOn: '2026-03-03',
      noticeEndsOn: '2026-03-09',
    });

    // Invalid transition: 409 with the current state.
    const invalid = await call('post', `/archives/${id}/review`, tokens.reviewer, {
      version: res.body.version,
      decision: 'approve',
    });
    expect(invalid.status).toBe(409);
    expect(invalid.body).toEqual({
      code: 'ARCHIVE_INVALID_TRANSITION',
      message: '档案当前状态不允许此操作',
      details: { status: 'publicizing', command: 'review' },
    });

    // Public notice: no token, from the first notice day, masked.
    await setClock('2026-03-04T10:00:00+08:00');
    const notices = await call('get', '/public-notices', null);
    expect(notices.status).toBe(200);
    expect(notices.headers['cache-control']).toBe('no-store');
    expect(notices.body.items).toEqual([
      {
        archiveId: id,
        maskedName: '张*明',
        unitName: '杭州绿源纺织有限公司工会',
        category: 'dibao',
        noticeStartsOn: '2026-03-03',
        noticeEndsOn: '2026-03-09',
      },
    ]);
    expect(notices.text).not.toContain('张小明');

    // Objections: no token, validated, rate-limited per IP (2 per hour in this file; refused bodies do not count).
    expect((await call('post', `/archives/${id}/objections`, null, { reason: '太短' })).status).toBe(400);
    const lodged = await call('post', `/archives/${id}/objections`, null, {
      reason: '该户家中经营一家小超市，收入并不低。',
      contact: '13905718888',
    });
    expect(lodged.status).toBe(201);
    expect(lodged.body).toMatchObject({ status: 'open' });
    expect(
      (await call('post', `/archives/${id}/objections`, null, { reason: '该户在外地另有一套住房，请核查。' }))
        .status,
    ).toBe(201);
    const limited = await call('post', `/archives/${id}/objections`, null, {
      reason: '第三条异议：该户子女已参加工作。',
    });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);

    // Staff list them (contact masked), dismiss one without a note → 400, with a note → 200.
    const listed = await call('get', `/archives/${id}/objections`, tokens.reviewer);
    expect(listed.status).toBe(200);
    expect(listed.body).toHaveLength(2);
    expect(listed.text).toContain('139****8888');
    for (const objection of listed.body as Array<{ id: string }>) {
      const bare = await call('post', `/archives/${id}/objections/${objection.id}/resolve`, tokens.reviewer, {
        decision: 'dismiss',
      });
      expect(bare.status).toBe(400);
      const ok = await call('post', `/archives/${id}/objections/${objection.id}/resolve`, tokens.reviewer, {
        decision: 'dismiss',
        note: '经入户核实，异议所述情况不属实',
      });
      expect(ok.status).toBe(200);
    }

    // The daily job, run by the queue once the notice is over, activates and numbers the archive.
    await setClock('2026-03-10T00:30:00+08:00');
    await t.app.get(JobQueue).enqueue(JobName.ArchivesActivatePublicized, {});
    let row: { status: string; archive_no: string | null } = { status: '', archive_no: null };
    for (let i = 0; i < 100 && row.status !== 'active'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      [row] = await t.db.dataSource.query(`SELECT status, archive_no FROM archives WHERE id = $1`, [id]);
    }
    expect(row).toEqual({ status: 'active', archive_no: '330106-2026-00001' });

    // History: the owner and the unit's staff read it; others are refused.
    const history = await call('get', `/archives/${id}/history?pageSize=50`, tokens.reviewer);
    expect(history.status).toBe(200);
    const steps = (history.body.items as Array<{ type: string; action: string }>)
      .filter((i) => i.type === 'transition')
      .map((i) => i.action);
    expect(steps).toEqual([
      'activate',
      'resolve-objection',
      'resolve-objection',
      'lodge-objection',
      'lodge-objection',
      'approve',
      'verify',
      'review',
      'submit',
    ]);
    expect((await call('get', `/archives/${id}/history`, tokens.owner)).status).toBe(200);
    expect((await call('get', `/archives/${id}/history`, tokens.outsider)).status).toBe(403);
    // The public notice is over.
    expect((await call('get', '/public-notices', null)).body.items).toEqual([]);
  });
});
