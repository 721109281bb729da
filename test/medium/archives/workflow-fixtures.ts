import { DynamicModule, Global, Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { validateAs } from '../../../src/common/http/validation.pipe';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Clock, FakeClock } from '../../../src/common/clock/clock';
import { ClockModule } from '../../../src/common/clock/clock.module';
import { DomainError } from '../../../src/common/errors';
import { CryptoModule } from '../../../src/common/crypto/crypto.module';
import { ConfigModule } from '../../../src/config';
import { JobQueue } from '../../../src/infra/queue/job-queue.service';
import { ArchiveWorkflowService } from '../../../src/modules/archives/archive-workflow.service';
import { ArchivesModule } from '../../../src/modules/archives/archives.module';
import { AuditModule } from '../../../src/modules/audit/audit.module';
import { AuthorizationService } from '../../../src/modules/auth/authorization/authorization.service';
import type { Principal, StaffRole } from '../../../src/modules/auth/principal';
import type { OrgLevel } from '../../../src/modules/org-units/org-unit.entity';
import { createUser } from '../../helpers/factories/users.factory';
import { createTestDatabase, TestDatabase } from '../../helpers/test-database';
import { testConfig } from '../../helpers/test-env';

/**
 * A tree with two grassroots unions under one district, and a second city:
 *
 *   national ── province 浙江省总工会
 *               ├─ city 杭州市总工会 ── district 西湖区总工会 ─┬─ grassroots 杭州绿源纺织有限公司工会 (330106)
 *               │                                              └─ grassroots2 西湖电子厂工会 (330106)
 *               └─ city2 宁波市总工会 ── grassroots3 宁波港务工会 (330203)
 */
export interface UnitRow {
  id: string;
  path: string;
  parentId: string | null;
  name: string;
}

export interface WorkflowTree {
  national: UnitRow;
  province: UnitRow;
  city: UnitRow;
  district: UnitRow;
  grassroots: UnitRow;
  grassroots2: UnitRow;
  city2: UnitRow;
  grassroots3: UnitRow;
}

