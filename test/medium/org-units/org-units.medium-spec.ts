import 'reflect-metadata';
import { AuditSealer } from '../../../src/modules/audit/audit-sealer';
import { repositoryProviders } from '../../helpers/test-database';
import { AppConfig } from '../../../src/config';
import { testConfig } from '../../helpers/test-env';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { DomainError } from '../../../src/common/errors';
import { seedDemoOrgTree, DemoOrgTree } from '../../../src/database/seeds/org-tree.seed';
import { Clock } from '../../../src/common/clock/clock';
import { AuditRepository } from '../../../src/modules/audit/audit.repository';
import { AuditService } from '../../../src/modules/audit/audit.service';
import { AuthorizationService } from '../../../src/modules/auth/authorization/authorization.service';
import type { Principal, StaffRole } from '../../../src/modules/auth/principal';
import { OrgUnitEntity } from '../../../src/modules/org-units/org-unit.entity';
import { createOrgUnitChecked } from '../../../src/modules/org-units/org-unit-creation';
import { OrgUnitsRepository } from '../../../src/modules/org-units/org-units.repository';
import {
  CreateOrgUnitInput,
  OrgUnitsService,
  SubtreeQuery,
} from '../../../src/modules/org-units/org-units.service';
import { createTestDatabase, TestDatabase } from '../../helpers/test-database';

function staff(unit: OrgUnitEntity, roles: StaffRole[] = ['caseworker']): Principal {
  return {
    userId: '00000000-0000-4000-8000-000000000001',
    username: `staff-${unit.regionCode}`,
    kind: 'staff',
    roles,
    orgUnitId: unit.id,
    orgPath: unit.path,
    partnerId: null,
    sessionId: '00000000-0000-4000-8000-0000000000aa',
    restriction: null,
  };
}

function query(overrides: Partial<SubtreeQuery> = {}): SubtreeQuery {
  return { page: 1, pageSize: 100, ...overrides };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  throw new Error('expected a DomainError, the call succeeded');
}

