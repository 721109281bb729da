/**
 * GET /api/v1/audit-logs through the real HTTP stack (Fastify, global pipe and filter, AuthGuard with
 * the audit module as its AUTHORIZATION_AUDIT), with tokens resolved by a stand-in verifier. The
 * whole-app e2e with real logins belongs with the auth module's matrix suite.
 */
import { randomUUID } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { configureHttpApp } from '../../../src/bootstrap';
import { ClockModule } from '../../../src/common/clock/clock.module';
import { DomainError } from '../../../src/common/errors';
import { ConfigModule } from '../../../src/config';
import { DatabaseModule } from '../../../src/database/database.module';
import { JobQueue } from '../../../src/infra/queue';
import { AuditSealer } from '../../../src/modules/audit/audit-sealer';
import { AuditModule } from '../../../src/modules/audit/audit.module';
import { ACCESS_TOKEN_VERIFIER, AccessTokenVerifier } from '../../../src/modules/auth/access-token-verifier';
import { AuthorizationErrorCode } from '../../../src/modules/auth/authorization/authorization.errors';
import { AuthorizationModule } from '../../../src/modules/auth/authorization/authorization.module';
import type { Principal } from '../../../src/modules/auth/principal';
import { createTestDatabase, TestDatabase } from '../../helpers/test-database';
import { testConfig } from '../../helpers/test-env';
import { allRows, staffPrincipal } from './audit-fixtures';

const rootUnitId = randomUUID();
const principals: Record<string, Principal> = {
  auditor: staffPrincipal({ roles: ['auditor'], orgUnitId: rootUnitId, orgPath: `/${rootUnitId}/` }),
  caseworker: staffPrincipal({ roles: ['caseworker'], orgUnitId: rootUnitId, orgPath: `/${rootUnitId}/` }),
  admin: staffPrincipal({ roles: ['admin'], orgUnitId: rootUnitId, orgPath: `/${rootUnitId}/` }),
};

const verifier: AccessTokenVerifier = {
  async verify(token) {
    const principal = principals[token];
    if (!principal) throw new DomainError(AuthorizationErrorCode.AUTH_REQUIRED);
    return principal;
  },
};

@Global()
@Module({
  providers: [{ provide: ACCESS_TOKEN_VERIFIER, useValue: verifier }],
  exports: [ACCESS_TOKEN_VERIFIER],
})
class StandInTokensModule {}

/** The sealing job only schedules itself here; the test seals when it chooses. */
@Global()
@Module({
  providers: [{ provide: JobQueue, useValue: { schedule: async () => undefined } }],
  exports: [JobQueue],
})
class StandInJobQueueModule {}

const DTO_KEYS = [
  'action',
  'actorId',
  'actorKind',
  'actorOrgUnitId',
  'actorRoles',
  'actorUsername',
  'chainSeq',
  'clientIp',
  'details',
  'hash',
  'id',
  'occurredAt',
  'outcome',
  'prevHash',
  'requestId',
  'sealed',
  'targetId',
  'targetType',
];

