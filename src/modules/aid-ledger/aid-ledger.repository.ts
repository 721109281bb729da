import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Cause } from '../archives/archive.enums';
import type { MenuCategory } from '../menu/menu.enums';
import { AidLedgerEntryEntity } from './aid-ledger-entry.entity';
import type { ReceiptMode } from './aid-ledger.enums';
import type { LedgerRow } from './rules/aid-limits.rule';

export type NewLedgerEntry = Pick<
  AidLedgerEntryEntity,
  | 'archiveId'
  | 'beneficiaryKey'
  | 'offerId'
  | 'partnerId'
  | 'menuItemId'
  | 'category'
  | 'cause'
  | 'valueFen'
  | 'aidDate'
  | 'receivedVia'
  | 'matchId'
  | 'reverses'
  | 'note'
  | 'recordedBy'
>;

/** A ledger row with what its reads show (one query over six tables). */
export interface LedgerListRow {
  id: string;
  archiveId: string;
  archiveNo: string | null;
  archiveOwnerUserId: string | null;
  headName: string;
  beneficiaryKey: string;
  memberRelation: string | null;
  memberName: string | null;
  offerId: string | null;
  offerTitle: string | null;
  partnerId: string | null;
  partnerName: string | null;
  itemCode: string | null;
  itemName: string | null;
  category: MenuCategory;
  cause: Cause;
  valueFen: number;
  aidDate: string;
  receivedVia: ReceiptMode;
  matchId: string | null;
  reverses: string | null;
  reversedBy: string | null;
  note: string | null;
  unitId: string;
  unitName: string;
  unitPath: string;
  createdAt: Date;
}

/** What the staff ledger may be narrowed by; `scopePath` (a subtree) or `archiveId` always given. */
export interface LedgerCriteria {
  scopePath?: string;
  archiveId?: string;
  category?: MenuCategory;
  offerId?: string;
  partnerId?: string;
  /** Inclusive YYYY-MM-DD bounds on the aid date. */
  from?: string;
  to?: string;
}

export interface LedgerTotals {
  byCategory: { category: MenuCategory; valueFen: number; rows: number }[];
  byUnit: { orgUnitId: string; orgUnitName: string; valueFen: number; rows: number }[];
}

const ROW_SELECT = `
  SELECT l.id, l.archive_id AS "archiveId", a.archive_no AS "archiveNo", a.owner_user_id AS "archiveOwnerUserId",
         a.head_name AS "headName", l.beneficiary_key AS "beneficiaryKey",
         am.relation AS "memberRelation", am.name AS "memberName",
         l.offer_id AS "offerId", o.title AS "offerTitle", l.partner_id AS "partnerId", p.name AS "partnerName",
         m.code AS "itemCode", m.name AS "itemName", l.category, l.cause, l.value_fen AS "valueFen",
         to_char(l.aid_date, 'YYYY-MM-DD') AS "aidDate", l.received_via AS "receivedVia", l.match_id AS "matchId",
         l.reverses, r.id AS "reversedBy", l.note, u.id AS "unitId", u.name AS "unitName", u.path AS "unitPath",
         l.created_at AS "createdAt"
    FROM aid_ledger l
    JOIN archives a ON a.id = l.archive_id
    JOIN org_units u ON u.id = a.org_unit_id
    LEFT JOIN archive_members am ON am.archive_id = l.archive_id AND am.id::text = l.beneficiary_key
    LEFT JOIN offers o ON o.id = l.offer_id
    LEFT JOIN partners p ON p.id = l.partner_id
    LEFT JOIN menu_items m ON m.id = l.menu_item_id
    LEFT JOIN aid_ledger r ON r.reverses = l.id`;

