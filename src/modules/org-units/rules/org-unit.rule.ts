import { ORG_LEVELS, OrgLevel } from '../org-unit.entity';

/**
 * Pure rules of the union tree. A unit sits at any level below its parent (全总 > 省 > 市 > 区县 > 基层 >
 * 分工会: a grassroots union may hang directly under a city federation), there is one national root, and
 * each unit's GB/T 2260 code lies inside its parent's area. Branch unions (分工会) sit only under a
 * grassroots (enterprise) union. Industry unions (产业工会) are units of a federation level (province,
 * city or district rank) flagged `industry`: they cover their parent's whole area (their code may be the
 * parent's own) and hold only grassroots unions and lower industry unions.
 */

/** GB/T 2260 province-level prefixes (the first two digits): mainland provinces, Taiwan, Hong Kong, Macao. */
const PROVINCE_PREFIXES = new Set(
  [
    '11 12 13 14 15', // 华北
    '21 22 23', // 东北
    '31 32 33 34 35 36 37', // 华东
    '41 42 43 44 45 46', // 中南
    '50 51 52 53 54', // 西南
    '61 62 63 64 65', // 西北
    '71 81 82', // 台湾、香港、澳门
  ].flatMap((group) => group.split(' ')),
);

/** The code the national federation (中华全国总工会) carries: the conventional "全国" code. */
export const NATIONAL_REGION_CODE = '100000';

const SIX_DIGITS = /^\d{6}$/;

export type OrgUnitViolation =
  | 'ROOT_MUST_BE_NATIONAL'
  | 'NATIONAL_ROOT_EXISTS'
  | 'NATIONAL_HAS_NO_PARENT'
  | 'PARENT_IS_LEAF'
  | 'LEVEL_NOT_BELOW_PARENT'
  | 'REGION_CODE_SHAPE'
  | 'REGION_CODE_OUTSIDE_PARENT'
  | 'BRANCH_NOT_UNDER_GRASSROOTS'
  | 'INDUSTRY_LEVEL_INVALID'
  | 'INDUSTRY_CHILD_INVALID';

export interface UnitFacts {
  level: OrgLevel;
  regionCode: string;
  /** 产业工会; absent means a regional federation or a grassroots/branch union. */
  industry?: boolean;
}

/** Levels an industry union (产业工会) may have: the ranks of the federations it sits among. */
export const INDUSTRY_LEVELS: readonly OrgLevel[] = ['province', 'city', 'district'];

/** Levels whose units hold workers and archives directly (基层工会 and its 分工会). */
export const BASIC_LEVELS: readonly OrgLevel[] = ['grassroots', 'branch'];

/** 0 for national … 4 for grassroots, 5 for branch unions. */
export function levelRank(level: OrgLevel): number {
  return ORG_LEVELS.indexOf(level);
}

/** The levels a child of `parent` may have, top down; empty below branch unions (the leaf level). */
export function childLevelsOf(parent: OrgLevel): OrgLevel[] {
  if (parent === 'branch') return [];
  const below = ORG_LEVELS.slice(levelRank(parent) + 1);
  // 分工会 only under an enterprise (grassroots) union.
  return parent === 'grassroots' ? below : below.filter((level) => level !== 'branch');
}

/**
 * Whether `code` has the shape of its level: national `100000`; province `PP0000` (a real province
 * prefix); city `PPCC00`; district `PPCCDD`; grassroots any 6-digit code of a real province (usually its
 * district's own code).
 */
export function regionCodeFitsLevel(level: OrgLevel, code: string): boolean {
  if (!SIX_DIGITS.test(code)) return false;
  const province = code.slice(0, 2);
  const city = code.slice(2, 4);
  const district = code.slice(4, 6);
  switch (level) {
    case 'national':
      return code === NATIONAL_REGION_CODE;
    case 'province':
      return PROVINCE_PREFIXES.has(province) && city === '00' && district === '00';
    case 'city':
      return PROVINCE_PREFIXES.has(province) && city !== '00' && district === '00';
    case 'district':
      return PROVINCE_PREFIXES.has(province) && city !== '00' && district !== '00';
    case 'grassroots':
    case 'branch':
      return PROVINCE_PREFIXES.has(province);
  }
}

/**
 * The significant prefix of an area code: trailing `00` pairs name "the whole area" (`330000` → `33`,
 * `330100` → `3301`, `330106` → `330106`). The national code covers every area.
 */
export function regionPrefix(code: string): string {
  if (code === NATIONAL_REGION_CODE) return '';
  let prefix = code;
  while (prefix.length > 2 && prefix.endsWith('00')) prefix = prefix.slice(0, -2);
  return prefix;
}

/** Whether area `code` lies inside area `parentCode` (or is the same area). */
export function regionWithin(parentCode: string, code: string): boolean {
  return code.startsWith(regionPrefix(parentCode));
}

/**
 * Every rule a new unit must satisfy, given its parent (null for the root) and whether a national root
 * already exists. Returns the first violation, or null. Sibling names are checked against the database.
 */
export function newUnitViolation(
  unit: UnitFacts,
  parent: UnitFacts | null,
  rootExists: boolean,
): OrgUnitViolation | null {
  if (parent === null) {
    if (unit.level !== 'national') return 'ROOT_MUST_BE_NATIONAL';
    if (rootExists) return 'NATIONAL_ROOT_EXISTS';
    return regionCodeFitsLevel(unit.level, unit.regionCode) ? null : 'REGION_CODE_SHAPE';
  }
  if (unit.level === 'national') return 'NATIONAL_HAS_NO_PARENT';
  const allowed = childLevelsOf(parent.level);
  if (allowed.length === 0) return 'PARENT_IS_LEAF';
  if (unit.level === 'branch' && parent.level !== 'grassroots') return 'BRANCH_NOT_UNDER_GRASSROOTS';
  if (!allowed.includes(unit.level)) return 'LEVEL_NOT_BELOW_PARENT';
  if (unit.industry && !INDUSTRY_LEVELS.includes(unit.level)) return 'INDUSTRY_LEVEL_INVALID';
  if (parent.industry && !unit.industry && unit.level !== 'grassroots') return 'INDUSTRY_CHILD_INVALID';
  // An industry union covers an area rather than naming one: any real code, its parent's own included.
  const shapeFits = unit.industry
    ? regionCodeFitsLevel('grassroots', unit.regionCode)
    : regionCodeFitsLevel(unit.level, unit.regionCode);
  if (!shapeFits) return 'REGION_CODE_SHAPE';
  if (!regionWithin(parent.regionCode, unit.regionCode)) return 'REGION_CODE_OUTSIDE_PARENT';
  return null;
}

/** Whether `path` is `ancestorPath` itself or lies below it (materialized paths end with `/`). */
export function isAncestorOrSelf(ancestorPath: string, path: string): boolean {
  return ancestorPath.endsWith('/') && ancestorPath.length > 1 && path.startsWith(ancestorPath);
}

/** The unit ids of a materialized path, root first (`/a/b/c/` → `[a, b, c]`). */
export function idsOfPath(path: string): string[] {
  return path.split('/').filter(Boolean);
}
