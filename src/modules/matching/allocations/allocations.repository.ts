import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { NeedUrgency } from '../../needs/needs.enums';
import type { ScoreTerm } from '../scoring/score';
import { AllocationEntity, AllocationLineEntity } from './allocation.entity';
import {
  DISCARDABLE_ALLOCATION_STATES,
  type AllocationPhase,
  type AllocationState,
  type UnassignedReason,
} from './allocations.enums';

/** An allocation with its unit's path and name (scope checks and display). */
export interface AllocationRow extends AllocationEntity {
  orgUnitPath: string;
  orgUnitName: string;
}

export type NewAllocation = Pick<
  AllocationEntity,
  'orgUnitId' | 'strategy' | 'maxCandidatesPerNeed' | 'offerIds' | 'offerFilter' | 'needFilter' | 'createdBy'
>;

export interface NewAllocationLine {
  needId: string;
  offerId: string | null;
  score: number | null;
  breakdown: ScoreTerm[] | null;
  reason: UnassignedReason | null;
}

export interface AllocationTotals {
  needCount: number;
  offerCount: number;
  edgeCount: number;
  total: number;
  bound: number | null;
  optimalTotal: number | null;
  greedyTotal: number;
  assigned: number;
  solveMs: number;
}

export interface AllocationLineRow {
  needId: string;
  itemCode: string;
  itemName: string;
  urgency: NeedUrgency;
  unitName: string;
  offerId: string | null;
  offerTitle: string | null;
  partnerName: string | null;
  score: number | null;
  breakdown: ScoreTerm[] | null;
  reason: UnassignedReason | null;
}

const ROW_SELECT = `
  SELECT al.id, al.org_unit_id AS "orgUnitId", al.strategy, al.max_candidates_per_need AS "maxCandidatesPerNeed",
         al.offer_ids AS "offerIds", al.offer_filter AS "offerFilter", al.need_filter AS "needFilter", al.state,
         al.phase, al.progress_done AS "progressDone", al.progress_total AS "progressTotal",
         al.need_count AS "needCount", al.offer_count AS "offerCount", al.edge_count AS "edgeCount", al.total,
         al.bound, al.optimal_total AS "optimalTotal", al.greedy_total AS "greedyTotal", al.assigned,
         al.solve_ms AS "solveMs", al.error_code AS "errorCode", al.created_by AS "createdBy",
         al.created_at AS "createdAt", al.started_at AS "startedAt", al.finished_at AS "finishedAt",
         al.discarded_at AS "discardedAt", al.discarded_by AS "discardedBy", al.version,
         u.path AS "orgUnitPath", u.name AS "orgUnitName"
    FROM allocations al JOIN org_units u ON u.id = al.org_unit_id`;

/** Lines are written this many at a time (one INSERT … SELECT FROM unnest per batch). */
const LINE_BATCH = 5000;

