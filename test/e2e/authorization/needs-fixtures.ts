import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createArchive, testCipher } from '../../helpers/factories/archives.factory';
import { createMenuItem } from '../../helpers/factories/menu.factory';
import type { Cell, Fixture } from './fixtures';

const ds = (cell: Cell) => cell.world.t.app.get(DataSource);

/**
 * The active archive a cell's need belongs to: for unit cases, one of the case's grassroots unit (owned by
 * another worker, so only the unit decides); for record cases, the worker actor's own or another worker's.
 */
async function archiveFor(cell: Cell): Promise<string> {
  const { world, caseName, actor } = cell;
  const recordCase = caseName === 'own_record' || caseName === 'other_record';
  const { archive } = await createArchive(
    ds(cell),
    {
      orgUnitId: recordCase ? world.units['xihu-gr-1']!.id : cell.unit!.id,
      ownerUserId: caseName === 'own_record' ? actor!.userId : world.otherWorker.userId,
      status: 'active',
      archiveNo: `330106-2026-${randomBytes(3).toString('hex')}`,
      activatedAt: new Date(),
    },
    testCipher(),
  );
  return archive.id;
}

/** A need of the cell's archive, ordered by another worker (no one screens their own), in `state`. */
async function needFor(cell: Cell, state: 'screening' | 'open'): Promise<{ id: string; version: number }> {
  const archiveId = await archiveFor(cell);
  const item = await createMenuItem(ds(cell));
  const [row] = await ds(cell).query(
    `INSERT INTO needs (archive_id, menu_item_id, beneficiary_key, quantity, urgency, preferred_mode, region_code,
                        contact_preference, state, created_by, state_changed_at, version)
     VALUES ($1, $2, 'head', 1, 'normal', 'any', '330106', 'phone', 'submitted', $3, now(), 1) RETURNING id`,
    [archiveId, item.id, cell.world.otherWorker.userId],
  );
  await ds(cell).query(`UPDATE needs SET state = 'screening', version = 2 WHERE id = $1`, [row.id]);
  if (state === 'screening') return { id: row.id as string, version: 2 };
  await ds(cell).query(
    `UPDATE needs SET state = 'open', opened_at = now(), expires_at = now() + interval '30 days', version = 3 WHERE id = $1`,
    [row.id],
  );
  return { id: row.id as string, version: 3 };
}

const readOf = (suffix: string): Fixture => ({
  grassrootsOnly: true,
  prepare: async (cell) => ({ path: `/api/v1/needs/${(await needFor(cell, 'screening')).id}${suffix}` }),
});

export const NEEDS_FIXTURES: Record<string, Fixture> = {
  'GET /api/v1/needs': { prepare: async () => ({ path: '/api/v1/needs' }) },
  'POST /api/v1/needs': {
    grassrootsOnly: true,
    prepare: async (cell) => {
      const item = await createMenuItem(ds(cell));
      return {
        path: '/api/v1/needs',
        body: {
          itemCode: item.code,
          archiveId: await archiveFor(cell),
          quantity: 1,
          urgency: 'urgent',
          contactPreference: 'phone',
        },
      };
    },
  },
  'GET /api/v1/needs/{id}': readOf(''),
  'GET /api/v1/needs/{id}/history': readOf('/history'),
  // Suggestions exist for open needs only (a need in screening answers 409 to everyone allowed).
  'GET /api/v1/needs/{id}/suggestions': {
    grassrootsOnly: true,
    prepare: async (cell) => ({ path: `/api/v1/needs/${(await needFor(cell, 'open')).id}/suggestions` }),
  },
  'POST /api/v1/needs/{id}/withdraw': {
    grassrootsOnly: true,
    prepare: async (cell) => {
      const need = await needFor(cell, 'open');
      return {
        path: `/api/v1/needs/${need.id}/withdraw`,
        body: { version: need.version, note: '已自行解决' },
      };
    },
  },
  'POST /api/v1/needs/{id}/screen': {
    grassrootsOnly: true,
    prepare: async (cell) => {
      const need = await needFor(cell, 'screening');
      return {
        path: `/api/v1/needs/${need.id}/screen`,
        body: { version: need.version, decision: 'approve' },
      };
    },
  },
};
