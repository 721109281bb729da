import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AuditViewerUnit, AuditScope } from './rules/audit-scope.rule';
import { AuditLogEntity, AuditOutcome } from './audit-log.entity';
import type { HashedAuditFields } from './audit-hash';

/**
 * Serialises every append to the chain (a transaction-scoped advisory lock). Any constant works as long
 * as every process writing this database uses the same one; 4_242_001 is the migration lock.
 */
const AUDIT_CHAIN_LOCK = 4_242_002;

export interface ChainHead {
  id: string;
  hash: string;
}

/** A row ready to insert: the hashed fields plus its link and hash. */
export interface AuditRowToInsert extends HashedAuditFields {
  prevHash: string;
  hash: string;
}

/** A stored row as the verifier sees it: `occurredAt` is the database's text, to the microsecond. */
export interface StoredAuditRow extends Omit<HashedAuditFields, 'occurredAt'> {
  occurredAtText: string;
  prevHash: string;
  hash: string;
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

@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Takes the chain lock (held until `manager`'s transaction ends) and returns the last row, so the
   * caller can link to it. `manager` must be inside a transaction, or the lock would end with the query.
   */
  async lockChainHead(manager: EntityManager): Promise<ChainHead | null> {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
    const rows: ChainHead[] = await manager.query(
      // Qualified: a bare `id` in ORDER BY would be the text alias and sort '9' after '10'.
      'SELECT a.id::text AS id, a.hash FROM audit_logs a ORDER BY a.id DESC LIMIT 1',
    );
    return rows[0] ?? null;
  }

  async insert(manager: EntityManager, row: AuditRowToInsert): Promise<void> {
    await manager.query(
      `INSERT INTO audit_logs
         (id, occurred_at, actor_id, actor_username, actor_kind, actor_roles, actor_org_unit_id, action,
          target_type, target_id, outcome, client_ip, request_id, details, prev_hash, hash)
       VALUES ($1::bigint, $2::timestamptz, $3, $4, $5, $6::text[], $7, $8, $9, $10, $11, $12, $13, $14::jsonb, $15, $16)`,
      [
        row.id,
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
        row.prevHash,
        row.hash,
      ],
    );
  }

  /** Up to `limit` rows after `afterId`, in chain order (keyset pagination: constant cost per batch). */
  async chainBatch(afterId: string | null, limit: number): Promise<StoredAuditRow[]> {
    return this.dataSource.query(
      `SELECT a.id::text AS id,
              to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS "occurredAtText",
              actor_id AS "actorId", actor_username AS "actorUsername", actor_kind AS "actorKind",
              actor_roles AS "actorRoles", actor_org_unit_id AS "actorOrgUnitId", action,
              target_type AS "targetType", target_id AS "targetId", outcome, client_ip AS "clientIp",
              request_id AS "requestId", details, prev_hash AS "prevHash", hash
         FROM audit_logs a
        WHERE a.id > $1::bigint
        ORDER BY a.id
        LIMIT $2`,
      [afterId ?? '0', limit],
    );
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
  ): Promise<{ rows: AuditLogEntity[]; total: number }> {
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
    return { rows, total };
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
