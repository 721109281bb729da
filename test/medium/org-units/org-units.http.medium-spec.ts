import 'reflect-metadata';
import { AppConfig } from '../../../src/config';
import { JobQueue } from '../../../src/infra/queue';
import { testConfig } from '../../helpers/test-env';
import { Global, Module } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { DomainError, HttpExceptionFilter } from '../../../src/common/errors';
import { createValidationPipe } from '../../../src/common/http/validation.pipe';
import { DemoOrgTree, seedDemoOrgTree } from '../../../src/database/seeds/org-tree.seed';
import { ACCESS_TOKEN_VERIFIER, AccessTokenVerifier } from '../../../src/modules/auth/access-token-verifier';
import { AuthorizationErrorCode } from '../../../src/modules/auth/authorization/authorization.errors';
import { AuditModule } from '../../../src/modules/audit/audit.module';
import { AuthorizationModule } from '../../../src/modules/auth/authorization/authorization.module';
import type { Principal, StaffRole } from '../../../src/modules/auth/principal';
import { OrgUnitEntity } from '../../../src/modules/org-units/org-unit.entity';
import { OrgUnitsModule } from '../../../src/modules/org-units/org-units.module';
import { createTestDatabase, TestDatabase } from '../../helpers/test-database';

/**
 * The org-units HTTP surface behind the real AuthGuard, permission table and audit module, with tokens
 * that simply name a test principal (the auth module's verifier is not needed to check routing, DTOs
 * and scope).
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

function login(unit: OrgUnitEntity, roles: StaffRole[], kind: Principal['kind'] = 'staff'): string {
  const token = `t-${principals.size}`;
  principals.set(token, {
    userId: `00000000-0000-4000-8000-${String(principals.size).padStart(12, '0')}`,
    username: token,
    kind,
    roles,
    orgUnitId: unit.id,
    orgPath: unit.path,
    partnerId: null,
    sessionId: '00000000-0000-4000-8000-0000000000aa',
    restriction: null,
  });
  return `Bearer ${token}`;
}

describe('org-units HTTP API (real guard and permissions, PostgreSQL)', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let tree: DemoOrgTree;
  const http = () => request(app.getHttpServer());
  const deniedActions = async (): Promise<string[]> =>
    (
      await db.dataSource.query(
        `SELECT details->>'action' AS action FROM audit_logs WHERE action = 'access.denied' ORDER BY id`,
      )
    ).map((r: { action: string }) => r.action);

  beforeAll(async () => {
    db = await createTestDatabase();
    tree = await db.dataSource.transaction((m) => seedDemoOrgTree(m));
    const moduleRef = await Test.createTestingModule({
      imports: [TestAuthModule, AuditModule, AuthorizationModule, OrgUnitsModule],
    })
      // DatabaseModule is not mounted: the repository's DataSource is this file's database.
      .useMocker((token) =>
        token === DataSource
          ? db.dataSource
          : token === AppConfig
            ? testConfig()
            : token === JobQueue
              ? { schedule: async () => undefined }
              : undefined,
      )
      .compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
    app.setGlobalPrefix('api/v1');
    app.useGlobalPipes(createValidationPipe());
    app.useGlobalFilters(new HttpExceptionFilter());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  describe('GET /api/v1/org-units', () => {
    it('lists the caller’s subtree with explicit fields only', async () => {
      const res = await http()
        .get('/api/v1/org-units')
        .set('Authorization', login(tree.gongshu, ['caseworker']))
        .expect(200);
      expect(res.body).toMatchObject({ total: 3, page: 1, pageSize: 20 });
      expect(res.body.items[0]).toEqual({
        id: tree.gongshu.id,
        parentId: tree.hangzhou.id,
        name: '杭州市拱墅区总工会',
        industry: false,
        level: 'district',
        regionCode: '330105',
        depth: 3,
        createdAt: tree.gongshu.createdAt.toISOString(),
        updatedAt: tree.gongshu.updatedAt.toISOString(),
      });
    });

    it('applies filters and paging from the query string', async () => {
      const res = await http()
        .get('/api/v1/org-units')
        .query({ level: 'grassroots', q: '联合', page: 1, pageSize: 1 })
        .set('Authorization', login(tree.ningbo, ['reviewer']))
        .expect(200);
      expect(res.body.total).toBe(2);
      expect(res.body.items).toHaveLength(1);
    });

    it.each([
      [{ level: 'village' }, 'level'],
      [{ parentId: 'not-a-uuid' }, 'parentId'],
      [{ pageSize: 1000 }, 'pageSize'],
      [{ extra: 1 }, 'extra'],
    ])('refuses a bad query %j with 400 naming the field', async (query, field) => {
      const res = await http()
        .get('/api/v1/org-units')
        .query(query)
        .set('Authorization', login(tree.xihu, ['admin']))
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    });

    it.each([
      ['an auditor', ['auditor'] as StaffRole[], 'staff' as const],
      ['a worker', [] as StaffRole[], 'worker' as const],
      ['a partner', [] as StaffRole[], 'partner' as const],
    ])('is refused to %s (403 ACCESS_DENIED, audited)', async (_case, roles, kind) => {
      const before = await deniedActions();
      const res = await http()
        .get('/api/v1/org-units')
        .set('Authorization', login(tree.xihu, roles, kind))
        .expect(403);
      expect(res.body.code).toBe('ACCESS_DENIED');
      expect((await deniedActions()).slice(before.length)).toEqual(['org-units.read']);
    });

    it('needs a login', async () => {
      expect((await http().get('/api/v1/org-units').expect(401)).body.code).toBe('AUTH_REQUIRED');
    });
  });

  describe('GET /api/v1/org-units/:id', () => {
    it.each([
      ['own unit', 'xihu', 200, undefined],
      ['child unit', 'xihu-gr-1', 200, undefined],
      ['parent unit', 'hangzhou', 403, 'OUT_OF_SCOPE'],
      ['sibling unit', 'gongshu', 403, 'OUT_OF_SCOPE'],
    ] as Array<[string, keyof DemoOrgTree, number, string | undefined]>)(
      '%s → %s',
      async (_case, key, status, code) => {
        const res = await http()
          .get(`/api/v1/org-units/${tree[key].id}`)
          .set('Authorization', login(tree.xihu, ['approver']))
          .expect(status);
        if (code) expect(res.body.code).toBe(code);
        else expect(res.body.id).toBe(tree[key].id);
      },
    );

    it('404 for an unknown id, 400 for a malformed one', async () => {
      const auth = login(tree.national, ['archivist']);
      const missing = await http()
        .get('/api/v1/org-units/00000000-0000-4000-8000-000000000000')
        .set('Authorization', auth);
      expect([missing.status, missing.body.code]).toEqual([404, 'ORG_UNIT_NOT_FOUND']);
      expect((await http().get('/api/v1/org-units/xyz').set('Authorization', auth)).status).toBe(400);
    });
  });

  describe('POST /api/v1/org-units', () => {
    const body = (parent: OrgUnitEntity, name: string) => ({
      parentId: parent.id,
      name,
      level: 'grassroots',
      regionCode: parent.regionCode,
    });

    it('lets an admin create a unit below its own, at any depth: 201 with the unit', async () => {
      const res = await http()
        .post('/api/v1/org-units')
        .set('Authorization', login(tree.ningbo, ['admin']))
        .send(body(tree.yinzhou, '宁波某某家电有限公司工会'))
        .expect(201);
      expect(res.body).toMatchObject({
        parentId: tree.yinzhou.id,
        level: 'grassroots',
        regionCode: '330212',
        depth: 4,
      });
      expect(res.body.path).toBeUndefined();
    });

    it.each([
      ['a caseworker', ['caseworker'] as StaffRole[]],
      ['an auditor', ['auditor'] as StaffRole[]],
    ])('is refused to %s', async (_case, roles) => {
      const res = await http()
        .post('/api/v1/org-units')
        .set('Authorization', login(tree.ningbo, roles))
        .send(body(tree.yinzhou, '不应创建的工会'))
        .expect(403);
      expect(res.body.code).toBe('ACCESS_DENIED');
    });

    it('refuses an admin outside its subtree with 403 OUT_OF_SCOPE', async () => {
      const res = await http()
        .post('/api/v1/org-units')
        .set('Authorization', login(tree.yinzhou, ['admin']))
        .send(body(tree.haishu, '越权创建的工会'))
        .expect(403);
      expect(res.body.code).toBe('OUT_OF_SCOPE');
    });

    it('answers a rule violation with 422 and safe details', async () => {
      const res = await http()
        .post('/api/v1/org-units')
        .set('Authorization', login(tree.hangzhou, ['admin']))
        .send({ ...body(tree.xihu, '区划不符的工会'), regionCode: '330212' })
        .expect(422);
      expect(res.body).toEqual({
        code: 'ORG_UNIT_REGION_OUTSIDE_PARENT',
        message: '行政区划代码不在上级单位的行政区域内',
        details: {
          level: 'grassroots',
          regionCode: '330212',
          parentLevel: 'district',
          parentRegionCode: '330106',
        },
      });
    });

    it.each([
      [{ level: 'national' }, 'level'],
      [{ regionCode: '33010' }, 'regionCode'],
      [{ name: ' ' }, 'name'],
      [{ name: '某某\n工会' }, 'name'],
      [{ parentId: undefined }, 'parentId'],
      [{ path: '/x/' }, 'path'],
    ])('refuses a bad body %j with 400 naming the field', async (override, field) => {
      const res = await http()
        .post('/api/v1/org-units')
        .set('Authorization', login(tree.national, ['admin']))
        .send({ ...body(tree.xihu, '校验用工会'), ...override })
        .expect(400);
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    });
  });
});