describe('OrgUnitsService (PostgreSQL)', () => {
  let db: TestDatabase;
  let service: OrgUnitsService;
  let repository: OrgUnitsRepository;
  let tree: DemoOrgTree;

  /** A database of its own with the demo tree, and the service on it. */
  async function setup(): Promise<{
    db: TestDatabase;
    service: OrgUnitsService;
    repository: OrgUnitsRepository;
    tree: DemoOrgTree;
  }> {
    const fresh = await createTestDatabase();
    const moduleRef = await Test.createTestingModule({
      providers: [
        OrgUnitsRepository,
        OrgUnitsService,
        AuthorizationService,
        AuditService,
        AuditRepository,
        AuditSealer,
        Clock,
        { provide: AppConfig, useValue: testConfig() },
        { provide: DataSource, useValue: fresh.dataSource },
        ...repositoryProviders(fresh.dataSource, [OrgUnitEntity]),
      ],
    }).compile();
    return {
      db: fresh,
      service: moduleRef.get(OrgUnitsService),
      repository: moduleRef.get(OrgUnitsRepository),
      tree: await fresh.dataSource.transaction((manager) => seedDemoOrgTree(manager)),
    };
  }
  /**
   * Blocks that add units work on a database of their own, so the blocks that read the demo tree see
   * it as seeded whatever order the tests run in (--randomize).
   */
  function onOwnDatabase(): void {
    let shared: Awaited<ReturnType<typeof setup>>;
    beforeAll(async () => {
      shared = { db, service, repository, tree };
      ({ db, service, repository, tree } = await setup());
    });
    afterAll(async () => {
      await db.drop();
      ({ db, service, repository, tree } = shared);
    });
  }

  beforeAll(async () => {
    ({ db, service, repository, tree } = await setup());
  });
  afterAll(async () => {
    await db?.drop();
  });

  const ids = (units: OrgUnitEntity[]) => units.map((u) => u.id).sort();
  const allUnits = () => db.dataSource.getRepository(OrgUnitEntity).find();
  type AuditRow = {
    action: string;
    outcome: string;
    actorId: string;
    targetType: string;
    targetId: string;
    details: Record<string, unknown>;
  };
  const auditRows = (): Promise<AuditRow[]> =>
    db.dataSource.query(
      `SELECT action, outcome, actor_id AS "actorId", target_type AS "targetType", target_id AS "targetId", details
         FROM audit_logs ORDER BY id`,
    );

  describe('subtree', () => {
    it('returns exactly the units at or below the root, nothing beside or above', async () => {
      const page = await service.listSubtree(tree.hangzhou.path, query());
      const expected = (await allUnits()).filter((u) => u.path.startsWith(tree.hangzhou.path));
      expect(ids(page.items)).toEqual(ids(expected));
      expect(ids(page.items)).toEqual(
        ids([
          tree.hangzhou,
          tree.xihu,
          tree.gongshu,
          tree['xihu-gr-1'],
          tree['xihu-gr-2'],
          tree['xihu-gr-3'],
          tree['gongshu-gr-1'],
          tree['gongshu-gr-2'],
          tree['hangzhou-gr-direct'],
        ]),
      );
      expect(page.total).toBe(9);
    });

    it('lists top down: the root first, then each level by region code', async () => {
      const page = await service.listSubtree(tree.ningbo.path, query());
      expect(page.items.map((u) => u.level)).toEqual([
        'city',
        'district',
        'district',
        'grassroots',
        'grassroots',
        'grassroots',
        'grassroots',
        'grassroots',
        'branch',
      ]);
      expect(page.items[1].regionCode < page.items[2].regionCode).toBe(true);
    });

    it.each([
      ['level', { level: 'district' as const }, ['xihu', 'gongshu']],
      ['parentId', { parentIdKey: 'gongshu' }, ['gongshu-gr-1', 'gongshu-gr-2']],
      ['name contains', { q: '机械' }, ['xihu-gr-1']],
      ['name contains, case- and wildcard-safe', { q: '%' }, []],
      [
        'level and name together',
        { level: 'grassroots' as const, q: '联合工会' },
        ['xihu-gr-2', 'gongshu-gr-2'],
      ],
    ] as Array<
      [string, Partial<SubtreeQuery> & { parentIdKey?: keyof DemoOrgTree }, Array<keyof DemoOrgTree>]
    >)('filters by %s within the subtree', async (_case, { parentIdKey, ...filter }, expectedKeys) => {
      const parentId = parentIdKey ? tree[parentIdKey].id : undefined;
      const page = await service.listSubtree(tree.hangzhou.path, query({ ...filter, parentId }));
      expect(ids(page.items)).toEqual(ids(expectedKeys.map((k) => tree[k])));
    });

    it('a parentId outside the subtree yields nothing (the subtree bounds every filter)', async () => {
      const page = await service.listSubtree(tree.xihu.path, query({ parentId: tree.ningbo.id }));
      expect(page.items).toEqual([]);
      expect(page.total).toBe(0);
    });

    it('pages with a total', async () => {
      const first = await service.listSubtree(tree.zhejiang.path, query({ pageSize: 5 }));
      const last = await service.listSubtree(tree.zhejiang.path, query({ pageSize: 5, page: 5 }));
      expect(first).toMatchObject({ total: 21, page: 1, pageSize: 5 });
      expect(first.items).toHaveLength(5);
      expect(last.items).toHaveLength(1);
    });
  });

  describe('lookups for other modules', () => {
    it('findById / findByIds / pathOf', async () => {
      expect((await service.findById(tree.xihu.id))?.name).toBe('杭州市西湖区总工会');
      expect(await service.findById('00000000-0000-4000-8000-000000000000')).toBeNull();
      const found = await service.findByIds([tree.xihu.id, tree.haishu.id, tree.xihu.id]);
      expect(ids(found)).toEqual(ids([tree.xihu, tree.haishu]));
      expect(await service.findByIds([])).toEqual([]);
      expect(await service.pathOf(tree['xihu-gr-1'].id)).toBe(
        `/${tree.national.id}/${tree.zhejiang.id}/${tree.hangzhou.id}/${tree.xihu.id}/${tree['xihu-gr-1'].id}/`,
      );
      expect(await service.pathOf('00000000-0000-4000-8000-000000000000')).toBeNull();
    });

    it('ancestors are root first, without the unit itself', async () => {
      const chain = await service.ancestors(tree['yinzhou-gr-2'].id);
      expect(chain.map((u) => u.id)).toEqual([
        tree.national.id,
        tree.zhejiang.id,
        tree.ningbo.id,
        tree.yinzhou.id,
      ]);
      expect(await service.ancestors(tree.national.id)).toEqual([]);
      expect(await codeOf(service.ancestors('00000000-0000-4000-8000-000000000000'))).toBe(
        'ORG_UNIT_NOT_FOUND',
      );
    });

    it('isAncestorOrSelf follows the tree', () => {
      expect(service.isAncestorOrSelf(tree.hangzhou.path, tree['xihu-gr-1'].path)).toBe(true);
      expect(service.isAncestorOrSelf(tree.hangzhou.path, tree.hangzhou.path)).toBe(true);
      expect(service.isAncestorOrSelf(tree.hangzhou.path, tree['yinzhou-gr-1'].path)).toBe(false);
      expect(service.isAncestorOrSelf(tree.xihu.path, tree.hangzhou.path)).toBe(false);
    });
  });

  describe('scope of the caller', () => {
    it.each([
      ['its own unit', 'xihu', 'xihu', null],
      ['a child unit', 'xihu', 'xihu-gr-2', null],
      ['a unit two levels down', 'hangzhou', 'xihu-gr-2', null],
      ['its parent unit', 'xihu', 'hangzhou', 'OUT_OF_SCOPE'],
      ['a sibling unit', 'xihu', 'gongshu', 'OUT_OF_SCOPE'],
      ["a sibling's child", 'xihu', 'gongshu-gr-1', 'OUT_OF_SCOPE'],
      ['a unit in another city', 'hangzhou', 'haishu', 'OUT_OF_SCOPE'],
    ] as Array<[string, keyof DemoOrgTree, keyof DemoOrgTree, string | null]>)(
      'staff of a unit reading %s → %s',
      async (_case, own, target, expected) => {
        const read = service.getForPrincipal(staff(tree[own]), tree[target].id);
        if (expected === null) expect((await read).id).toBe(tree[target].id);
        else expect(await codeOf(read)).toBe(expected);
      },
    );

    it('a refused read is audited as access.denied with the unit as target', async () => {
      const before = (await auditRows()).length;
      await codeOf(service.getForPrincipal(staff(tree.xihu), tree.haishu.id));
      expect((await auditRows()).slice(before)).toEqual([
        expect.objectContaining({
          action: 'access.denied',
          targetId: tree.haishu.id,
          details: { action: 'org-units.read', code: 'OUT_OF_SCOPE' },
        }),
      ]);
    });

    it('a unit that does not exist is 404', async () => {
      expect(
        await codeOf(service.getForPrincipal(staff(tree.national), '00000000-0000-4000-8000-000000000000')),
      ).toBe('ORG_UNIT_NOT_FOUND');
    });

    it('lists only the caller’s own subtree', async () => {
      const page = await service.listForPrincipal(staff(tree.yinzhou), query());
      expect(ids(page.items)).toEqual(
        ids([
          tree.yinzhou,
          tree['yinzhou-gr-1'],
          tree['yinzhou-gr-2'],
          tree['yinzhou-gr-3'],
          tree['yinzhou-gr-3-branch-1'],
        ]),
      );
    });

    it.each([
      ['a worker', { kind: 'worker' as const, roles: [] }],
      ['a partner', { kind: 'partner' as const, roles: [] }],
      ['staff without a unit', { orgUnitId: null, orgPath: null }],
    ])('%s has no scope in the tree', async (_case, overrides) => {
      const principal = { ...staff(tree.national), ...overrides };
      expect(await codeOf(service.listForPrincipal(principal, query()))).toBe('OUT_OF_SCOPE');
    });
  });

  describe('create', () => {
    onOwnDatabase();
    const input = (
      parent: OrgUnitEntity,
      overrides: Partial<CreateOrgUnitInput> = {},
    ): CreateOrgUnitInput => ({
      parentId: parent.id,
      name: `西湖区某某社区联合工会${Math.random().toString(36).slice(2, 8)}`,
      level: 'grassroots',
      regionCode: parent.regionCode,
      ...overrides,
    });

    it('creates a child with its materialized path, at any depth inside the admin’s subtree', async () => {
      const admin = staff(tree.hangzhou, ['admin']);
      const created = await service.create(admin, input(tree.xihu, { name: '  杭州某某电子有限公司工会  ' }));
      expect(created).toMatchObject({
        parentId: tree.xihu.id,
        level: 'grassroots',
        regionCode: '330106',
        name: '杭州某某电子有限公司工会',
        path: `${tree.xihu.path}${created.id}/`,
      });
      const audited = (await auditRows()).filter((r) => r.targetId === created.id);
      expect(audited).toEqual([
        {
          action: 'org-unit.create',
          outcome: 'success',
          actorId: admin.userId,
          targetType: 'org-unit',
          targetId: created.id,
          details: { parentId: tree.xihu.id, level: 'grassroots', regionCode: '330106', industry: false },
        },
      ]);
      const stored = await db.dataSource.getRepository(OrgUnitEntity).findOneByOrFail({ id: created.id });
      expect(stored.path).toBe(created.path);
      expect(
        (await service.listSubtree(tree.xihu.path, query({ q: '电子' }))).items.map((u) => u.id),
      ).toEqual([created.id]);
    });

    it('creates directly below the admin’s own unit', async () => {
      const created = await service.create(
        staff(tree.ningbo, ['admin']),
        input(tree.ningbo, { name: '宁波市北仑区总工会', level: 'district', regionCode: '330206' }),
      );
      expect(created.path).toBe(`${tree.ningbo.path}${created.id}/`);
    });

    it.each([
      [
        'under its parent unit',
        'xihu',
        'hangzhou',
        { level: 'district', regionCode: '330108' },
        'OUT_OF_SCOPE',
      ],
      ['under a sibling unit', 'xihu', 'gongshu', {}, 'OUT_OF_SCOPE'],
      [
        'a level at the parent’s own',
        'hangzhou',
        'hangzhou',
        { level: 'city', regionCode: '330100' },
        'ORG_UNIT_LEVEL_MISMATCH',
      ],
      ['a grassroots union below a grassroots union', 'xihu', 'xihu-gr-1', {}, 'ORG_UNIT_LEVEL_MISMATCH'],
      [
        'anything below a branch union',
        'yinzhou',
        'yinzhou-gr-3-branch-1',
        { level: 'branch', regionCode: '330212' },
        'ORG_UNIT_PARENT_IS_LEAF',
      ],
      [
        'a branch union directly under a district',
        'xihu',
        'xihu',
        { level: 'branch' },
        'ORG_UNIT_BRANCH_PARENT_INVALID',
      ],
      [
        'a district federation under an industry union',
        'zhejiang',
        'zj-industry-machinery',
        { level: 'district', regionCode: '330106' },
        'ORG_UNIT_INDUSTRY_CHILD_INVALID',
      ],
      [
        'an industry union of grassroots level',
        'xihu',
        'xihu',
        { industry: true },
        'ORG_UNIT_INDUSTRY_LEVEL_INVALID',
      ],
      [
        'with another district’s code',
        'xihu',
        'xihu',
        { regionCode: '330105' },
        'ORG_UNIT_REGION_OUTSIDE_PARENT',
      ],
      [
        'a district with a city-shaped code',
        'hangzhou',
        'hangzhou',
        { level: 'district', regionCode: '330100' },
        'ORG_UNIT_REGION_CODE_INVALID',
      ],
      [
        'a second unit of the same name beside its sibling',
        'xihu',
        'xihu',
        { name: '杭州某某机械有限公司工会' },
        'ORG_UNIT_NAME_TAKEN',
      ],
    ] as Array<[string, keyof DemoOrgTree, keyof DemoOrgTree, Partial<CreateOrgUnitInput>, string]>)(
      'refuses %s → %s, writes nothing, and audits only a scope refusal',
      async (_case, own, parent, overrides, expected) => {
        const before = (await allUnits()).length;
        const auditBefore = (await auditRows()).length;
        expect(
          await codeOf(service.create(staff(tree[own], ['admin']), input(tree[parent], overrides))),
        ).toBe(expected);
        expect((await allUnits()).length).toBe(before);
        const audited = (await auditRows()).slice(auditBefore);
        if (expected === 'OUT_OF_SCOPE') {
          expect(audited).toEqual([
            expect.objectContaining({
              action: 'access.denied',
              outcome: 'denied',
              targetType: 'org-unit',
              targetId: tree[parent].id,
              details: { action: 'org-units.create', code: 'OUT_OF_SCOPE' },
            }),
          ]);
        } else {
          expect(audited).toEqual([]);
        }
      },
    );

    it.each([
      ['a grassroots union directly under a city', 'hangzhou', 'hangzhou', { regionCode: '330100' }],
      [
        'a district directly under a province',
        'zhejiang',
        'zhejiang',
        { level: 'district', regionCode: '330110' },
      ],
      ['a branch union below an enterprise union', 'xihu', 'xihu-gr-2', { level: 'branch' }],
      [
        'an industry union of a city, with the city’s code',
        'hangzhou',
        'hangzhou',
        { level: 'district', regionCode: '330100', industry: true },
      ],
      [
        'an enterprise union under an industry union',
        'zhejiang',
        'zj-industry-machinery',
        { regionCode: '330105' },
      ],
    ] as Array<[string, keyof DemoOrgTree, keyof DemoOrgTree, Partial<CreateOrgUnitInput>]>)(
      'creates %s, inside the subtree scope of every unit above it',
      async (_case, own, parent, overrides) => {
        const created = await service.create(staff(tree[own], ['admin']), input(tree[parent], overrides));
        expect(created).toMatchObject({
          parentId: tree[parent].id,
          industry: overrides.industry ?? false,
          path: `${tree[parent].path}${created.id}/`,
        });
        for (const above of [tree[parent], tree.zhejiang]) {
          const listed = await service.listForPrincipal(staff(above), query({ pageSize: 100 }));
          expect(listed.items.map((u) => u.id)).toContain(created.id);
        }
        // …and of nothing beside it.
        const outside = await service.listForPrincipal(staff(tree.ningbo), query({ pageSize: 100 }));
        expect(outside.items.map((u) => u.id)).not.toContain(created.id);
      },
    );

    it('the same name is fine under another parent', async () => {
      const created = await service.create(
        staff(tree.hangzhou, ['admin']),
        input(tree.gongshu, { name: '杭州某某机械有限公司工会', regionCode: '330105' }),
      );
      expect(created.parentId).toBe(tree.gongshu.id);
    });

    it('refuses a parent that does not exist with 404', async () => {
      const missing = { ...tree.xihu, id: '00000000-0000-4000-8000-000000000000' };
      expect(await codeOf(service.create(staff(tree.national, ['admin']), input(missing)))).toBe(
        'ORG_UNIT_NOT_FOUND',
      );
    });

    it('refuses a second national root, and the database refuses one too', async () => {
      const root = {
        parentId: null,
        name: '另一个全国总工会',
        level: 'national' as const,
        regionCode: '100000',
      };
      const attempt = db.dataSource.transaction((m) => createOrgUnitChecked(repository, m, root, null));
      expect(await codeOf(attempt)).toBe('ORG_UNIT_ROOT_EXISTS');
      const raw = db.dataSource.transaction((m) => repository.insert(m, root));
      expect(await raw).toBe('root_exists');
    });

    it('lets exactly one of two concurrent creations of the same name win', async () => {
      const admin = staff(tree.haishu, ['admin']);
      const same = input(tree.haishu, { name: '海曙区某某医院工会', regionCode: '330203' });
      const results = await Promise.allSettled([service.create(admin, same), service.create(admin, same)]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect((failure?.reason as DomainError).code).toBe('ORG_UNIT_NAME_TAKEN');
      const named = (await allUnits()).filter((u) => u.name === '海曙区某某医院工会');
      expect(named).toHaveLength(1);
    });

    it('the database refuses a path that does not end with the unit’s own id', async () => {
      await expect(
        db.dataSource.query(
          `INSERT INTO org_units (parent_id, name, level, region_code, path) VALUES ($1, '伪造路径工会', 'grassroots', '330106', $2)`,
          [tree.xihu.id, `${tree.xihu.path}not-my-id/`],
        ),
      ).rejects.toThrow(/chk_org_units_path_ends_with_id/);
    });
  });

  describe('the path index', () => {
    onOwnDatabase();
    beforeAll(async () => {
      // A few thousand units: 40 more districts under Hangzhou with 80 grassroots unions each.
      await db.dataSource.query(
        `WITH d AS (
           INSERT INTO org_units (id, parent_id, name, level, region_code, path)
           SELECT id, $1::uuid, '压测区总工会' || n, 'district', '330106', $2 || id::text || '/'
             FROM (SELECT gen_random_uuid() AS id, n FROM generate_series(1, 40) n) s
           RETURNING id, path),
         g AS (SELECT gen_random_uuid() AS id, d.id AS parent_id, d.path AS parent_path, n
                 FROM d CROSS JOIN generate_series(1, 80) n)
         INSERT INTO org_units (id, parent_id, name, level, region_code, path)
         SELECT id, parent_id, '压测基层工会' || n, 'grassroots', '330106', parent_path || id::text || '/' FROM g`,
        [tree.hangzhou.id, tree.hangzhou.path],
      );
      // Only the owner may ANALYZE (the app role would be skipped with a warning).
      await db.owner.query('ANALYZE org_units');
    });

    it('has a few thousand rows to plan against', async () => {
      expect((await allUnits()).length).toBeGreaterThan(3000);
    });

    it.each([
      ['a district subtree', 'xihu' as const, {}],
      ['a grassroots union', 'xihu-gr-1' as const, {}],
      ['a district subtree filtered by name', 'yinzhou' as const, { q: '服装' }],
    ])('the page query of %s uses idx_org_units_path', async (_case, key, filter) => {
      const [sql, params] = repository
        .subtreePageQuery(tree[key].path, filter, query({ pageSize: 20 }))
        .getQueryAndParameters();
      const plan: Array<{ 'QUERY PLAN': string }> = await db.dataSource.query(`EXPLAIN ${sql}`, params);
      const text = plan.map((row) => row['QUERY PLAN']).join('\n');
      expect(text).toContain('idx_org_units_path');
      expect(text).not.toMatch(/Seq Scan on org_units/);
    });

    it('still returns exactly the subtree among thousands', async () => {
      const page = await service.listSubtree(tree.xihu.path, query());
      const expected = (await allUnits()).filter((u) => u.path.startsWith(tree.xihu.path));
      expect(ids(page.items)).toEqual(ids(expected));
    });
  });
});