describe('GET /api/v1/audit-logs', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.dataSource.query(
      `INSERT INTO org_units (id, parent_id, name, level, region_code, path) VALUES ($1, NULL, '中华全国总工会', 'national', '100000', $2)`,
      [rootUnitId, `/${rootUnitId}/`],
    );
    const config = testConfig({ database: { url: db.url } });
    @Module({
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(),
        StandInJobQueueModule,
        ClockModule,
        StandInTokensModule,
        AuthorizationModule,
        AuditModule,
      ],
    })
    class HttpTestModule {}
    app = await NestFactory.create<NestFastifyApplication>(HttpTestModule, new FastifyAdapter(), {
      logger: false,
    });
    configureHttpApp(app, config);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('serves an auditor the page with exactly the listed fields, no-store, and records the read', async () => {
    const res = await http()
      .get('/api/v1/audit-logs?action=audit-logs.*&pageSize=5')
      .set('authorization', 'Bearer auditor')
      .expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({ page: 1, pageSize: 5, total: expect.any(Number) });
    // The listing is recorded before the query runs, so it lists itself, newest first.
    const [item] = res.body.items as Record<string, unknown>[];
    expect(Object.keys(item).sort()).toEqual(DTO_KEYS);
    expect(item).toMatchObject({
      id: expect.stringMatching(/^\d+$/),
      actorId: principals.auditor.userId,
      actorRoles: ['auditor'],
      action: 'audit-logs.read',
      outcome: 'success',
      clientIp: expect.any(String),
      requestId: expect.any(String),
      // Listed before the sealer has run: not in the chain yet.
      sealed: false,
      chainSeq: null,
      prevHash: null,
      hash: null,
      details: { filters: { action: 'audit-logs.*' }, page: 1, pageSize: 5, scope: 'all' },
    });
    expect(new Date(item.occurredAt as string).toISOString()).toBe(item.occurredAt);
  });

  it('shows a row as sealed, with its place and links in the chain, once the sealer has run', async () => {
    await http().get('/api/v1/audit-logs?pageSize=1').set('authorization', 'Bearer auditor').expect(200);
    await app.get(AuditSealer).seal({ wait: true });
    const res = await http()
      .get('/api/v1/audit-logs?action=audit-logs.read&pageSize=100')
      .set('authorization', 'Bearer auditor')
      .expect(200);
    const items = res.body.items as Record<string, unknown>[];
    // Newest first: this very listing is not sealed yet, every earlier one is.
    expect(items[0]).toMatchObject({ sealed: false, chainSeq: null, hash: null });
    const sealed = items.slice(1);
    expect(sealed.length).toBeGreaterThan(0);
    for (const item of sealed) {
      expect(item).toMatchObject({
        sealed: true,
        chainSeq: expect.stringMatching(/^\d+$/),
        prevHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    }
    // Exactly the link the chain holds for that row.
    const links: { id: string; seq: string; prevHash: string; hash: string }[] = await db.dataSource.query(
      `SELECT audit_log_id::text AS id, seq::text AS seq, prev_hash AS "prevHash", hash FROM audit_chain
        WHERE audit_log_id = ANY($1::bigint[])`,
      [sealed.map((item) => item.id)],
    );
    expect(links).toHaveLength(sealed.length);
    for (const link of links) {
      expect(sealed.find((item) => item.id === link.id)).toMatchObject({
        chainSeq: link.seq,
        prevHash: link.prevHash,
        hash: link.hash,
      });
    }
  });

  it.each(['caseworker', 'admin'])(
    'refuses a %s with 403 and records access.denied with the route',
    async (who) => {
      const res = await http().get('/api/v1/audit-logs').set('authorization', `Bearer ${who}`).expect(403);
      expect(res.body).toMatchObject({ code: 'ACCESS_DENIED' });
      const rows = await allRows(db.dataSource);
      expect(rows[rows.length - 1]).toMatchObject({
        actor_id: principals[who].userId,
        action: 'access.denied',
        outcome: 'denied',
        target_type: 'route',
        target_id: '/api/v1/audit-logs',
        details: { action: 'audit-logs.read', route: '/api/v1/audit-logs' },
        client_ip: expect.any(String),
        request_id: expect.any(String),
      });
    },
  );

  it('answers 401 without a token', async () => {
    await http().get('/api/v1/audit-logs').expect(401);
  });

  it.each([
    ['a malformed action', 'action=AUTH'],
    ['a star in the middle', 'action=auth.*.x'],
    ['an unknown outcome', 'outcome=maybe'],
    ['a non-date from', 'from=yesterday'],
    ['an impossible date', 'to=2026-02-30'],
    ['a non-uuid actor', 'actorId=42'],
    ['an oversized page', 'pageSize=101'],
    ['an unknown filter', 'actorIdNumber=1'],
  ])('answers 400 VALIDATION_FAILED to %s', async (_name, qs) => {
    const res = await http()
      .get(`/api/v1/audit-logs?${qs}`)
      .set('authorization', 'Bearer auditor')
      .expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('answers 400 AUDIT_LOG_RANGE_INVALID when from is after to', async () => {
    const res = await http()
      .get('/api/v1/audit-logs?from=2026-03-03&to=2026-03-02')
      .set('authorization', 'Bearer auditor')
      .expect(400);
    expect(res.body.code).toBe('AUDIT_LOG_RANGE_INVALID');
  });

  it('filters and pages newest first over HTTP', async () => {
    const url = '/api/v1/audit-logs?action=access.denied&outcome=denied&page=1&pageSize=1';
    const before = await http().get(url).set('authorization', 'Bearer auditor').expect(200);
    await http().get('/api/v1/audit-logs').set('authorization', 'Bearer caseworker').expect(403);
    await http().get('/api/v1/audit-logs').set('authorization', 'Bearer admin').expect(403);
    const res = await http().get(url).set('authorization', 'Bearer auditor').expect(200);
    expect(res.body.total).toBe((before.body.total as number) + 2);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0].actorId).toBe(principals.admin.userId);
  });
});