export async function seedWorkflowTree(dataSource: DataSource): Promise<WorkflowTree> {
  const insert = async (name: string, level: OrgLevel, regionCode: string, parent: UnitRow | null) => {
    const id = randomUUID();
    const path = `${parent?.path ?? '/'}${id}/`;
    await dataSource.query(
      `INSERT INTO org_units (id, parent_id, name, level, region_code, path) VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, parent?.id ?? null, name, level, regionCode, path],
    );
    return { id, path, parentId: parent?.id ?? null, name };
  };
  const national = await insert('中华全国总工会', 'national', '100000', null);
  const province = await insert('浙江省总工会', 'province', '330000', national);
  const city = await insert('杭州市总工会', 'city', '330100', province);
  const district = await insert('西湖区总工会', 'district', '330106', city);
  const grassroots = await insert('杭州绿源纺织有限公司工会', 'grassroots', '330106', district);
  const grassroots2 = await insert('西湖电子厂工会', 'grassroots', '330106', district);
  const city2 = await insert('宁波市总工会', 'city', '330200', province);
  const grassroots3 = await insert('宁波港务工会', 'grassroots', '330203', city2);
  return { national, province, city, district, grassroots, grassroots2, city2, grassroots3 };
}

/** A real account (so history shows its name) and the principal AuthGuard would build for it. */
export async function staff(
  dataSource: DataSource,
  unit: UnitRow,
  roles: StaffRole[],
  displayName = '测试人员',
): Promise<Principal> {
  const { user } = await createUser(dataSource, {
    roles,
    displayName,
    orgUnit: { id: unit.id, name: unit.name, level: 'grassroots', path: unit.path, parentId: unit.parentId },
  });
  return principal(user.id, user.username, 'staff', roles, unit);
}

export async function worker(
  dataSource: DataSource,
  unit: UnitRow,
  displayName = '张建明',
): Promise<Principal> {
  const { user } = await createUser(dataSource, {
    kind: 'worker',
    roles: [],
    displayName,
    orgUnit: { id: unit.id, name: unit.name, level: 'grassroots', path: unit.path, parentId: unit.parentId },
  });
  return principal(user.id, user.username, 'worker', [], unit);
}

function principal(
  userId: string,
  username: string,
  kind: Principal['kind'],
  roles: StaffRole[],
  unit: UnitRow,
): Principal {
  return {
    userId,
    username,
    kind,
    roles,
    orgUnitId: unit.id,
    orgPath: unit.path,
    partnerId: null,
    sessionId: randomUUID(),
    restriction: null,
  };
}

/** Builds a DTO exactly as the global ValidationPipe would; throws with the failing properties. */
export function dto<T extends object>(cls: new () => T, plain: Record<string, unknown>): T {
  const { value: instance, errors } = validateAs(cls, plain);
  if (errors.length > 0) {
    const props = errors.flatMap((e) => [
      e.property,
      ...(e.children ?? []).map((c) => `${e.property}.${c.property}`),
    ]);
    throw new Error(`invalid ${cls.name}: ${props.join(', ')}`);
  }
  return instance;
}

/** The property names a DTO refuses (empty when valid). */
export function dtoErrors<T extends object>(cls: new () => T, plain: Record<string, unknown>): string[] {
  return validateAs(cls, plain).errors.map((e) => e.property);
}

/** The DomainError a promise rejects with (fails the test if it resolves or throws something else). */
export async function domainError(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, but the call succeeded');
}

/** The app's global modules for a testing module: the test's DataSource, AuthorizationService, a quiet JobQueue. */
@Global()
@Module({})
class WorkflowTestGlobals {
  static forRoot(dataSource: DataSource): DynamicModule {
    const jobs = { schedule: async () => undefined, enqueue: async () => ({ id: 'test', created: true }) };
    return {
      module: WorkflowTestGlobals,
      providers: [
        { provide: DataSource, useValue: dataSource },
        AuthorizationService,
        { provide: JobQueue, useValue: jobs },
      ],
      exports: [DataSource, AuthorizationService, JobQueue],
    };
  }
}

export interface WorkflowHarness {
  db: TestDatabase;
  moduleRef: TestingModule;
  workflow: ArchiveWorkflowService;
  clock: FakeClock;
  tree: WorkflowTree;
  close(): Promise<void>;
}

/**
 * ArchivesModule (data side and workflow) on a fresh database with a FakeClock standing on Monday
 * 2 March 2026, 09:00 China time. `overrides` are applied to the test configuration.
 */
export async function workflowHarness(overrides: Record<string, unknown> = {}): Promise<WorkflowHarness> {
  const db = await createTestDatabase();
  const clock = new FakeClock('2026-03-02T09:00:00+08:00');
  const config = testConfig({
    auth: { password: { hashing: { memoryCost: 1024, timeCost: 1 } } },
    ...overrides,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config),
      WorkflowTestGlobals.forRoot(db.dataSource),
      ClockModule,
      CryptoModule,
      AuditModule,
      ArchivesModule,
    ],
  })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  await moduleRef.init();
  const tree = await seedWorkflowTree(db.dataSource);
  return {
    db,
    moduleRef,
    workflow: moduleRef.get(ArchiveWorkflowService),
    clock,
    tree,
    async close() {
      await moduleRef.close();
      await db.drop();
    },
  };
}

export interface AuditRow {
  action: string;
  outcome: string;
  actor_id: string | null;
  actor_kind: string | null;
  target_id: string | null;
  details: Record<string, unknown>;
}

export function auditRows(dataSource: DataSource, targetId: string, action?: string): Promise<AuditRow[]> {
  return dataSource.query(
    `SELECT action, outcome, actor_id, actor_kind, target_id, details FROM audit_logs
      WHERE target_id = $1 AND ($2::text IS NULL OR action = $2) ORDER BY id`,
    [targetId, action ?? null],
  );
}

export interface EventRow {
  command: string;
  decision: string | null;
  from_status: string;
  to_status: string;
  actor_id: string | null;
  actor_role: string;
  reasons: string[];
  note: string | null;
  visit: unknown;
  details: Record<string, unknown>;
}

export function eventRows(dataSource: DataSource, archiveId: string): Promise<EventRow[]> {
  return dataSource.query(
    `SELECT command, decision, from_status, to_status, actor_id, actor_role, reasons, note, visit, details
       FROM archive_events WHERE archive_id = $1 ORDER BY seq`,
    [archiveId],
  );
}

export async function archiveRow(
  dataSource: DataSource,
  id: string,
): Promise<{
  status: string;
  version: number;
  org_unit_id: string;
  archive_no: string | null;
  flags: string[];
  kind: string;
}> {
  const [row] = await dataSource.query(
    `SELECT status, version, org_unit_id, archive_no, flags, kind FROM archives WHERE id = $1`,
    [id],
  );
  return row;
}