/** The only TypeORM code of batch allocation. */
@Injectable()
export class AllocationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insert(manager: EntityManager, values: NewAllocation): Promise<string> {
    const saved = await manager.getRepository(AllocationEntity).save({ ...values, state: 'queued' as const });
    return saved.id;
  }

  async row(id: string): Promise<AllocationRow | null> {
    const rows: AllocationRow[] = await this.dataSource.query(`${ROW_SELECT} WHERE al.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Allocations of units under `scopePath`, newest first. */
  async list(
    scopePath: string,
    state: AllocationState | undefined,
    window: { skip: number; take: number },
  ): Promise<{ rows: AllocationRow[]; total: number }> {
    const params: unknown[] = [scopePath];
    const where = [`starts_with(u.path, $1)`];
    if (state) where.push(`al.state = $${params.push(state)}`);
    const filter = `WHERE ${where.join(' AND ')}`;
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM allocations al JOIN org_units u ON u.id = al.org_unit_id ${filter}`,
      params,
    );
    const rows: AllocationRow[] = await this.dataSource.query(
      `${ROW_SELECT} ${filter} ORDER BY al.created_at DESC, al.id LIMIT ${window.take} OFFSET ${window.skip}`,
      params,
    );
    return { rows, total: total as number };
  }

  /** Queued (or running, when a try is retried) → running from the first phase; null when it is not to run. */
  async claim(id: string, now: Date): Promise<AllocationRow | null> {
    const [rows] = await this.dataSource.query(
      `UPDATE allocations SET state = 'running', phase = 'candidates', progress_done = 0, progress_total = 0,
              started_at = $2, version = version + 1
        WHERE id = $1 AND state IN ('queued','running') RETURNING id`,
      [id, now],
    );
    return (rows as unknown[]).length > 0 ? this.row(id) : null;
  }

  /** Records progress; false when the allocation no longer runs (discarded meanwhile). */
  async progress(id: string, phase: AllocationPhase, done: number, total: number): Promise<boolean> {
    const [rows] = await this.dataSource.query(
      `UPDATE allocations SET phase = $2, progress_done = $3, progress_total = $4
        WHERE id = $1 AND state = 'running' RETURNING id`,
      [id, phase, done, total],
    );
    return (rows as unknown[]).length > 0;
  }

  /** The state, the row locked until `manager`'s transaction ends. */
  async lockState(manager: EntityManager, id: string): Promise<AllocationState | null> {
    const rows: { state: AllocationState }[] = await manager.query(
      `SELECT state FROM allocations WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0]?.state ?? null;
  }

  async insertLines(
    manager: EntityManager,
    allocationId: string,
    lines: readonly NewAllocationLine[],
  ): Promise<void> {
    for (let start = 0; start < lines.length; start += LINE_BATCH) {
      const batch = lines.slice(start, start + LINE_BATCH);
      await manager.query(
        `INSERT INTO allocation_lines (allocation_id, need_id, offer_id, score, breakdown, reason)
         SELECT $1, need_id, offer_id, score, breakdown, reason
           FROM unnest($2::uuid[], $3::uuid[], $4::int[], $5::jsonb[], $6::varchar[])
                AS t(need_id, offer_id, score, breakdown, reason)`,
        [
          allocationId,
          batch.map((l) => l.needId),
          batch.map((l) => l.offerId),
          batch.map((l) => l.score),
          batch.map((l) => (l.breakdown ? JSON.stringify(l.breakdown) : null)),
          batch.map((l) => l.reason),
        ],
      );
    }
  }

  async finish(manager: EntityManager, id: string, totals: AllocationTotals, now: Date): Promise<void> {
    await manager.query(
      `UPDATE allocations SET state = 'done', phase = NULL, progress_done = $2, progress_total = $2, need_count = $2, offer_count = $3, edge_count = $4,
              total = $5, bound = $6, optimal_total = $7, greedy_total = $8, assigned = $9, solve_ms = $10,
              finished_at = $11, version = version + 1
        WHERE id = $1`,
      [
        id,
        totals.needCount,
        totals.offerCount,
        totals.edgeCount,
        totals.total,
        totals.bound,
        totals.optimalTotal,
        totals.greedyTotal,
        totals.assigned,
        totals.solveMs,
        now,
      ],
    );
  }

  /** Queued or running → failed with `code`; false when it had already left those states. */
  async fail(
    id: string,
    code: string,
    counts: { needCount?: number; offerCount?: number },
    now: Date,
  ): Promise<boolean> {
    const [rows] = await this.dataSource.query(
      `UPDATE allocations SET state = 'failed', phase = NULL, error_code = $2, need_count = $3, offer_count = $4,
              finished_at = $5, version = version + 1
        WHERE id = $1 AND state IN ('queued','running') RETURNING id`,
      [id, code, counts.needCount ?? null, counts.offerCount ?? null, now],
    );
    return (rows as unknown[]).length > 0;
  }

  /** → discarded from a discardable state; false when it was in none. */
  async discard(manager: EntityManager, id: string, by: string, now: Date): Promise<boolean> {
    const [rows] = await manager.query(
      `UPDATE allocations SET state = 'discarded', phase = NULL, discarded_at = $3, discarded_by = $2,
              version = version + 1
        WHERE id = $1 AND state = ANY($4) RETURNING id`,
      [id, by, now, DISCARDABLE_ALLOCATION_STATES],
    );
    return (rows as unknown[]).length > 0;
  }

  /** Per plan, how many needs were left unassigned for each reason (one query for a whole page). */
  async unassignedCounts(ids: readonly string[]): Promise<Map<string, Record<UnassignedReason, number>>> {
    const counts = new Map(
      ids.map((id) => [id, { no_eligible_offer: 0, capacity_taken: 0, changed_during_run: 0 }]),
    );
    if (ids.length === 0) return counts;
    const rows: { allocation_id: string; reason: UnassignedReason; n: number }[] =
      await this.dataSource.query(
        `SELECT allocation_id, reason, count(*)::int AS n FROM allocation_lines
        WHERE allocation_id = ANY($1::uuid[]) AND reason IS NOT NULL GROUP BY allocation_id, reason`,
        [ids],
      );
    for (const r of rows) counts.get(r.allocation_id)![r.reason] = r.n;
    return counts;
  }

  /** One page of the plan's lines (assigned: best score first) or of its unassigned needs. */
  async lines(
    id: string,
    kind: 'assigned' | 'unassigned',
    window: { skip: number; take: number },
  ): Promise<{ rows: AllocationLineRow[]; total: number }> {
    const filter = `WHERE l.allocation_id = $1 AND l.offer_id IS ${kind === 'assigned' ? 'NOT NULL' : 'NULL'}`;
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM allocation_lines l ${filter}`,
      [id],
    );
    const rows: AllocationLineRow[] = await this.dataSource.query(
      `SELECT l.need_id AS "needId", m.code AS "itemCode", m.name AS "itemName", n.urgency, u.name AS "unitName",
              l.offer_id AS "offerId", o.title AS "offerTitle", p.name AS "partnerName",
              l.score, l.breakdown, l.reason
         FROM allocation_lines l
         JOIN needs n ON n.id = l.need_id
         JOIN menu_items m ON m.id = n.menu_item_id
         JOIN archives a ON a.id = n.archive_id
         JOIN org_units u ON u.id = a.org_unit_id
         LEFT JOIN offers o ON o.id = l.offer_id
         LEFT JOIN partners p ON p.id = o.partner_id
        ${filter}
        ORDER BY l.score DESC NULLS LAST, l.reason, l.need_id
        LIMIT ${window.take} OFFSET ${window.skip}`,
      [id],
    );
    return { rows, total: total as number };
  }

  /** Lines of the allocation (for tests and the coming approval: need → offer). */
  lineEntities(allocationId: string): Promise<AllocationLineEntity[]> {
    return this.dataSource.getRepository(AllocationLineEntity).find({ where: { allocationId } });
  }
}
