import type { OrgLevel } from '../org-unit.entity';
import {
  childLevelsOf,
  idsOfPath,
  isAncestorOrSelf,
  newUnitViolation,
  OrgUnitViolation,
  regionCodeFitsLevel,
  regionPrefix,
  regionWithin,
  UnitFacts,
} from './org-unit.rule';

const unit = (level: OrgLevel, regionCode: string): UnitFacts => ({ level, regionCode });

const NATIONAL = unit('national', '100000');
const ZHEJIANG = unit('province', '330000');
const HANGZHOU = unit('city', '330100');
const XIHU = unit('district', '330106');
const XIHU_GRASSROOTS = unit('grassroots', '330106');
const XIHU_BRANCH = unit('branch', '330106');
const industry = (level: OrgLevel, regionCode: string): UnitFacts => ({ level, regionCode, industry: true });
const ZJ_MACHINERY = industry('city', '330000'); // 浙江省机械冶金工会, a province's industry union

describe('org unit rules', () => {
  describe('newUnitViolation', () => {
    const cases: Array<[string, UnitFacts, UnitFacts | null, boolean, OrgUnitViolation | null]> = [
      // the root
      ['the national root in an empty tree', NATIONAL, null, false, null],
      ['a second national root', NATIONAL, null, true, 'NATIONAL_ROOT_EXISTS'],
      ['a parentless province', ZHEJIANG, null, false, 'ROOT_MUST_BE_NATIONAL'],
      ['a national root with another code', unit('national', '000000'), null, false, 'REGION_CODE_SHAPE'],
      ['a national unit below another unit', NATIONAL, ZHEJIANG, true, 'NATIONAL_HAS_NO_PARENT'],
      // one level below the parent, every level
      ['a province under the national root', ZHEJIANG, NATIONAL, true, null],
      ['a city under its province', HANGZHOU, ZHEJIANG, true, null],
      ['a district under its city', XIHU, HANGZHOU, true, null],
      ['a grassroots union with its district code', XIHU_GRASSROOTS, XIHU, true, null],
      [
        'a municipality district (北京市东城区 under 北京市市辖区)',
        unit('district', '110101'),
        unit('city', '110100'),
        true,
        null,
      ],
      [
        'a county under a province-administered pseudo-city (湖北省直辖 4290)',
        unit('district', '429004'),
        unit('city', '429000'),
        true,
        null,
      ],
      // any lower level: levels may be skipped
      ['a city directly under the national root', HANGZHOU, NATIONAL, true, null],
      ['a district directly under a province', unit('district', '330106'), ZHEJIANG, true, null],
      ['a grassroots union directly under a city', unit('grassroots', '330100'), HANGZHOU, true, null],
      ['a grassroots union directly under a province', unit('grassroots', '330000'), ZHEJIANG, true, null],
      ['a province under a province', unit('province', '320000'), ZHEJIANG, true, 'LEVEL_NOT_BELOW_PARENT'],
      ['a city above its parent district', unit('city', '330100'), XIHU, true, 'LEVEL_NOT_BELOW_PARENT'],
      [
        'a grassroots union under a grassroots union',
        unit('grassroots', '330106'),
        XIHU_GRASSROOTS,
        true,
        'LEVEL_NOT_BELOW_PARENT',
      ],
      // 分工会 below an enterprise union, and nothing below them
      ['a branch union under a grassroots union', XIHU_BRANCH, XIHU_GRASSROOTS, true, null],
      ['a branch union directly under a district', XIHU_BRANCH, XIHU, true, 'BRANCH_NOT_UNDER_GRASSROOTS'],
      ['a branch union under a branch union', XIHU_BRANCH, XIHU_BRANCH, true, 'PARENT_IS_LEAF'],
      ['a grassroots union under a branch union', XIHU_GRASSROOTS, XIHU_BRANCH, true, 'PARENT_IS_LEAF'],
      [
        'a branch union of another district',
        unit('branch', '330105'),
        XIHU_GRASSROOTS,
        true,
        'REGION_CODE_OUTSIDE_PARENT',
      ],
      // 产业工会
      ["a province's industry union with the province's code", ZJ_MACHINERY, ZHEJIANG, true, null],
      [
        "a city's industry union with a district's code",
        industry('district', '330106'),
        HANGZHOU,
        true,
        null,
      ],
      ['an enterprise union under an industry union', unit('grassroots', '330212'), ZJ_MACHINERY, true, null],
      [
        'a lower industry union under an industry union',
        industry('district', '330100'),
        ZJ_MACHINERY,
        true,
        null,
      ],
      ['a district federation under an industry union', XIHU, ZJ_MACHINERY, true, 'INDUSTRY_CHILD_INVALID'],
      [
        'an industry union of grassroots level',
        industry('grassroots', '330106'),
        XIHU,
        true,
        'INDUSTRY_LEVEL_INVALID',
      ],
      [
        'an industry branch union',
        industry('branch', '330106'),
        XIHU_GRASSROOTS,
        true,
        'INDUSTRY_LEVEL_INVALID',
      ],
      [
        'an industry union outside its parent area',
        industry('city', '320000'),
        ZHEJIANG,
        true,
        'REGION_CODE_OUTSIDE_PARENT',
      ],
      [
        'an industry union with a malformed code',
        industry('city', '990000'),
        ZHEJIANG,
        true,
        'REGION_CODE_SHAPE',
      ],
      // region code shape per level
      ['a province code with a city part', unit('province', '330100'), NATIONAL, true, 'REGION_CODE_SHAPE'],
      [
        'a province code with an unknown prefix',
        unit('province', '990000'),
        NATIONAL,
        true,
        'REGION_CODE_SHAPE',
      ],
      [
        'a city code that names the whole province',
        unit('city', '330000'),
        ZHEJIANG,
        true,
        'REGION_CODE_SHAPE',
      ],
      ['a city code with a district part', unit('city', '330106'), ZHEJIANG, true, 'REGION_CODE_SHAPE'],
      [
        'a district code that names the whole city',
        unit('district', '330100'),
        HANGZHOU,
        true,
        'REGION_CODE_SHAPE',
      ],
      ['a code that is not six digits', unit('district', '33010'), HANGZHOU, true, 'REGION_CODE_SHAPE'],
      ['a code with letters', unit('district', '3301AB'), HANGZHOU, true, 'REGION_CODE_SHAPE'],
      // region code inside the parent's area
      [
        'a city of another province (南京 under 浙江)',
        unit('city', '320100'),
        ZHEJIANG,
        true,
        'REGION_CODE_OUTSIDE_PARENT',
      ],
      [
        'a district of another city (宁波鄞州 under 杭州)',
        unit('district', '330212'),
        HANGZHOU,
        true,
        'REGION_CODE_OUTSIDE_PARENT',
      ],
      [
        'a grassroots union of another district (拱墅 under 西湖)',
        unit('grassroots', '330105'),
        XIHU,
        true,
        'REGION_CODE_OUTSIDE_PARENT',
      ],
      [
        'a grassroots union with its city code under a district',
        unit('grassroots', '330100'),
        XIHU,
        true,
        'REGION_CODE_OUTSIDE_PARENT',
      ],
    ];

    it.each(cases)('%s → %s', (_case, candidate, parent, rootExists, expected) => {
      expect(newUnitViolation(candidate, parent, rootExists)).toBe(expected);
    });
  });

  describe('childLevelsOf', () => {
    it.each([
      ['national', ['province', 'city', 'district', 'grassroots']],
      ['province', ['city', 'district', 'grassroots']],
      ['city', ['district', 'grassroots']],
      ['district', ['grassroots']],
      ['grassroots', ['branch']],
      ['branch', []],
    ] as Array<[OrgLevel, OrgLevel[]]>)('%s → %j', (parent, children) => {
      expect(childLevelsOf(parent)).toEqual(children);
    });
  });

  describe('regionCodeFitsLevel', () => {
    it.each([
      ['national', '100000', true],
      ['national', '110000', false],
      ['province', '110000', true],
      ['province', '820000', true],
      ['province', '100000', false],
      ['city', '330200', true],
      ['district', '330212', true],
      ['grassroots', '330212', true],
      ['grassroots', '990101', false],
      ['branch', '330106', true],
    ] as Array<[OrgLevel, string, boolean]>)('%s %s → %s', (level, code, expected) => {
      expect(regionCodeFitsLevel(level, code)).toBe(expected);
    });
  });

  describe('regionPrefix and regionWithin', () => {
    it.each([
      ['100000', ''],
      ['330000', '33'],
      ['330100', '3301'],
      ['330106', '330106'],
      ['110000', '11'],
    ])('the area of %s is every code starting with "%s"', (code, prefix) => {
      expect(regionPrefix(code)).toBe(prefix);
    });

    it.each([
      ['100000', '330106', true],
      ['330000', '330212', true],
      ['330100', '330106', true],
      ['330100', '330212', false],
      ['330106', '330106', true],
      ['330106', '330105', false],
    ])('%s contains %s → %s', (parent, code, expected) => {
      expect(regionWithin(parent, code)).toBe(expected);
    });
  });

  describe('isAncestorOrSelf', () => {
    it.each([
      ['the unit itself', '/a/b/', '/a/b/', true],
      ['a descendant', '/a/b/', '/a/b/c/d/', true],
      ['the parent', '/a/b/', '/a/', false],
      ['a sibling', '/a/b/', '/a/c/', false],
      ['a sibling whose id extends the ancestor id', '/a/b/', '/a/bb/', false],
      ['an ancestor path without the closing slash (refused, it would match bb)', '/a/b', '/a/bb/', false],
      ['an empty ancestor path', '', '/a/', false],
      ['the bare slash', '/', '/a/', false],
    ])('%s → %s', (_case, ancestor, path, expected) => {
      expect(isAncestorOrSelf(ancestor, path)).toBe(expected);
    });
  });

  it('idsOfPath lists the ids root first', () => {
    expect(idsOfPath('/r/p/c/')).toEqual(['r', 'p', 'c']);
  });
});
