import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { MenuItemEntity } from '../../../src/modules/menu/menu-item.entity';

/** A new menu item as an administrator made it (not from config/menu.yml), with a unique code. */
export async function createMenuItem(
  dataSource: DataSource,
  overrides: Partial<MenuItemEntity> = {},
): Promise<MenuItemEntity> {
  const suffix = randomBytes(4).toString('hex');
  const repository = dataSource.getRepository(MenuItemEntity);
  return repository.save(
    repository.create({
      code: `test_item_${suffix}`,
      category: 'training',
      name: `测试培训项目${suffix}`,
      description: '测试用的培训项目',
      unit: 'slots',
      maxPerNeed: 1,
      requiresActiveArchive: true,
      acceptsTemporaryArchive: false,
      beneficiary: 'any_member',
      stages: [],
      slaDays: 30,
      validityDays: 90,
      documents: ['身份证'],
      tags: ['测试'],
      active: true,
      sortOrder: 500,
      configHash: null,
      editedBy: null,
      ...overrides,
    }),
  );
}
