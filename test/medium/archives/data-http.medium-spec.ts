import { forceArchiveStatus } from '../../helpers/archive-status';
import { UserEntity } from '../../../src/modules/users/user.entity';
import { ArchiveEntity } from '../../../src/modules/archives/archive.entity';
import { DibaoLineEntity } from '../../../src/modules/archives/dibao-lines/dibao-line.entity';
import { repositoryProviders } from '../../helpers/test-database';
import { Global, Module } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Clock, FakeClock } from '../../../src/common/clock/clock';
import { ClockModule } from '../../../src/common/clock/clock.module';
import { CryptoModule } from '../../../src/common/crypto/crypto.module';
import { DomainError, HttpExceptionFilter } from '../../../src/common/errors';
import { createValidationPipe } from '../../../src/common/http/validation.pipe';
import { findUnmaskedPersonalData } from '../../../src/common/masking';
import { makeIdNumber } from '../../../src/common/validation';
import { ConfigModule } from '../../../src/config';
import { DEMO_DIBAO_LINES, seedDibaoLines } from '../../../src/database/seeds/dibao-lines.seed';
import { DemoOrgTree, seedDemoOrgTree } from '../../../src/database/seeds/org-tree.seed';
import { ArchivesController } from '../../../src/modules/archives/archives.controller';
import { ArchivesRepository } from '../../../src/modules/archives/archives.repository';
import { ArchivesService } from '../../../src/modules/archives/archives.service';
import { DibaoLinesController } from '../../../src/modules/archives/dibao-lines/dibao-lines.controller';
import { DibaoLinesRepository } from '../../../src/modules/archives/dibao-lines/dibao-lines.repository';
import { DibaoLinesService } from '../../../src/modules/archives/dibao-lines/dibao-lines.service';
import { AuditModule } from '../../../src/modules/audit/audit.module';
import { ACCESS_TOKEN_VERIFIER, AccessTokenVerifier } from '../../../src/modules/auth/access-token-verifier';
import { AuthorizationErrorCode } from '../../../src/modules/auth/authorization/authorization.errors';
import { AuthorizationModule } from '../../../src/modules/auth/authorization/authorization.module';
import type { Principal, StaffRole } from '../../../src/modules/auth/principal';
import { OrgUnitEntity } from '../../../src/modules/org-units/org-unit.entity';
import { OrgUnitsModule } from '../../../src/modules/org-units/org-units.module';
import { PasswordModule } from '../../../src/modules/users/password';
import { UsersRepository } from '../../../src/modules/users/users.repository';
import { UsersService } from '../../../src/modules/users/users.service';
import { createTestDatabase, TestDatabase } from '../../helpers/test-database';
import { testConfig } from '../../helpers/test-env';
import { householdPlain } from './data-fixtures';
import { JobQueue } from '../../../src/infra/queue/job-queue.service';

/** AuditModule schedules its sealer; nothing runs jobs in this test. */
const QUIET_JOBS = { schedule: async () => undefined, enqueue: async () => ({ id: 'test', created: true }) };

/**
 * The archive data endpoints behind the real AuthGuard, permission table, validation pipe and error
 * filter, on the demo tree (浙江) with the demo 低保 lines; tokens name test principals.
 */
const principals = new Map<string, Principal>();
const verifier: AccessTokenVerifier = {
  async verify(token) {
    const principal = principals.get(token);
    if (!principal) throw new DomainError(AuthorizationErrorCode.AUTH_REQUIRED);
    return principal;
  },
};

@Global()
@Module({
  providers: [{ provide: ACCESS_TOKEN_VERIFIER, useValue: verifier }],
  exports: [ACCESS_TOKEN_VERIFIER],
})
class TestAuthModule {}

function login(unit: OrgUnitEntity, roles: StaffRole[]): string {
  const token = `t-${principals.size}`;
  principals.set(token, {
    userId: `00000000-0000-4000-8000-${String(principals.size).padStart(12, '0')}`,
    username: token,
    kind: 'staff',
    roles,
    orgUnitId: unit.id,
    orgPath: unit.path,
    partnerId: null,
    sessionId: '00000000-0000-4000-8000-0000000000aa',
    restriction: null,
  });
  return `Bearer ${token}`;
}

