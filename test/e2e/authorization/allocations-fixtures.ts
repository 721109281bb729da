import { DataSource } from 'typeorm';
import type { Cell, Fixture } from './fixtures';

const ds = (cell: Cell) => cell.world.t.app.get(DataSource);

/**
 * A finished (empty) plan of the case's unit, started by the actor when it is staff — or, `byOther`, by
 * another account (a plan's author may not approve it).
 */
async function allocationOf(cell: Cell, byOther = false): Promise<string> {
  const [creator] = await ds(cell).query(`SELECT id FROM users WHERE kind = 'staff' AND id <> $1 LIMIT 1`, [
    cell.actor?.userId ?? '00000000-0000-0000-0000-000000000000',
  ]);
  const [row] = await ds(cell).query(
    `INSERT INTO allocations (org_unit_id, strategy, max_candidates_per_need, state, created_by, total, bound,
                              optimal_total, greedy_total, need_count, offer_count, edge_count, assigned,
                              solve_ms, started_at, finished_at, version)
     VALUES ($1, 'optimal', 30, 'done', $2, 0, 0, 0, 0, 0, 0, 0, 0, 1, now(), now(), 1) RETURNING id`,
    [cell.unit!.id, cell.actor?.kind === 'staff' && !byOther ? cell.actor.userId : creator.id],
  );
  return row.id as string;
}

const onAllocation = (suffix: string, byOther = false): Fixture => ({
  prepare: async (cell) => ({ path: `/api/v1/allocations/${await allocationOf(cell, byOther)}${suffix}` }),
});

export const ALLOCATIONS_FIXTURES: Record<string, Fixture> = {
  'POST /api/v1/allocations': {
    prepare: async (cell) => ({ path: '/api/v1/allocations', body: { orgUnitId: cell.unit!.id } }),
  },
  'GET /api/v1/allocations': { prepare: async () => ({ path: '/api/v1/allocations' }) },
  'GET /api/v1/allocations/{id}': onAllocation(''),
  'GET /api/v1/allocations/{id}/lines': onAllocation('/lines'),
  'POST /api/v1/allocations/{id}/discard': onAllocation('/discard'),
  'POST /api/v1/allocations/{id}/rerun': onAllocation('/rerun'),
  'POST /api/v1/allocations/{id}/approve': onAllocation('/approve', true),
};