/** The only code that touches aid_ledger. */
@Injectable()
export class AidLedgerRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Serialises the ledger's writes and checks per household until the caller's transaction ends: two
   * approvals for one household cannot both pass a cap. A transaction-scoped advisory lock, since the
   * application's role may not lock ledger rows (it holds no UPDATE on them).
   */
  async lockHousehold(manager: EntityManager, archiveId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('aid_ledger:' || $1, 0))`, [
      archiveId,
    ]);
  }

  /** Every row of the household, for the rules (reversed rows and reversals included). */
  async householdRows(manager: EntityManager, archiveId: string): Promise<LedgerRow[]> {
    return manager.query(
      `SELECT id, to_char(aid_date, 'YYYY-MM-DD') AS date, category, cause, value_fen AS "valueFen", reverses
         FROM aid_ledger WHERE archive_id = $1 ORDER BY aid_date, created_at, id`,
      [archiveId],
    );
  }

  async insert(manager: EntityManager, values: NewLedgerEntry): Promise<AidLedgerEntryEntity> {
    const repository = manager.getRepository(AidLedgerEntryEntity);
    return repository.save(repository.create(values));
  }

  findById(manager: EntityManager, id: string): Promise<AidLedgerEntryEntity | null> {
    return manager.getRepository(AidLedgerEntryEntity).findOneBy({ id });
  }

  /** Whether a reversal of `id` exists. */
  isReversed(manager: EntityManager, id: string): Promise<boolean> {
    return manager.getRepository(AidLedgerEntryEntity).existsBy({ reverses: id });
  }

  /** Sum of values (reversals net out) of each household since `since` (inclusive, YYYY-MM-DD). */
  async valueSince(archiveIds: readonly string[], since: string): Promise<Map<string, number>> {
    if (archiveIds.length === 0) return new Map();
    const rows: { archiveId: string; total: string }[] = await this.dataSource.query(
      `SELECT archive_id AS "archiveId", SUM(value_fen)::bigint AS total
         FROM aid_ledger WHERE archive_id = ANY($1::uuid[]) AND aid_date >= $2 GROUP BY archive_id`,
      [[...new Set(archiveIds)], since],
    );
    return new Map(rows.map((r) => [r.archiveId, Number(r.total)]));
  }

  async list(
    criteria: LedgerCriteria,
    window: { skip: number; take: number },
  ): Promise<{ rows: LedgerListRow[]; total: number }> {
    const { where, params } = whereOf(criteria);
    const [rows, count] = await Promise.all([
      this.dataSource.query(
        `${ROW_SELECT} ${where} ORDER BY l.aid_date DESC, l.created_at DESC, l.id
          LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, window.take, window.skip],
      ) as Promise<LedgerListRow[]>,
      this.dataSource.query(
        `SELECT COUNT(*)::int AS n FROM aid_ledger l JOIN archives a ON a.id = l.archive_id
           JOIN org_units u ON u.id = a.org_unit_id ${where}`,
        params,
      ) as Promise<{ n: number }[]>,
    ]);
    return { rows, total: count[0]?.n ?? 0 };
  }

  /** Net totals (reversals included) of the filtered rows, by category and by the archive's unit. */
  async totals(criteria: LedgerCriteria): Promise<LedgerTotals> {
    const { where, params } = whereOf(criteria);
    const from = `FROM aid_ledger l JOIN archives a ON a.id = l.archive_id JOIN org_units u ON u.id = a.org_unit_id`;
    const [byCategory, byUnit] = await Promise.all([
      this.dataSource.query(
        `SELECT l.category, SUM(l.value_fen)::bigint AS "valueFen",
                COUNT(*) FILTER (WHERE l.reverses IS NULL)::int AS rows
           ${from} ${where} GROUP BY l.category ORDER BY l.category`,
        params,
      ) as Promise<{ category: MenuCategory; valueFen: string; rows: number }[]>,
      this.dataSource.query(
        `SELECT u.id AS "orgUnitId", u.name AS "orgUnitName", SUM(l.value_fen)::bigint AS "valueFen",
                COUNT(*) FILTER (WHERE l.reverses IS NULL)::int AS rows
           ${from} ${where} GROUP BY u.id, u.name ORDER BY u.name, u.id`,
        params,
      ) as Promise<{ orgUnitId: string; orgUnitName: string; valueFen: string; rows: number }[]>,
    ]);
    return {
      byCategory: byCategory.map((r) => ({ ...r, valueFen: Number(r.valueFen) })),
      byUnit: byUnit.map((r) => ({ ...r, valueFen: Number(r.valueFen) })),
    };
  }
}

function whereOf(criteria: LedgerCriteria): { where: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(`$${params.length}`));
  };
  if (criteria.scopePath !== undefined) add((p) => `starts_with(u.path, ${p})`, criteria.scopePath);
  if (criteria.archiveId !== undefined) add((p) => `l.archive_id = ${p}`, criteria.archiveId);
  if (criteria.category !== undefined) add((p) => `l.category = ${p}`, criteria.category);
  if (criteria.offerId !== undefined) add((p) => `l.offer_id = ${p}`, criteria.offerId);
  if (criteria.partnerId !== undefined) add((p) => `l.partner_id = ${p}`, criteria.partnerId);
  if (criteria.from !== undefined) add((p) => `l.aid_date >= ${p}::date`, criteria.from);
  if (criteria.to !== undefined) add((p) => `l.aid_date <= ${p}::date`, criteria.to);
  if (conditions.length === 0) throw new Error('aid ledger list without a scope or a household');
  return { where: `WHERE ${conditions.join(' AND ')}`, params };
}
