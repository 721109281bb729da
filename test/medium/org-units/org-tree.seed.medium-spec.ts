import { OrgUnitEntity } from '../../../src/modules/org-units/org-unit.entity';
import { DEMO_ORG_UNITS, seedDemoOrgTree } from '../../../src/database/seeds/org-tree.seed';
import { newUnitViolation } from '../../../src/modules/org-units/rules/org-unit.rule';
import { createTestDatabase, TestDatabase } from '../../helpers/test-database';

describe('seedDemoOrgTree (PostgreSQL)', () => {
  let db: TestDatabase;

  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await db?.drop();
  });

  const rows = () => db.dataSource.getRepository(OrgUnitEntity).find({ order: { path: 'ASC' } });

  it('creates the whole demo tree, every unit valid under its parent', async () => {
    const tree = await db.dataSource.transaction((m) => seedDemoOrgTree(m));
    const stored = await rows();
    expect(stored).toHaveLength(DEMO_ORG_UNITS.length);
    expect(stored.filter((u) => u.level === 'grassroots').length).toBeGreaterThanOrEqual(10);
    const byId = new Map(stored.map((u) => [u.id, u]));
    for (const unit of stored) {
      const parent = unit.parentId ? byId.get(unit.parentId)! : null;
      expect({ name: unit.name, violation: newUnitViolation(unit, parent, false) }).toEqual({
        name: unit.name,
        violation: null,
      });
      expect(unit.path).toBe(`${parent?.path ?? '/'}${unit.id}/`);
    }
    expect(tree.national).toMatchObject({ name: '中华全国总工会', level: 'national', regionCode: '100000' });
    expect(tree.zhejiang).toMatchObject({
      name: '浙江省总工会',
      regionCode: '330000',
      parentId: tree.national.id,
    });
    expect(tree.xihu).toMatchObject({ regionCode: '330106', parentId: tree.hangzhou.id });
    expect(tree.haishu).toMatchObject({ regionCode: '330203', parentId: tree.ningbo.id });
    expect(tree['haishu-gr-1']).toMatchObject({ name: '宁波港某某码头工会', regionCode: '330203' });
    // One of each irregular shape.
    expect(tree['hangzhou-gr-direct']).toMatchObject({ level: 'grassroots', parentId: tree.hangzhou.id });
    expect(tree['zj-industry-machinery']).toMatchObject({
      industry: true,
      regionCode: '330000',
      parentId: tree.zhejiang.id,
    });
    expect(tree['zj-industry-machinery-gr-1']).toMatchObject({
      level: 'grassroots',
      industry: false,
      parentId: tree['zj-industry-machinery'].id,
    });
    expect(tree['yinzhou-gr-3-branch-1']).toMatchObject({
      level: 'branch',
      parentId: tree['yinzhou-gr-3'].id,
    });
    expect(tree['yinzhou-gr-3-branch-1'].path.startsWith(tree.yinzhou.path)).toBe(true);
  });

  it('running it twice creates nothing new and returns the same units', async () => {
    const first = await db.dataSource.transaction((m) => seedDemoOrgTree(m));
    const before = await rows();
    const second = await db.dataSource.transaction((m) => seedDemoOrgTree(m));
    const after = await rows();
    expect(after.map((u) => [u.id, u.updatedAt.getTime()])).toEqual(
      before.map((u) => [u.id, u.updatedAt.getTime()]),
    );
    for (const key of Object.keys(first) as Array<keyof typeof first>)
      expect(second[key].id).toBe(first[key].id);
  });

  it('completes a partly seeded tree', async () => {
    const first = await db.dataSource.transaction((m) => seedDemoOrgTree(m));
    // Units are never deleted by the application; the owner removes them with their union partners.
    await db.owner.query(
      `DELETE FROM partners WHERE org_unit_id IN (SELECT id FROM org_units WHERE parent_id = $1)`,
      [first.haishu.id],
    );
    await db.dataSource.query(`DELETE FROM org_units WHERE parent_id = $1`, [first.haishu.id]);
    const second = await db.dataSource.transaction((m) => seedDemoOrgTree(m));
    expect(await rows()).toHaveLength(DEMO_ORG_UNITS.length);
    expect(second.haishu.id).toBe(first.haishu.id);
    expect(second['haishu-gr-1'].id).not.toBe(first['haishu-gr-1'].id);
  });

  it('refuses to graft the demo tree onto a database with another national root', async () => {
    await db.dataSource.query(
      `WITH r AS (SELECT gen_random_uuid() AS id)
       INSERT INTO org_units (id, name, level, region_code, path) SELECT id, '某某总工会', 'national', '100000', '/' || id || '/' FROM r`,
    );
    await expect(db.dataSource.transaction((m) => seedDemoOrgTree(m))).rejects.toThrow(
      /演示组织树与现有数据冲突/,
    );
    expect(await rows()).toHaveLength(1);
  });
});
