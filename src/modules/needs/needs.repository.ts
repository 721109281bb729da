import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import type {
  Cause,
  ArchiveCategory,
  ArchiveKind,
  ArchiveStatus,
  EmploymentStatus,
} from '../archives/archive.enums';
import type { MenuCategory, MenuUnit } from '../menu/menu.enums';
import { NeedEntity, NeedHistoryEntity } from './need.entity';
import type { NeedListSort, NeedState, NeedUrgency } from './needs.enums';
import { ACTIVE_NEED_STATES } from './needs.enums';

/** A need with what its reads show and its index document is built from (one query over five tables). */
export interface NeedRow {
  id: string;
  state: NeedState;
  urgency: NeedUrgency;
  quantity: number;
  tags: string[];
  description: string | null;
  preferredMode: NeedEntity['preferredMode'];
  regionCode: string;
  contactPreference: NeedEntity['contactPreference'];
  rejectReasons: string[];
  onBehalf: boolean;
  createdBy: string;
  openedAt: Date | null;
  expiresAt: Date | null;
  stateChangedAt: Date;
  createdAt: Date;
  updatedAt: Date;
  version: number;
  beneficiaryKey: string;
  itemCode: string;
  itemName: string;
  itemCategory: MenuCategory;
  itemUnit: MenuUnit;
  archiveId: string;
  archiveNo: string | null;
  archiveStatus: ArchiveStatus;
  archiveKind: ArchiveKind;
  archiveCategory: ArchiveCategory;
  archiveCauses: Cause[];
  archiveOwnerUserId: string | null;
  headName: string;
  headBirthDate: string;
  unitId: string;
  unitPath: string;
  unitName: string;
  memberRelation: string | null;
  memberName: string | null;
  memberBirthDate: string | null;
}

const ROW_SELECT = `
  SELECT n.id, n.state, n.urgency, n.quantity, n.tags, n.description, n.preferred_mode AS "preferredMode",
         n.region_code AS "regionCode", n.contact_preference AS "contactPreference",
         n.reject_reasons AS "rejectReasons", n.on_behalf AS "onBehalf", n.created_by AS "createdBy",
         n.opened_at AS "openedAt", n.expires_at AS "expiresAt", n.state_changed_at AS "stateChangedAt",
         n.created_at AS "createdAt", n.updated_at AS "updatedAt", n.version, n.beneficiary_key AS "beneficiaryKey",
         m.code AS "itemCode", m.name AS "itemName", m.category AS "itemCategory", m.unit AS "itemUnit",
         a.id AS "archiveId", a.archive_no AS "archiveNo", a.status AS "archiveStatus", a.kind AS "archiveKind",
         a.category AS "archiveCategory", a.causes AS "archiveCauses", a.owner_user_id AS "archiveOwnerUserId",
         a.head_name AS "headName", to_char(a.head_birth_date, 'YYYY-MM-DD') AS "headBirthDate",
         u.id AS "unitId", u.path AS "unitPath", u.name AS "unitName",
         am.relation AS "memberRelation", am.name AS "memberName",
         to_char(am.birth_date, 'YYYY-MM-DD') AS "memberBirthDate"
    FROM needs n
    JOIN menu_items m ON m.id = n.menu_item_id
    JOIN archives a ON a.id = n.archive_id
    JOIN org_units u ON u.id = a.org_unit_id
    LEFT JOIN archive_members am ON am.archive_id = n.archive_id AND am.id::text = n.beneficiary_key`;

/** A need with the household facts the matcher's filters and scores read (never shown as such). */
export interface NeedMatchRow extends NeedRow {
  employmentStatus: EmploymentStatus;
  perCapitaIncomeFen: number;
  primaryCause: Cause | null;
  householdSize: number;
  archiveRegionCode: string;
}

/** What a list may be narrowed by (every criterion optional but the caller's own restriction). */
export interface NeedListCriteria {
  /** Staff: the subtree (materialized path prefix). */
  scopePath?: string;
  /** Workers: needs of archives they own. */
  ownerUserId?: string;
  states?: NeedState[];
  itemCode?: string;
  category?: string;
  urgency?: NeedUrgency;
  createdFrom?: Date;
  createdBefore?: Date;
  q?: string;
}

export type NewNeed = Omit<
  NeedEntity,
  'id' | 'createdAt' | 'updatedAt' | 'version' | 'archive' | 'menuItem' | 'openedAt' | 'expiresAt'
>;
export type NewHistory = Omit<NeedHistoryEntity, 'id' | 'need'>;

/** Thrown by insert when the partial unique index refuses a second open need (a concurrent duplicate). */
export class NeedUniqueViolation extends Error {}

