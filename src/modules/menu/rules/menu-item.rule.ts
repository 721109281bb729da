import { MENU_LIMITS, type MenuBeneficiary, type MenuUnit } from '../menu.enums';
import type { SchoolingStage } from '../../archives/archive.enums';

/** The parts of a menu item whose consistency a single field's validation cannot judge. */
export interface MenuItemShape {
  unit: MenuUnit;
  maxPerNeed: number;
  requiresActiveArchive: boolean;
  acceptsTemporaryArchive: boolean;
  beneficiary: MenuBeneficiary;
  stages: readonly SchoolingStage[];
  tags: readonly string[];
  documents: readonly string[];
}

/** A problem of an item's definition: the field and a Chinese message. */
export interface MenuItemProblem {
  field: string;
  message: string;
}

/**
 * What is wrong with an item's definition as a whole (config/menu.yml at start, an administrator's
 * create or update): stages only and always for `member_in_stage`; a temporary archive is accepted only
 * where an archive is required at all; the per-need maximum in the unit's bounds; no tag or document
 * twice. Empty when the item is consistent.
 */
export function menuItemProblems(item: MenuItemShape): MenuItemProblem[] {
  const problems: MenuItemProblem[] = [];
  if (item.beneficiary === 'member_in_stage' && item.stages.length === 0)
    problems.push({ field: 'stages', message: '受助对象为“在读家庭成员”时须列出适用的学段' });
  if (item.beneficiary !== 'member_in_stage' && item.stages.length > 0)
    problems.push({ field: 'stages', message: '只有受助对象为“在读家庭成员”的项目才列学段' });
  if (item.acceptsTemporaryArchive && !item.requiresActiveArchive)
    problems.push({
      field: 'acceptsTemporaryArchive',
      message: '不要求在档的项目无需再注明“临时档案可申请”',
    });
  const max = item.unit === 'yuan' ? MENU_LIMITS.maxPerNeedYuanFen : MENU_LIMITS.maxPerNeedCount;
  if (item.maxPerNeed > max)
    problems.push({
      field: 'maxPerNeed',
      message:
        item.unit === 'yuan'
          ? `每次申请的金额上限不能超过 ${max / 100} 元（以分计）`
          : `每次申请的数量上限不能超过 ${max}`,
    });
  for (const [field, values] of [
    ['tags', item.tags],
    ['documents', item.documents],
    ['stages', item.stages],
  ] as const) {
    const seen = new Set<string>();
    for (const value of values) {
      if (seen.has(value)) problems.push({ field, message: `“${value}”重复` });
      seen.add(value);
    }
  }
  return problems;
}
