import { EntityManager } from 'typeorm';
import { type OrgLevel, OrgUnitEntity } from '../../modules/org-units/org-unit.entity';
import { OrgUnitsRepository } from '../../modules/org-units/org-units.repository';
import { createOrgUnitChecked } from '../../modules/org-units/org-unit-creation';

interface DemoUnit {
  key: string;
  /** Key of the parent; null for the national root. */
  parent: string | null;
  name: string;
  level: OrgLevel;
  /** Real GB/T 2260 codes; grassroots unions carry their district's code. */
  regionCode: string;
  /** 产业工会. */
  industry?: boolean;
}

/**
 * The demo tree: the national federation, one province, two cities, four districts and ten grassroots
 * unions (the enterprise and street names are placeholders, "某某"), plus one of each irregular shape
 * unions have: a grassroots union directly under a city federation, a province's industry union (产业工会)
 * with an enterprise union below it, and a branch union (分工会) below an enterprise union. Keys are
 * stable so that the account seed and the README can place demo accounts (e.g. `xihu-gr-1`).
 */
export const DEMO_ORG_UNITS = [
  { key: 'national', parent: null, name: '中华全国总工会', level: 'national', regionCode: '100000' },
  { key: 'zhejiang', parent: 'national', name: '浙江省总工会', level: 'province', regionCode: '330000' },
  { key: 'hangzhou', parent: 'zhejiang', name: '杭州市总工会', level: 'city', regionCode: '330100' },
  { key: 'ningbo', parent: 'zhejiang', name: '宁波市总工会', level: 'city', regionCode: '330200' },
  { key: 'xihu', parent: 'hangzhou', name: '杭州市西湖区总工会', level: 'district', regionCode: '330106' },
  { key: 'gongshu', parent: 'hangzhou', name: '杭州市拱墅区总工会', level: 'district', regionCode: '330105' },
  { key: 'yinzhou', parent: 'ningbo', name: '宁波市鄞州区总工会', level: 'district', regionCode: '330212' },
  { key: 'haishu', parent: 'ningbo', name: '宁波市海曙区总工会', level: 'district', regionCode: '330203' },
  {
    key: 'xihu-gr-1',
    parent: 'xihu',
    name: '杭州某某机械有限公司工会',
    level: 'grassroots',
    regionCode: '330106',
  },
  {
    key: 'xihu-gr-2',
    parent: 'xihu',
    name: '西湖区某某街道联合工会',
    level: 'grassroots',
    regionCode: '330106',
  },
  {
    key: 'xihu-gr-3',
    parent: 'xihu',
    name: '杭州某某软件股份有限公司工会',
    level: 'grassroots',
    regionCode: '330106',
  },
  {
    key: 'gongshu-gr-1',
    parent: 'gongshu',
    name: '杭州某某运河物流有限公司工会',
    level: 'grassroots',
    regionCode: '330105',
  },
  {
    key: 'gongshu-gr-2',
    parent: 'gongshu',
    name: '拱墅区某某商贸城联合工会',
    level: 'grassroots',
    regionCode: '330105',
  },
  {
    key: 'yinzhou-gr-1',
    parent: 'yinzhou',
    name: '宁波某某服装有限公司工会',
    level: 'grassroots',
    regionCode: '330212',
  },
  {
    key: 'yinzhou-gr-2',
    parent: 'yinzhou',
    name: '鄞州区某某街道联合工会',
    level: 'grassroots',
    regionCode: '330212',
  },
  {
    key: 'yinzhou-gr-3',
    parent: 'yinzhou',
    name: '宁波某某汽车零部件有限公司工会',
    level: 'grassroots',
    regionCode: '330212',
  },
  {
    key: 'haishu-gr-1',
    parent: 'haishu',
    name: '宁波港某某码头工会',
    level: 'grassroots',
    regionCode: '330203',
  },
  {
    key: 'haishu-gr-2',
    parent: 'haishu',
    name: '海曙区快递物流行业联合工会',
    level: 'grassroots',
    regionCode: '330203',
  },
  // The irregular shapes (appended, so the regular tree's first children stay first).
  {
    key: 'hangzhou-gr-direct',
    parent: 'hangzhou',
    name: '杭州某某公交集团有限公司工会',
    level: 'grassroots',
    regionCode: '330100',
  },
  {
    key: 'zj-industry-machinery',
    parent: 'zhejiang',
    name: '浙江省机械冶金工会',
    level: 'city',
    regionCode: '330000',
    industry: true,
  },
  {
    key: 'zj-industry-machinery-gr-1',
    parent: 'zj-industry-machinery',
    name: '浙江某某钢铁集团有限公司工会',
    level: 'grassroots',
    regionCode: '330212',
  },
  {
    key: 'yinzhou-gr-3-branch-1',
    parent: 'yinzhou-gr-3',
    name: '宁波某某汽车零部件有限公司工会第一分工会',
    level: 'branch',
    regionCode: '330212',
  },
] as const satisfies readonly DemoUnit[];

/** The grassroots unions of the regular tree (under a district): the demo archives live there. */
export const DEMO_DISTRICT_GRASSROOTS = DEMO_ORG_UNITS.filter(
  (u): u is Extract<(typeof DEMO_ORG_UNITS)[number], { level: 'grassroots'; parent: `${string}` }> =>
    u.level === 'grassroots' && DEMO_ORG_UNITS.some((p) => p.key === u.parent && p.level === 'district'),
);

export type DemoOrgUnitKey = (typeof DEMO_ORG_UNITS)[number]['key'];
export type DemoOrgTree = Record<DemoOrgUnitKey, OrgUnitEntity>;

/**
 * Creates the demo tree inside `manager`'s transaction, through the same rules as the API, and returns
 * every unit by key. Idempotent: a unit that already exists under its parent with the same name is
 * reused; one that exists with another level or region code, or a national root with another name,
 * stops the seed rather than grafting demo data onto a real tree.
 */
export async function seedDemoOrgTree(manager: EntityManager): Promise<DemoOrgTree> {
  const repository = new OrgUnitsRepository(manager.getRepository(OrgUnitEntity));
  const units = {} as Record<string, OrgUnitEntity>;

  for (const spec of DEMO_ORG_UNITS as readonly DemoUnit[]) {
    const parent = spec.parent === null ? null : units[spec.parent];
    const existing =
      parent === null
        ? await repository.findRoot(manager)
        : await repository.findChildByName(parent.id, spec.name, manager);
    if (existing) {
      if (
        existing.name !== spec.name ||
        existing.level !== spec.level ||
        existing.regionCode !== spec.regionCode ||
        existing.industry !== (spec.industry ?? false)
      ) {
        throw new Error(
          `演示组织树与现有数据冲突: ${existing.name} (${existing.level} ${existing.regionCode}) ≠ ${spec.name} (${spec.level} ${spec.regionCode})`,
        );
      }
      units[spec.key] = existing;
      continue;
    }
    units[spec.key] = await createOrgUnitChecked(
      repository,
      manager,
      {
        parentId: parent?.id ?? null,
        name: spec.name,
        level: spec.level,
        regionCode: spec.regionCode,
        industry: spec.industry ?? false,
      },
      parent,
    );
  }
  return units as DemoOrgTree;
}