/** The only code that touches the needs and need_history tables (and reads them joined with their archive). */
@Injectable()
export class NeedsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** The open need (not final) of this household, item and beneficiary, if any. */
  async findOpenDuplicate(
    archiveId: string,
    menuItemId: string,
    beneficiaryKey: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string | null> {
    const [row] = await manager.query(
      `SELECT id FROM needs WHERE archive_id = $1 AND menu_item_id = $2 AND beneficiary_key = $3
          AND state = ANY($4) LIMIT 1`,
      [archiveId, menuItemId, beneficiaryKey, ACTIVE_NEED_STATES],
    );
    return (row?.id as string | undefined) ?? null;
  }

  /** Inserts a `submitted` need; NeedUniqueViolation when another open one holds the same key. */
  async insert(manager: EntityManager, values: NewNeed): Promise<NeedEntity> {
    try {
      return await manager.getRepository(NeedEntity).save(manager.create(NeedEntity, values));
    } catch (error) {
      if (isUniqueViolation(error, 'uq_needs_open_per_beneficiary')) throw new NeedUniqueViolation();
      throw error;
    }
  }

  async insertHistory(manager: EntityManager, row: NewHistory): Promise<void> {
    await manager.getRepository(NeedHistoryEntity).insert(row);
  }

  findForUpdate(manager: EntityManager, id: string): Promise<NeedEntity | null> {
    return manager
      .getRepository(NeedEntity)
      .createQueryBuilder('n')
      .setLock('pessimistic_write')
      .where('n.id = :id', { id })
      .getOne();
  }

  /** Writes a locked need, bumping its version. */
  save(manager: EntityManager, need: NeedEntity): Promise<NeedEntity> {
    return manager.getRepository(NeedEntity).save(need);
  }

  async row(id: string, manager: EntityManager = this.dataSource.manager): Promise<NeedRow | null> {
    const [row] = await manager.query(`${ROW_SELECT} WHERE n.id = $1`, [id]);
    return (row as NeedRow | undefined) ?? null;
  }

  async rows(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<NeedRow[]> {
    if (ids.length === 0) return [];
    return manager.query(`${ROW_SELECT} WHERE n.id = ANY($1::uuid[])`, [ids]);
  }

  /**
   * The matcher's re-read: the rows of `ids` with their household facts, restricted to `states` and, when
   * given, to the subtree `scopePath` and the menu item codes `itemCodes`. Any order.
   */
  async matchRows(
    ids: string[],
    criteria: { states?: NeedState[]; scopePath?: string; itemCodes?: readonly string[] } = {},
  ): Promise<NeedMatchRow[]> {
    if (ids.length === 0) return [];
    const params: unknown[] = [ids];
    const where = [`r.id = ANY($1::uuid[])`];
    if (criteria.states?.length) where.push(`r.state = ANY($${params.push(criteria.states)})`);
    if (criteria.scopePath !== undefined)
      where.push(`starts_with(r."unitPath", $${params.push(criteria.scopePath)})`);
    if (criteria.itemCodes !== undefined)
      where.push(`r."itemCode" = ANY($${params.push([...criteria.itemCodes])})`);
    return this.dataSource.query(
      `SELECT r.*, a.employment_status AS "employmentStatus", a.per_capita_income_fen AS "perCapitaIncomeFen",
              a.primary_cause AS "primaryCause", a.household_size AS "householdSize",
              a.region_code AS "archiveRegionCode"
         FROM (${ROW_SELECT} WHERE n.id = ANY($1::uuid[])) r
         JOIN archives a ON a.id = r."archiveId"
        WHERE ${where.join(' AND ')}`,
      params,
    );
  }

  /**
   * Batch allocation: ids of the open needs of archives under `scopePath`, narrowed by item, category and
   * urgency, longest waiting first, at most `limit`.
   */
  async openIdsIn(
    scopePath: string,
    filter: { itemCodes?: readonly string[]; categories?: readonly string[]; urgencies?: readonly string[] },
    limit: number,
  ): Promise<string[]> {
    const params: unknown[] = [scopePath];
    const where = [`n.state = 'open'`, `starts_with(u.path, $1)`];
    if (filter.itemCodes?.length) where.push(`m.code = ANY($${params.push([...filter.itemCodes])})`);
    if (filter.categories?.length) where.push(`m.category = ANY($${params.push([...filter.categories])})`);
    if (filter.urgencies?.length) where.push(`n.urgency = ANY($${params.push([...filter.urgencies])})`);
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT n.id FROM needs n
         JOIN menu_items m ON m.id = n.menu_item_id
         JOIN archives a ON a.id = n.archive_id
         JOIN org_units u ON u.id = a.org_unit_id
        WHERE ${where.join(' AND ')}
        ORDER BY n.opened_at NULLS LAST, n.id LIMIT $${params.push(limit)}`,
      params,
    );
    return rows.map((r) => r.id);
  }

  /** One page in the list's order (default: urgency, emergency first, then waiting time, oldest first). */
  async list(
    criteria: NeedListCriteria,
    window: { skip: number; take: number },
    sort: NeedListSort = 'urgency',
  ): Promise<{ rows: NeedRow[]; total: number }> {
    const { filter, params } = listWhere(criteria);
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM (${ROW_SELECT} ${filter}) x`,
      params,
    );
    const rows: NeedRow[] = await this.dataSource.query(
      `${ROW_SELECT} ${filter} ORDER BY ${LIST_ORDER[sort]} LIMIT ${window.take} OFFSET ${window.skip}`,
      params,
    );
    return { rows, total: total as number };
  }

  /**
   * The rows of `ids` that still meet `criteria` — the staff list's re-read after the search engine
   * named them: the scope (`scopePath`) and every filter SQL can check are applied again, so a need
   * deleted, moved out of the subtree or changed since its index document was written is left out.
   * The text query is the engine's alone (`q` is ignored here). Any order.
   */
  async confirmRows(ids: string[], criteria: Omit<NeedListCriteria, 'q'>): Promise<NeedRow[]> {
    if (ids.length === 0) return [];
    const { filter, params } = listWhere({ ...criteria, q: undefined }, [`n.id = ANY($1::uuid[])`], [ids]);
    return this.dataSource.query(`${ROW_SELECT} ${filter}`, params);
  }

  history(needId: string): Promise<NeedHistoryEntity[]> {
    return this.dataSource.getRepository(NeedHistoryEntity).find({ where: { needId }, order: { id: 'ASC' } });
  }

  /** Ids of open needs whose validity ran out by `now`, oldest first, at most `limit`. */
  async openExpiredIds(now: Date, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM needs WHERE state = 'open' AND expires_at <= $1 ORDER BY expires_at, id LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Every need id, in batches (the search index's reindex). */
  async *allIds(batchSize: number): AsyncIterable<string[]> {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: { id: string }[] = await this.dataSource.query(
        `SELECT id FROM needs WHERE id > $1 ORDER BY id LIMIT $2`,
        [after, batchSize],
      );
      if (rows.length === 0) return;
      yield rows.map((r) => r.id);
      after = rows[rows.length - 1]!.id;
    }
  }
}

/** ORDER BY of each list order; the id last, so pages are stable (as the search engine's tie-break). */
const LIST_ORDER: Record<NeedListSort, string> = {
  urgency: `CASE n.urgency WHEN 'emergency' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END, n.created_at, n.id`,
  oldest: 'n.created_at, n.id',
  newest: 'n.created_at DESC, n.id',
};

/** The WHERE clause of a list's criteria, after any `where` given (whose values are `params`). */
function listWhere(
  criteria: NeedListCriteria,
  where: string[] = [],
  params: unknown[] = [],
): { filter: string; params: unknown[] } {
  where = [...where];
  params = [...params];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (criteria.scopePath !== undefined) add((p) => `starts_with(u.path, ${p})`, criteria.scopePath);
  if (criteria.ownerUserId !== undefined) add((p) => `a.owner_user_id = ${p}`, criteria.ownerUserId);
  if (criteria.states?.length) add((p) => `n.state = ANY(${p})`, criteria.states);
  if (criteria.itemCode !== undefined) add((p) => `m.code = ${p}`, criteria.itemCode);
  if (criteria.category !== undefined) add((p) => `m.category = ${p}`, criteria.category);
  if (criteria.urgency !== undefined) add((p) => `n.urgency = ${p}`, criteria.urgency);
  if (criteria.createdFrom !== undefined) add((p) => `n.created_at >= ${p}`, criteria.createdFrom);
  if (criteria.createdBefore !== undefined) add((p) => `n.created_at < ${p}`, criteria.createdBefore);
  if (criteria.q !== undefined) {
    const pattern = `%${criteria.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    add(
      (p) => `(m.name ILIKE ${p} OR n.description ILIKE ${p} OR array_to_string(n.tags, ' ') ILIKE ${p})`,
      pattern,
    );
  }
  return { filter: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driver = error.driverError as { code?: string; constraint?: string };
  return driver.code === '23505' && driver.constraint === constraint;
}
