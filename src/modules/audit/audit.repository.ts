import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuditViewerUnit, AuditScope } from './rules/audit-scope.rule';
import { AuditLogEntity, AuditOutcome } from './audit-log.entity';
import type { HashedAuditFields } from './audit-hash';

/**
 * Held (transaction-scoped) by the one sealer that is linking rows; any constant works as long as every
 * process writing this database uses the same one (4_242_001 is the migration lock).
 */
const AUDIT_SEALER_LOCK = 4_242_003;

/** The last link of the chain: where the sealer resumes. */
export interface ChainHead {
  seq: string;
  hash: string;
  /** The sealed row's transaction id and row id: the sealer continues after this (xid, id). */
  auditXid: string;
  auditLogId: string;
}

/** An audit row as stored, ready to hash: `occurredAt` is the database's text, to the microsecond. */
export interface StoredAuditFields extends Omit<HashedAuditFields, 'occurredAt'> {
  occurredAtText: string;
  xid: string;
}

/** A link to append to the chain. */
export interface ChainLinkToInsert {
  seq: string;
  auditLogId: string;
  auditXid: string;
  prevHash: string;
  hash: string;
}

/**
 * One link of the chain as the verifier reads it, with the row it seals (`row` null when the row is
 * gone, which only tampering can do).
 */
export interface StoredChainLink {
  seq: string;
  auditLogId: string;
  prevHash: string;
  hash: string;
  row: StoredAuditFields | null;
}

/** Audit rows that no link seals, older than a cut-off: a fault when it is not zero. */
export interface UnsealedReport {
  count: number;
  oldestId: string | null;
  oldestAt: Date | null;
}

/** An audit row for the auditor's list, with its place in the chain once sealed. */
export interface AuditLogListRow extends AuditLogEntity {
  chainSeq: string | null;
  prevHash: string | null;
  hash: string | null;
}

export interface AuditLogFilter {
  actorId?: string;
  actorUsername?: string;
  /** Exact action name. */
  action?: string;
  /** Action name prefix, dot included (`auth.`). */
  actionPrefix?: string;
  targetType?: string;
  targetId?: string;
  outcome?: AuditOutcome;
  from?: Date | null;
  before?: Date | null;
}

const ROW_COLUMNS = `a.id::text AS id, a.xid::text AS xid,
       to_char(a.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS "occurredAtText",
       a.actor_id AS "actorId", a.actor_username AS "actorUsername", a.actor_kind AS "actorKind",
       a.actor_roles AS "actorRoles", a.actor_org_unit_id AS "actorOrgUnitId", a.action,
       a.target_type AS "targetType", a.target_id AS "targetId", a.outcome, a.client_ip AS "clientIp",
       a.request_id AS "requestId", a.details`;

