import request from 'supertest';
import { DataSource } from 'typeorm';
import { createArchive, testCipher } from '../../helpers/factories/archives.factory';
import { createOrgUnit, createUser, OrgUnitRow, rootOrgUnit } from '../../helpers/factories/users.factory';
import { Actor, createActor } from '../../helpers/actors';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { AuditService } from '../../../src/modules/audit/audit.service';
import { allLinks, auditCursor } from '../../medium/audit/audit-fixtures';

interface Row {
  id: string;
  occurred_at: Date;
  actor_id: string | null;
  actor_username: string | null;
  actor_kind: string | null;
  actor_roles: string[];
  actor_org_unit_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: string;
  client_ip: string | null;
  request_id: string | null;
  xid: string;
}

/**
 * Audit completeness through the whole app: each sensitive call (login, logout, a read of personal data,
 * a reveal, a state change, a refusal, reading the audit log) leaves exactly one row, with time, actor,
 * role, unit, action, target, outcome, client IP, request id and its transaction (for the sealer), and
 * every row ends up in one valid hash chain.
 */
describe('audit completeness: one complete row per sensitive call', () => {
  let t: TestApp;
  let grassroots: OrgUnitRow;
  let caseworker: Actor;
  let admin: Actor;
  let auditor: Actor;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    t = await createTestApp();
    const root = await rootOrgUnit(t.db.dataSource);
    const province = await createOrgUnit(t.db.dataSource, {
      parent: root,
      level: 'province',
      regionCode: '330000',
      name: '浙江省总工会',
    });
    const city = await createOrgUnit(t.db.dataSource, {
      parent: province,
      level: 'city',
      regionCode: '330100',
      name: '杭州市总工会',
    });
    const district = await createOrgUnit(t.db.dataSource, {
      parent: city,
      level: 'district',
      regionCode: '330106',
      name: '西湖区总工会',
    });
    grassroots = await createOrgUnit(t.db.dataSource, {
      parent: district,
      level: 'grassroots',
      regionCode: '330106',
    });
    caseworker = await createActor(t.app, { roles: ['caseworker'], unit: grassroots });
    admin = await createActor(t.app, { roles: ['admin'], unit: district });
    auditor = await createActor(t.app, { roles: ['auditor'], unit: root });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  /** Runs `call` and returns the audit rows it appended. */
  async function rowsOf(call: () => Promise<request.Response>, expectedStatus: number): Promise<Row[]> {
    const cursor = await auditCursor(t.app.get(DataSource));
    const res = await call();
    expect(res.status).toBe(expectedStatus);
    return (await cursor.rowsSince()) as Row[];
  }

  function expectComplete(row: Row, expected: Partial<Row>, actor: Actor | null): void {
    expect(row).toMatchObject(expected);
    expect(row.occurred_at).toBeInstanceOf(Date);
    expect(row.client_ip).toMatch(/127\.0\.0\.1/);
    expect(row.request_id).toBeTruthy();
    expect(row.xid).toMatch(/^[1-9]\d*$/);
    if (actor) {
      expect(row).toMatchObject({
        actor_id: actor.userId,
        actor_username: actor.username,
        actor_kind: actor.kind,
        actor_roles: actor.roles,
        actor_org_unit_id: actor.unit?.id ?? null,
      });
    }
  }

  it('a successful login', async () => {
    const { user, password } = await createUser(t.db.dataSource, { orgUnit: grassroots });
    const rows = await rowsOf(
      () => http().post('/api/v1/auth/login').send({ username: user.username, password }),
      200,
    );
    expect(rows).toHaveLength(1);
    expectComplete(rows[0]!, { action: 'auth.login', outcome: 'success', actor_id: user.id }, null);
  });

  it('a failed login', async () => {
    const { user } = await createUser(t.db.dataSource, { orgUnit: grassroots });
    const rows = await rowsOf(
      () => http().post('/api/v1/auth/login').send({ username: user.username, password: 'Wrong-password-1' }),
      401,
    );
    expect(rows).toHaveLength(1);
    expectComplete(rows[0]!, { action: 'auth.login', outcome: 'failure' }, null);
  });

  it('a logout', async () => {
    const clone = await createActor(t.app, { roles: ['caseworker'], unit: grassroots });
    const rows = await rowsOf(
      () => http().post('/api/v1/auth/logout').set('authorization', `Bearer ${clone.token}`).send({}),
      204,
    );
    expect(rows).toHaveLength(1);
    expectComplete(rows[0]!, { action: 'auth.logout', outcome: 'success' }, clone);
  });

  it('a read of an archive (personal data)', async () => {
    const { archive } = await createArchive(t.db.dataSource, { orgUnitId: grassroots.id }, testCipher());
    const rows = await rowsOf(
      () => http().get(`/api/v1/archives/${archive.id}`).set('authorization', `Bearer ${caseworker.token}`),
      200,
    );
    expect(rows).toHaveLength(1);
    expectComplete(
      rows[0]!,
      { action: 'archive.read', outcome: 'success', target_type: 'archive', target_id: archive.id },
      caseworker,
    );
  });

  it('a reveal of one field, with its reason', async () => {
    const { archive } = await createArchive(t.db.dataSource, { orgUnitId: grassroots.id }, testCipher());
    const rows = await rowsOf(
      () =>
        http()
          .post(`/api/v1/archives/${archive.id}/reveal`)
          .set('authorization', `Bearer ${caseworker.token}`)
          .send({ field: 'headPhone', reason: '电话回访核实家庭情况' }),
      200,
    );
    expect(rows).toHaveLength(1);
    expectComplete(
      rows[0]!,
      { action: 'archive.reveal', outcome: 'success', target_id: archive.id },
      caseworker,
    );
  });

  it('a state change', async () => {
    const { archive } = await createArchive(t.db.dataSource, { orgUnitId: grassroots.id }, testCipher());
    const rows = await rowsOf(
      () =>
        http()
          .post(`/api/v1/archives/${archive.id}/submit`)
          .set('authorization', `Bearer ${caseworker.token}`)
          .send({ version: archive.version }),
      200,
    );
    expect(rows).toHaveLength(1);
    expectComplete(
      rows[0]!,
      { action: 'archive.submit', outcome: 'success', target_id: archive.id },
      caseworker,
    );
  });

  it('a re-verification (复核) of an active archive', async () => {
    const reviewer = await createActor(t.app, { roles: ['reviewer'], unit: grassroots });
    const { archive } = await createArchive(
      t.db.dataSource,
      { orgUnitId: grassroots.id, status: 'active', activatedAt: new Date(Date.now() - 86_400_000) },
      testCipher(),
    );
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const rows = await rowsOf(
      () =>
        http()
          .post(`/api/v1/archives/${archive.id}/reverify`)
          .set('authorization', `Bearer ${reviewer.token}`)
          .send({
            version: archive.version,
            method: 'document_check',
            check: { date: today, checkers: ['王强'], findings: '核查收入证明与低保证，情况属实。' },
          }),
      200,
    );
    expect(rows).toHaveLength(1);
    expectComplete(
      rows[0]!,
      { action: 'archive.reverify', outcome: 'success', target_id: archive.id },
      reviewer,
    );
  });

  it('a relapse (返困): an exited archive reopened', async () => {
    const { archive } = await createArchive(
      t.db.dataSource,
      { orgUnitId: grassroots.id, status: 'exited', flags: ['relapse_watch'] },
      testCipher(),
    );
    const rows = await rowsOf(
      () =>
        http()
          .post(`/api/v1/archives/${archive.id}/reopen`)
          .set('authorization', `Bearer ${caseworker.token}`)
          .send({ version: archive.version, reason: '妻子再次住院，家庭收入锐减' }),
      200,
    );
    expect(rows).toHaveLength(1);
    expectComplete(
      rows[0]!,
      { action: 'archive.reopen', outcome: 'success', target_id: archive.id },
      caseworker,
    );
  });

  it('a change request of an active archive, and its decision', async () => {
    const reviewer = await createActor(t.app, { roles: ['reviewer'], unit: grassroots });
    const { archive } = await createArchive(
      t.db.dataSource,
      { orgUnitId: grassroots.id, status: 'active', activatedAt: new Date() },
      testCipher(),
    );
    let requestId = '';
    const asked = await rowsOf(async () => {
      const res = await http()
        .post(`/api/v1/archives/${archive.id}/change-requests`)
        .set('authorization', `Bearer ${caseworker.token}`)
        .send({
          version: archive.version,
          reason: '户主工资调整，收入略有增加',
          headMonthlyIncomeFen: 90000,
        });
      requestId = res.body.id as string;
      return res;
    }, 201);
    expect(asked).toHaveLength(1);
    expectComplete(
      asked[0]!,
      { action: 'archive.request-change', outcome: 'success', target_id: archive.id },
      caseworker,
    );
    const listed = await rowsOf(
      () =>
        http()
          .get(`/api/v1/archives/${archive.id}/change-requests`)
          .set('authorization', `Bearer ${reviewer.token}`),
      200,
    );
    expect(listed).toHaveLength(1);
    expectComplete(
      listed[0]!,
      { action: 'archive.read', outcome: 'success', target_id: archive.id },
      reviewer,
    );
    const decided = await rowsOf(
      () =>
        http()
          .post(`/api/v1/archives/${archive.id}/change-requests/${requestId}/decide`)
          .set('authorization', `Bearer ${reviewer.token}`)
          .send({ version: archive.version, decision: 'approve' }),
      200,
    );
    expect(decided).toHaveLength(1);
    expectComplete(
      decided[0]!,
      { action: 'archive.decide-change-request', outcome: 'success', target_id: archive.id },
      reviewer,
    );
  });

  it('a permission denial', async () => {
    const rows = await rowsOf(
      () => http().get('/api/v1/audit-logs').set('authorization', `Bearer ${admin.token}`),
      403,
    );
    expect(rows).toHaveLength(1);
    expectComplete(rows[0]!, { action: 'access.denied', outcome: 'denied' }, admin);
  });

  it("an admin's read of an account", async () => {
    const { user } = await createUser(t.db.dataSource, { orgUnit: grassroots });
    const rows = await rowsOf(
      () => http().get(`/api/v1/users/${user.id}`).set('authorization', `Bearer ${admin.token}`),
      200,
    );
    expect(rows).toHaveLength(1);
    expectComplete(rows[0]!, { action: 'user.read', outcome: 'success', target_id: user.id }, admin);
  });

  it("an admin's list of accounts", async () => {
    const rows = await rowsOf(
      () => http().get('/api/v1/users').set('authorization', `Bearer ${admin.token}`),
      200,
    );
    expect(rows).toHaveLength(1);
    expectComplete(rows[0]!, { action: 'user.list', outcome: 'success', target_type: 'user' }, admin);
  });

  it('reading the audit log itself', async () => {
    const rows = await rowsOf(
      () => http().get('/api/v1/audit-logs').set('authorization', `Bearer ${auditor.token}`),
      200,
    );
    expect(rows).toHaveLength(1);
    expectComplete(rows[0]!, { action: 'audit-logs.read', outcome: 'success' }, auditor);
  });

  it('every row it appended is sealed into one valid chain', async () => {
    const rows = await rowsOf(
      () => http().get('/api/v1/audit-logs').set('authorization', `Bearer ${auditor.token}`),
      200,
    );
    const report = await t.app.get(AuditService).verifyChain();
    expect(report).toMatchObject({ ok: true, problems: [], unsealed: { count: 0 } });
    const sealedIds = (await allLinks(t.app.get(DataSource))).map((link) => link.audit_log_id);
    expect(sealedIds).toContain(rows[0]!.id);
    expect(new Set(sealedIds).size).toBe(sealedIds.length);
  });
});