let seq = 500;
function hangzhouHousehold(): Record<string, unknown> {
  const id = (birthDate: string, gender: 'male' | 'female') =>
    makeIdNumber({
      regionCode: '330106',
      birthDate,
      gender,
      sequence: (seq += 2) + (gender === 'male' ? 1 : 0),
    });
  const plain = householdPlain({ regionCode: '330106', address: '杭州市西湖区文新街道某小区2幢402室' });
  (plain.head as Record<string, unknown>).idNumber = id('1967-08-08', 'male');
  const members = plain.members as Record<string, unknown>[];
  members[0].idNumber = id('1969-10-10', 'female');
  members[1].idNumber = id('2009-09-01', 'female');
  return plain;
}

describe('archive data HTTP API (real guard, pipe and filter; PostgreSQL)', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let tree: DemoOrgTree;
  let caseworker: string;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    db = await createTestDatabase();
    tree = await db.dataSource.transaction((m) => seedDemoOrgTree(m));
    expect(await db.dataSource.transaction((m) => seedDibaoLines(m))).toBe(DEMO_DIBAO_LINES.length);
    // Idempotent: a second run adds nothing.
    expect(await db.dataSource.transaction((m) => seedDibaoLines(m))).toBe(0);
    const config = testConfig({ auth: { password: { hashing: { memoryCost: 1024, timeCost: 1 } } } });
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(config),
        ClockModule,
        CryptoModule,
        TestAuthModule,
        AuditModule,
        AuthorizationModule,
        OrgUnitsModule,
        PasswordModule,
      ],
      controllers: [ArchivesController, DibaoLinesController],
      providers: [
        UsersRepository,
        UsersService,
        ArchivesRepository,
        ArchivesService,
        DibaoLinesRepository,
        DibaoLinesService,
        ...repositoryProviders(db.dataSource, [UserEntity, ArchiveEntity, DibaoLineEntity]),
      ],
    })
      .overrideProvider(Clock)
      .useValue(new FakeClock('2026-11-23T10:00:00+08:00'))
      .useMocker((token) =>
        token === DataSource ? db.dataSource : token === JobQueue ? QUIET_JOBS : undefined,
      )
      .compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
    app.setGlobalPrefix('api/v1');
    app.useGlobalPipes(createValidationPipe());
    app.useGlobalFilters(new HttpExceptionFilter());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    caseworker = login(tree['xihu-gr-1'], ['caseworker']);
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('refuses anonymous calls and roles without the permission', async () => {
    await http().get('/api/v1/archives').expect(401);
    const auditor = login(tree.hangzhou, ['auditor']);
    const res = await http().post('/api/v1/archives').set('Authorization', auditor).send(hangzhouHousehold());
    expect(res.status).toBe(403);
    await http()
      .get('/api/v1/archives')
      .set('Authorization', login(tree.hangzhou, ['admin']))
      .expect(403);
  });

  it('400 with every bad field by its nested path, in Chinese', async () => {
    const plain = hangzhouHousehold();
    (plain.head as Record<string, unknown>).idNumber = '330106196708081234';
    (plain.members as Record<string, unknown>[])[1].schoolingStage = 'kindergarten';
    const res = await http()
      .post('/api/v1/archives')
      .set('Authorization', caseworker)
      .send(plain)
      .expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const fields = res.body.details.fields as { field: string; problems: string[] }[];
    expect(fields.map((f) => f.field).sort()).toEqual(['head.idNumber', 'members.1.schoolingStage']);
    for (const f of fields) expect(f.problems.join('')).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('creates, reads masked (no-store), edits with the version, and 409s on a stale one', async () => {
    const created = await http()
      .post('/api/v1/archives')
      .set('Authorization', caseworker)
      .send(hangzhouHousehold())
      .expect(201);
    expect(created.headers['cache-control']).toBe('no-store');
    expect(created.body).toMatchObject({
      status: 'draft',
      orgUnitName: '杭州某某机械有限公司工会',
      version: 1,
    });
    expect(findUnmaskedPersonalData(created.text)).toEqual([]);

    const read = await http()
      .get(`/api/v1/archives/${created.body.id}`)
      .set('Authorization', login(tree.xihu, ['reviewer']))
      .expect(200);
    expect(read.headers['cache-control']).toBe('no-store');
    expect(read.body.head.idNumber).toMatch(/^330\*{11}\d{3}[\dX]$/);
    expect(findUnmaskedPersonalData(read.text)).toEqual([]);

    await http()
      .patch(`/api/v1/archives/${created.body.id}`)
      .set('Authorization', caseworker)
      .send({ version: 1, skills: '钳工' })
      .expect(200);
    const stale = await http()
      .patch(`/api/v1/archives/${created.body.id}`)
      .set('Authorization', caseworker)
      .send({ version: 1, skills: '无' })
      .expect(409);
    expect(stale.body).toEqual({
      code: 'ARCHIVE_VERSION_CONFLICT',
      message: '档案已被他人修改，请刷新后重试',
      details: { currentVersion: 2 },
    });
    await http()
      .patch(`/api/v1/archives/${created.body.id}`)
      .set('Authorization', caseworker)
      .send({ skills: '无' })
      .expect(400);
    await http().get('/api/v1/archives/not-a-uuid').set('Authorization', caseworker).expect(400);
  });

  it('PATCH with null for a NOT NULL field is a 400 naming it, not a database error', async () => {
    const created = await http()
      .post('/api/v1/archives')
      .set('Authorization', caseworker)
      .send(hangzhouHousehold())
      .expect(201);
    const patch = (body: Record<string, unknown>) =>
      http()
        .patch(`/api/v1/archives/${created.body.id}`)
        .set('Authorization', caseworker)
        .send({ version: 1, ...body });
    const res = await patch({
      hasVehicle: null,
      causes: null,
      category: null,
      regionCode: null,
      head: { name: null, employmentStatus: null, monthlyIncomeFen: null },
      members: [
        {
          id: created.body.members[0].id,
          relation: 'spouse',
          name: null,
          monthlyIncomeFen: 0,
          health: null,
          schoolingStage: 'none',
        },
      ],
    }).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect((res.body.details.fields as { field: string }[]).map((f) => f.field).sort()).toEqual(
      [
        'causes',
        'category',
        'hasVehicle',
        'head.employmentStatus',
        'head.monthlyIncomeFen',
        'head.name',
        'members.0.health',
        'members.0.name',
        'regionCode',
      ].sort(),
    );
    // Nothing was written, and null still clears the fields where it means "none".
    const cleared = await patch({ address: null, head: { phone: null, bankAccount: null } }).expect(200);
    expect(cleared.body).toMatchObject({
      version: 2,
      address: null,
      head: { phone: null, bankAccount: null },
    });
  });

  it('422 lists each failed rule with its code and field; the other unit is named, never the person', async () => {
    const plain = hangzhouHousehold();
    const first = await http()
      .post('/api/v1/archives')
      .set('Authorization', caseworker)
      .send(plain)
      .expect(201);
    // The duplicate rule binds from submission on (a draft reserves no one).
    await forceArchiveStatus(db.dataSource, first.body.id, 'submitted');
    const again = { ...plain, regionCode: '330212' };
    const res = await http()
      .post('/api/v1/archives')
      .set('Authorization', login(tree['yinzhou-gr-1'], ['caseworker']))
      .send(again)
      .expect(422);
    expect(res.body.code).toBe('ARCHIVE_RULES_FAILED');
    expect(res.body.message).toBe('档案未通过业务规则校验');
    const violations = res.body.details.violations as {
      rule: string;
      code: string;
      field: string;
      message: string;
    }[];
    expect(violations.map((v) => `${v.field}:${v.code}`)).toEqual([
      'head.idNumber:HOUSEHOLD_DUPLICATE_ARCHIVE',
      'members.0.idNumber:HOUSEHOLD_DUPLICATE_ARCHIVE',
      'members.1.idNumber:HOUSEHOLD_DUPLICATE_ARCHIVE',
    ]);
    expect(violations[0].message).toContain('杭州某某机械有限公司工会');
    expect(res.text).not.toContain('王建国');
    expect(findUnmaskedPersonalData(res.text)).toEqual([]);
  });

  it('reveal and consents over HTTP', async () => {
    const plain = hangzhouHousehold();
    const created = await http()
      .post('/api/v1/archives')
      .set('Authorization', caseworker)
      .send(plain)
      .expect(201);
    const revealed = await http()
      .post(`/api/v1/archives/${created.body.id}/reveal`)
      .set('Authorization', caseworker)
      .send({ field: 'headIdNumber', reason: '发放救助金核对身份' })
      .expect(200);
    expect(revealed.headers['cache-control']).toBe('no-store');
    expect(revealed.body.value).toBe((plain.head as { idNumber: string }).idNumber);
    await http()
      .post(`/api/v1/archives/${created.body.id}/reveal`)
      .set('Authorization', login(tree['xihu-gr-1'], ['archivist']))
      .send({ field: 'headIdNumber', reason: '发放救助金核对身份' })
      .expect(403);

    const consent = await http()
      .post(`/api/v1/archives/${created.body.id}/consents`)
      .set('Authorization', caseworker)
      .send({
        subject: 'head',
        purpose: 'archive_management',
        kind: 'sensitive',
        textVersion: '2026.1',
        grantedAt: '2026-11-22T15:00:00+08:00',
      })
      .expect(201);
    expect(consent.body).toMatchObject({ subject: 'head', kind: 'sensitive', byGuardian: false });
  });

  it('date bounds: a consent from 1800 or before its subject was born, a 低保 line from 3000, a birth in 1850 → 400', async () => {
    const plain = hangzhouHousehold();
    const members = plain.members as Record<string, unknown>[];
    // A baby born after PIPL took effect: a consent dated between the two is before the subject's birth.
    members[1].idNumber = makeIdNumber({
      regionCode: '330106',
      birthDate: '2023-05-01',
      sequence: (seq += 2),
    });
    members[1].schoolingStage = 'none';
    const created = await http().post('/api/v1/archives').set('Authorization', caseworker).send(plain);
    expect(created.status).toBe(201);
    const baby = (created.body.members as { id: string; birthDate: string }[]).find(
      (m) => m.birthDate === '2023-05-01',
    )!;
    const consent = (body: Record<string, unknown>) =>
      http()
        .post(`/api/v1/archives/${created.body.id}/consents`)
        .set('Authorization', caseworker)
        .send({
          subject: 'head',
          purpose: 'archive_management',
          kind: 'general',
          textVersion: '2026.1',
          ...body,
        });

    const ancient = await consent({ grantedAt: '1800-01-01T00:00:00+08:00' }).expect(400);
    expect(ancient.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: [{ field: 'grantedAt', problems: [expect.stringContaining('2021-11-01')] }] },
    });
    await consent({ grantedAt: '2021-10-31T23:00:00+08:00' }).expect(400);
    const unborn = await consent({
      subject: 'member',
      memberId: baby.id,
      kind: 'sensitive',
      byGuardian: true,
      guardianName: '王建国',
      grantedAt: '2022-06-01T10:00:00+08:00',
    }).expect(400);
    expect(unborn.body.details.fields[0]).toEqual({
      field: 'grantedAt',
      problems: ['签署时间不能早于同意主体的出生日期'],
    });
    await consent({
      subject: 'member',
      memberId: baby.id,
      kind: 'sensitive',
      byGuardian: true,
      guardianName: '王建国',
      grantedAt: '2023-05-02T10:00:00+08:00',
    }).expect(201);

    const farFuture = await http()
      .post('/api/v1/dibao-lines')
      .set('Authorization', login(tree.xihu, ['archivist']))
      .send({ regionCode: '330106', effectiveFrom: '3000-01-01', monthlyAmountFen: 126_000 })
      .expect(400);
    expect(farFuture.body.details.fields[0]).toEqual({
      field: 'effectiveFrom',
      problems: ['起始执行日期须在 2000-01-01 至 一年后 之间'],
    });
    await http()
      .get('/api/v1/dibao-lines/lookup')
      .query({ regionCode: '330106', date: '3000-01-01' })
      .set('Authorization', caseworker)
      .expect(400);

    const oldHead = hangzhouHousehold();
    (oldHead.head as Record<string, unknown>).birthDate = '1850-01-01';
    const refused = await http()
      .post('/api/v1/archives')
      .set('Authorization', caseworker)
      .send(oldHead)
      .expect(400);
    expect(refused.body.details.fields).toContainEqual({
      field: 'head.birthDate',
      problems: ['出生日期须在 1900-01-01 至 今天 之间'],
    });
  });

  it('低保 lines: list, lookup by district → city → province and date, archivist adds one', async () => {
    const reader = login(tree.xihu, ['reviewer']);
    const list = await http()
      .get('/api/v1/dibao-lines')
      .query({ regionPrefix: '3301' })
      .set('Authorization', reader)
      .expect(200);
    // The seeded lines of 杭州 are all there (the other 低保 test adds 西湖区 lines of its own, any order).
    const seeded = DEMO_DIBAO_LINES.filter((l) => l.regionCode.startsWith('3301'));
    expect(seeded.length).toBeGreaterThan(1);
    expect(list.body.items.map((l: { regionCode: string }) => l.regionCode.slice(0, 4))).toEqual(
      list.body.items.map(() => '3301'),
    );
    expect(list.body.items).toEqual(
      expect.arrayContaining(
        seeded.map((l) =>
          expect.objectContaining({ regionCode: l.regionCode, effectiveFrom: l.effectiveFrom }),
        ),
      ),
    );
    expect(list.body.total).toBe(list.body.items.length);
    const lookup = (regionCode: string, date?: string) =>
      http().get('/api/v1/dibao-lines/lookup').query({ regionCode, date }).set('Authorization', reader);
    // 拱墅区 (330105) has no line of its own: today it falls back to the city's.
    expect((await lookup('330105').expect(200)).body).toMatchObject({
      regionCode: '330100',
      monthlyAmountFen: 124_000,
    });
    expect((await lookup('330106', '2026-06-30').expect(200)).body.monthlyAmountFen).toBe(118_000);
    expect((await lookup('330381').expect(200)).body).toMatchObject({
      regionCode: '330000',
      monthlyAmountFen: 110_000,
    });
    expect((await lookup('330106', '2025-01-01').expect(200)).body.monthlyAmountFen).toBe(113_000);
    expect((await lookup('330106', '2023-06-30').expect(404)).body.code).toBe('DIBAO_LINE_NOT_FOUND');
    await lookup('33010').expect(400);
    const before = (await lookup('330106', '2026-11-22').expect(200)).body.monthlyAmountFen;

    const added = await http()
      .post('/api/v1/dibao-lines')
      .set('Authorization', login(tree.xihu, ['archivist']))
      .send({ regionCode: '330106', effectiveFrom: '2026-12-01', monthlyAmountFen: 126_000 })
      .expect(201);
    expect(added.body).toMatchObject({ regionCode: '330106', effectiveFrom: '2026-12-01' });
    expect((await lookup('330106', '2026-12-01').expect(200)).body.monthlyAmountFen).toBe(126_000);
    await http()
      .post('/api/v1/dibao-lines')
      .set('Authorization', caseworker)
      .send({ regionCode: '330106', effectiveFrom: '2027-01-01', monthlyAmountFen: 126_000 })
      .expect(403);
    await http()
      .post('/api/v1/dibao-lines')
      .set('Authorization', login(tree.xihu, ['archivist']))
      .send({ regionCode: '330106', effectiveFrom: '2026-12-01', monthlyAmountFen: 126_000 })
      .expect(409);
    // A grassroots union carries its district's code but does not publish standards.
    const grassroots = await http()
      .post('/api/v1/dibao-lines')
      .set('Authorization', login(tree['xihu-gr-1'], ['archivist']))
      .send({ regionCode: '330106', effectiveFrom: '2027-01-01', monthlyAmountFen: 90_000 })
      .expect(403);
    expect(grassroots.body.code).toBe('ACCESS_DENIED');
    const backdated = await http()
      .post('/api/v1/dibao-lines')
      .set('Authorization', login(tree.xihu, ['archivist']))
      .send({ regionCode: '330106', effectiveFrom: '2026-11-22', monthlyAmountFen: 90_000 })
      .expect(422);
    expect(backdated.body.code).toBe('DIBAO_LINE_BACKDATED');
    expect(backdated.body.message).toMatch(/不能早于今天/);
    expect((await lookup('330106', '2026-11-22').expect(200)).body.monthlyAmountFen).toBe(before);
  });

  it('低保 lines: an approver back-dates with a reason within the window and gets the archives to re-check; a line not yet in force is corrected or withdrawn, audited', async () => {
    const approver = login(tree.xihu, ['approver']);
    const archivist = login(tree.xihu, ['archivist']);
    const post = (who: string, body: Record<string, unknown>) =>
      http().post('/api/v1/dibao-lines').set('Authorization', who).send(body);
    const line = { regionCode: '330106', effectiveFrom: '2026-10-01', monthlyAmountFen: 125_000 };

    // An archive of 西湖区 applied for after the new line's date, judged on the city's line until now.
    const created = await http()
      .post('/api/v1/archives')
      .set('Authorization', caseworker)
      .send(hangzhouHousehold())
      .expect(201);
    await forceArchiveStatus(db.dataSource, created.body.id, 'submitted');
    await db.dataSource.query(`UPDATE archives SET applied_on = '2026-11-01' WHERE id = $1`, [
      created.body.id,
    ]);

    expect(
      (await post(archivist, { ...line, backdateReason: '省厅通知晚于执行日下发' }).expect(422)).body.code,
    ).toBe('DIBAO_LINE_BACKDATED');
    expect((await post(approver, line).expect(422)).body.code).toBe('DIBAO_LINE_BACKDATE_REASON_REQUIRED');
    const tooFar = await post(approver, {
      ...line,
      effectiveFrom: '2026-05-01',
      backdateReason: '省厅通知晚于执行日下发',
    });
    expect(tooFar.status).toBe(422);
    expect(tooFar.body).toMatchObject({
      code: 'DIBAO_LINE_BACKDATE_TOO_FAR',
      details: { earliest: '2026-05-27', maxDays: 180 },
    });
    const backdated = await post(approver, { ...line, backdateReason: '省厅通知晚于执行日下发' }).expect(201);
    expect(backdated.body.recheckArchives).toContainEqual({
      id: created.body.id,
      archiveNo: null,
      status: 'submitted',
      appliedOn: '2026-11-01',
    });
    const [audit] = await db.dataSource.query(
      `SELECT details FROM audit_logs WHERE action = 'dibao-line.create-backdated' AND target_id = $1`,
      [backdated.body.id],
    );
    expect(audit.details).toMatchObject({
      backdateReason: '省厅通知晚于执行日下发',
      recheckArchiveIds: expect.arrayContaining([created.body.id]),
    });

    // A line in force cannot be corrected or withdrawn (archives may have been judged on it).
    const inForce = await http()
      .post(`/api/v1/dibao-lines/${backdated.body.id}/withdraw`)
      .set('Authorization', archivist)
      .send({ reason: '录入错误需要撤回' })
      .expect(409);
    expect(inForce.body.code).toBe('DIBAO_LINE_IN_FORCE');

    // A line not yet in force: corrected (audited, before and after), then withdrawn.
    const future = await post(archivist, {
      regionCode: '330106',
      effectiveFrom: '2027-02-01',
      monthlyAmountFen: 127_000,
    }).expect(201);
    expect(future.body.recheckArchives).toEqual([]);
    const corrected = await http()
      .patch(`/api/v1/dibao-lines/${future.body.id}`)
      .set('Authorization', archivist)
      .send({ effectiveFrom: '2027-03-01', monthlyAmountFen: 128_000, reason: '民政部门更正了执行日期' })
      .expect(200);
    expect(corrected.body).toMatchObject({ effectiveFrom: '2027-03-01', monthlyAmountFen: 128_000 });
    await http()
      .patch(`/api/v1/dibao-lines/${future.body.id}`)
      .set('Authorization', archivist)
      .send({ effectiveFrom: '2026-11-01', reason: '改到已过去的日期' })
      .expect(422);
    await http()
      .patch(`/api/v1/dibao-lines/${future.body.id}`)
      .set('Authorization', login(tree['xihu-gr-1'], ['caseworker']))
      .send({ monthlyAmountFen: 1_000_00, reason: '无权更正的人员' })
      .expect(403);
    await http()
      .post(`/api/v1/dibao-lines/${future.body.id}/withdraw`)
      .set('Authorization', archivist)
      .send({ reason: '该标准文件已被撤销' })
      .expect(204);
    const lookup = await http()
      .get('/api/v1/dibao-lines/lookup')
      .query({ regionCode: '330106', date: '2027-03-15' })
      .set('Authorization', archivist)
      .expect(200);
    expect(lookup.body.monthlyAmountFen).not.toBe(128_000);
    const trail = await db.dataSource.query(
      `SELECT action, details FROM audit_logs WHERE target_id = $1 ORDER BY occurred_at`,
      [future.body.id],
    );
    expect(trail.map((r: { action: string }) => r.action)).toEqual([
      'dibao-line.create',
      'dibao-line.correct',
      'dibao-line.withdraw',
    ]);
    expect(trail[1].details).toMatchObject({
      before: { effectiveFrom: '2027-02-01', monthlyAmountFen: 127_000 },
      after: { effectiveFrom: '2027-03-01', monthlyAmountFen: 128_000 },
      reason: '民政部门更正了执行日期',
    });
    await http()
      .post(`/api/v1/dibao-lines/${future.body.id}/withdraw`)
      .set('Authorization', archivist)
      .send({ reason: '该标准文件已被撤销' })
      .expect(404);
  });
});