@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Appends one row in `manager`'s transaction, taking no lock: the row carries the transaction's id
   * (`pg_current_xact_id()`, the top-level one even inside a savepoint) for the sealer. Without a
   * manager the row is a statement of its own (atomic alone).
   */
  async insert(manager: EntityManager | undefined, row: Omit<HashedAuditFields, 'id'>): Promise<void> {
    await (manager ?? this.dataSource.manager).query(
      `INSERT INTO audit_logs
         (xid, occurred_at, actor_id, actor_username, actor_kind, actor_roles, actor_org_unit_id, action,
          target_type, target_id, outcome, client_ip, request_id, details)
       VALUES (pg_current_xact_id()::text::bigint, $1::timestamptz, $2, $3, $4, $5::text[], $6, $7, $8, $9,
               $10, $11, $12, $13::jsonb)`,
      [
        row.occurredAt,
        row.actorId,
        row.actorUsername,
        row.actorKind,
        row.actorRoles,
        row.actorOrgUnitId,
        row.action,
        row.targetType,
        row.targetId,
        row.outcome,
        row.clientIp,
        row.requestId,
        JSON.stringify(row.details),
      ],
    );
  }

  /**
   * Runs `work` in a transaction holding the sealer lock, or returns null at once when another sealer
   * holds it (`wait: false`, the repeatable job) — or waits for it (`wait: true`, before a verification).
   */
  async asSealer<T>(wait: boolean, work: (manager: EntityManager) => Promise<T>): Promise<T | null> {
    return this.dataSource.transaction(async (manager) => {
      if (wait) {
        await manager.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_SEALER_LOCK]);
      } else {
        const [{ locked }] = (await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [
          AUDIT_SEALER_LOCK,
        ])) as { locked: boolean }[];
        if (!locked) return null;
      }
      return work(manager);
    });
  }

  async chainHead(manager: EntityManager): Promise<ChainHead | null> {
    const rows: ChainHead[] = await manager.query(
      // Qualified: a bare `seq` in ORDER BY would be the text alias and sort '9' after '10'.
      `SELECT c.seq::text AS seq, c.hash, c.audit_xid::text AS "auditXid", c.audit_log_id::text AS "auditLogId"
         FROM audit_chain c ORDER BY c.seq DESC LIMIT 1`,
    );
    return rows[0] ?? null;
  }

  /**
   * Up to `limit` rows after `after` in (xid, id) order whose transactions ended before every transaction
   * still running began — so no row can ever appear before the last one returned: the order is final.
   * One statement, so the snapshot that filters is the snapshot that reads.
   */
  async sealable(
    manager: EntityManager,
    after: { xid: string; id: string },
    limit: number,
  ): Promise<StoredAuditFields[]> {
    return manager.query(
      `SELECT ${ROW_COLUMNS}
         FROM audit_logs a
        WHERE (a.xid, a.id) > ($1::bigint, $2::bigint)
          AND a.xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
        ORDER BY a.xid, a.id
        LIMIT $3`,
      [after.xid, after.id, limit],
    );
  }

  async insertLinks(manager: EntityManager, links: ChainLinkToInsert[], sealedAt: Date): Promise<void> {
    if (links.length === 0) return;
    await manager.query(
      `INSERT INTO audit_chain (seq, audit_log_id, audit_xid, prev_hash, hash, sealed_at)
       SELECT * , $6::timestamptz FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[])`,
      [
        links.map((l) => l.seq),
        links.map((l) => l.auditLogId),
        links.map((l) => l.auditXid),
        links.map((l) => l.prevHash),
        links.map((l) => l.hash),
        sealedAt,
      ],
    );
  }

  /** Up to `limit` links after `afterSeq`, in chain order, each with the row it seals (keyset pagination). */
  async chainBatch(afterSeq: string | null, limit: number): Promise<StoredChainLink[]> {
    const rows: (Record<string, unknown> & { seq: string; linkedId: string; rowFound: boolean })[] =
      await this.dataSource.query(
        `SELECT c.seq::text AS seq, c.audit_log_id::text AS "linkedId", c.prev_hash AS "prevHash",
                c.hash AS "chainHash", a.id IS NOT NULL AS "rowFound", ${ROW_COLUMNS}
           FROM audit_chain c
           LEFT JOIN audit_logs a ON a.id = c.audit_log_id
          WHERE c.seq > $1::bigint
          ORDER BY c.seq
          LIMIT $2`,
        [afterSeq ?? '0', limit],
      );
    return rows.map(({ seq, linkedId, prevHash, chainHash, rowFound, ...row }) => ({
      seq,
      auditLogId: linkedId,
      prevHash: prevHash as string,
      hash: chainHash as string,
      row: rowFound ? (row as unknown as StoredAuditFields) : null,
    }));
  }

  /** Rows written before `cutoff` that no link seals. */
  async unsealedBefore(cutoff: Date): Promise<UnsealedReport> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS count, min(a.id)::text AS "oldestId", min(a.occurred_at) AS "oldestAt"
         FROM audit_logs a
        WHERE a.occurred_at < $1
          AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.audit_log_id = a.id)`,
      [cutoff],
    )) as UnsealedReport[];
    return row;
  }

  /** The auditor's own unit, for its scope (read directly: the org-units table is the tree's source). */
  async viewerUnit(orgUnitId: string): Promise<AuditViewerUnit | null> {
    const rows: { path: string; level: AuditViewerUnit['level']; parentId: string | null }[] =
      await this.dataSource.query(
        'SELECT path, level, parent_id AS "parentId" FROM org_units WHERE id = $1',
        [orgUnitId],
      );
    return rows[0] ?? null;
  }

  /** One page of rows matching `filter` within `scope`, newest first. */
  async search(
    filter: AuditLogFilter,
    scope: AuditScope,
    window: { skip: number; take: number },
  ): Promise<{ rows: AuditLogListRow[]; total: number }> {
    const qb = this.dataSource.getRepository(AuditLogEntity).createQueryBuilder('a');
    switch (scope.kind) {
      case 'none':
        return { rows: [], total: 0 };
      case 'all':
        break;
      case 'subtree': {
        const inSubtree = `a.actor_org_unit_id IN (SELECT u.id FROM org_units u WHERE u.path LIKE :scopePrefix ESCAPE '\\')`;
        qb.andWhere(scope.includeUnitless ? `(${inSubtree} OR a.actor_org_unit_id IS NULL)` : inSubtree, {
          scopePrefix: `${escapeLike(scope.orgPath)}%`,
        });
        break;
      }
    }
    if (filter.actorId) qb.andWhere('a.actor_id = :actorId', { actorId: filter.actorId });
    if (filter.actorUsername) qb.andWhere('a.actor_username = :actorUsername', filter);
    if (filter.action) qb.andWhere('a.action = :action', { action: filter.action });
    if (filter.actionPrefix) {
      qb.andWhere(`a.action LIKE :actionPrefix ESCAPE '\\'`, {
        actionPrefix: `${escapeLike(filter.actionPrefix)}%`,
      });
    }
    if (filter.targetType) qb.andWhere('a.target_type = :targetType', { targetType: filter.targetType });
    if (filter.targetId) qb.andWhere('a.target_id = :targetId', { targetId: filter.targetId });
    if (filter.outcome) qb.andWhere('a.outcome = :outcome', { outcome: filter.outcome });
    if (filter.from) qb.andWhere('a.occurred_at >= :from', { from: filter.from });
    if (filter.before) qb.andWhere('a.occurred_at < :before', { before: filter.before });
    const [rows, total] = await qb
      .orderBy('a.id', 'DESC')
      .skip(window.skip)
      .take(window.take)
      .getManyAndCount();
    const links = await this.linksOf(rows.map((r) => r.id));
    return {
      rows: rows.map((row) => {
        const link = links.get(row.id);
        return Object.assign(row, {
          chainSeq: link?.seq ?? null,
          prevHash: link?.prevHash ?? null,
          hash: link?.hash ?? null,
        });
      }),
      total,
    };
  }

  private async linksOf(
    ids: string[],
  ): Promise<Map<string, { seq: string; prevHash: string; hash: string }>> {
    if (ids.length === 0) return new Map();
    const rows: { auditLogId: string; seq: string; prevHash: string; hash: string }[] =
      await this.dataSource.query(
        `SELECT audit_log_id::text AS "auditLogId", seq::text AS seq, prev_hash AS "prevHash", hash
           FROM audit_chain WHERE audit_log_id = ANY($1::bigint[])`,
        [ids],
      );
    return new Map(rows.map((r) => [r.auditLogId, r]));
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
