import { menuItemProblems } from '../modules/menu/rules/menu-item.rule';
import type { AppConfig } from './app-config';

/** Problems of the shipped service menu (config/menu.yml) beyond each field's own: codes and names once, items consistent. */
export function menuConfigProblems(config: AppConfig): string[] {
  const problems: string[] = [];
  const codes = new Set<string>();
  const names = new Set<string>();
  for (const item of config.menu.items) {
    if (codes.has(item.code)) problems.push(`menu ${item.code}: 代码重复`);
    if (names.has(item.name)) problems.push(`menu ${item.code}: 名称“${item.name}”重复`);
    codes.add(item.code);
    names.add(item.name);
    for (const p of menuItemProblems(item)) problems.push(`menu ${item.code}.${p.field}: ${p.message}`);
  }
  return problems;
}
