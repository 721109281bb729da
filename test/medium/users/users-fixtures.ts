import { DynamicModule, Global, Module } from '@nestjs/common';
import { validateAs } from '../../../src/common/http/validation.pipe';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { JobQueue } from '../../../src/infra/queue/job-queue.service';
import { AuthorizationService } from '../../../src/modules/auth/authorization/authorization.service';
import type { OrgLevel } from '../../../src/modules/org-units/org-unit.entity';
import type { Principal } from '../../../src/modules/auth/principal';
import type { UserResponseDto } from '../../../src/modules/users/dto/user.response.dto';

/**
 * A small tree, all paths real materialized paths:
 *
 *   national 全总
 *   └─ province 省总工会
 *      ├─ cityA 甲市总工会 ── districtA 甲区总工会 ── grassrootsA 甲厂工会
 *      └─ cityB 乙市总工会 ── grassrootsB 乙厂工会
 */
export interface OrgTree {
  national: UnitRow;
  province: UnitRow;
  cityA: UnitRow;
  districtA: UnitRow;
  grassrootsA: UnitRow;
  cityB: UnitRow;
  grassrootsB: UnitRow;
}

export interface UnitRow {
  id: string;
  path: string;
  level: OrgLevel;
}

export async function seedOrgTree(dataSource: DataSource): Promise<OrgTree> {
  const insert = async (name: string, level: OrgLevel, regionCode: string, parent: UnitRow | null) => {
    const id = randomUUID();
    const path = `${parent?.path ?? '/'}${id}/`;
    await dataSource.query(
      `INSERT INTO org_units (id, parent_id, name, level, region_code, path) VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, parent?.id ?? null, name, level, regionCode, path],
    );
    return { id, path, level };
  };
  const national = await insert('中华全国总工会', 'national', '100000', null);
  const province = await insert('江苏省总工会', 'province', '320000', national);
  const cityA = await insert('南京市总工会', 'city', '320100', province);
  const districtA = await insert('玄武区总工会', 'district', '320102', cityA);
  const grassrootsA = await insert('南京熊猫电子集团工会', 'grassroots', '320102', districtA);
  const cityB = await insert('苏州市总工会', 'city', '320500', province);
  const grassrootsB = await insert('苏州纺织厂工会', 'grassroots', '320505', cityB);
  return { national, province, cityA, districtA, grassrootsA, cityB, grassrootsB };
}

/** An admin principal at `unit`, as AuthGuard would build it. */
export function adminAt(unit: UnitRow, userId: string = randomUUID(), username = 'admin.test'): Principal {
  return {
    userId,
    username,
    kind: 'staff',
    roles: ['admin'],
    orgUnitId: unit.id,
    orgPath: unit.path,
    partnerId: null,
    sessionId: randomUUID(),
    restriction: null,
  };
}

export function principalOf(user: UserResponseDto, unit: UnitRow): Principal {
  return { ...adminAt(unit, user.id, user.username), roles: user.roles };
}

/** Builds a DTO exactly as the global ValidationPipe would (transforms applied, invalid input refused). */
export function dto<T extends object>(cls: new () => T, plain: Record<string, unknown>): T {
  const { value, errors } = validateAs(cls, plain);
  if (errors.length > 0) throw new Error(`invalid ${cls.name}: ${errors.map((e) => e.property).join(', ')}`);
  return value;
}

/**
 * What the application's global modules provide, for a testing module: the test's DataSource,
 * AuthorizationService without AuthorizationModule's guard (services are called directly, no HTTP), and a
 * quiet JobQueue (AuditModule schedules its sealer; nothing runs jobs here).
 */
@Global()
@Module({})
export class TestGlobalsModule {
  static forRoot(dataSource: DataSource): DynamicModule {
    const jobs = { schedule: async () => undefined, enqueue: async () => ({ id: 'test', created: true }) };
    return {
      module: TestGlobalsModule,
      providers: [
        { provide: DataSource, useValue: dataSource },
        AuthorizationService,
        { provide: JobQueue, useValue: jobs },
      ],
      exports: [DataSource, AuthorizationService, JobQueue],
    };
  }
}

export async function auditRows(
  dataSource: DataSource,
  where: { action?: string; targetId?: string } = {},
): Promise<
  Array<{
    action: string;
    outcome: string;
    actor_id: string | null;
    target_id: string | null;
    details: Record<string, unknown>;
  }>
> {
  return dataSource.query(
    `SELECT action, outcome, actor_id, target_id, details FROM audit_logs
      WHERE ($1::text IS NULL OR action = $1) AND ($2::text IS NULL OR target_id = $2)
      ORDER BY id`,
    [where.action ?? null, where.targetId ?? null],
  );
}
