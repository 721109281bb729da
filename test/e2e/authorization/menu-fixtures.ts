import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createMenuItem } from '../../helpers/factories/menu.factory';
import type { Cell, Fixture } from './fixtures';

const ds = (cell: Cell) => cell.world.t.app.get(DataSource);

/** A fresh item per cell (active or not), so one cell's change never decides another's answer. */
const onItem = (suffix: string, body: (version: number) => object | undefined, active = true): Fixture => ({
  prepare: async (cell) => {
    const item = await createMenuItem(ds(cell), { active });
    return { path: `/api/v1/menu-items/${item.code}${suffix}`, body: body(item.version) };
  },
});

export const MENU_FIXTURES: Record<string, Fixture> = {
  'GET /api/v1/menu': { prepare: async () => ({ path: '/api/v1/menu' }) },
  'GET /api/v1/menu/{code}': { prepare: async () => ({ path: '/api/v1/menu/tuition_college' }) },
  'GET /api/v1/menu-items': { prepare: async () => ({ path: '/api/v1/menu-items' }) },
  'GET /api/v1/menu-items/{code}': onItem('', () => undefined),
  'POST /api/v1/menu-items': {
    prepare: async () => ({
      path: '/api/v1/menu-items',
      body: {
        code: `matrix_${randomBytes(4).toString('hex')}`,
        category: 'care',
        name: `助残陪护${randomBytes(2).toString('hex')}`,
        description: '志愿者为残疾家庭成员提供陪护',
        unit: 'slots',
        maxPerNeed: 4,
        requiresActiveArchive: true,
        acceptsTemporaryArchive: false,
        beneficiary: 'any_member',
        slaDays: 10,
        validityDays: 60,
      },
    }),
  },
  'PATCH /api/v1/menu-items/{code}': onItem('', (version) => ({ version, slaDays: 12 })),
  'POST /api/v1/menu-items/{code}/deactivate': onItem('/deactivate', (version) => ({
    version,
    reason: '项目合并到其他培训',
  })),
  'POST /api/v1/menu-items/{code}/activate': onItem('/activate', (version) => ({ version }), false),
};
