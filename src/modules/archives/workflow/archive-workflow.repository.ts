import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { ArchiveCategory, ArchiveStatus } from '../archive.enums';
import { ArchiveEntity } from '../archive.entity';
import { OrgUnitEntity } from '../../org-units/org-unit.entity';
import {
  ArchiveEventEntity,
  ArchiveObjectionEntity,
  type HomeVisitRecord,
  type ObjectionStatus,
} from './archive-workflow.entities';

/** The columns a transition may set on the archive (version and updated_at move by themselves). */
export type ArchiveWorkflowChanges = Partial<
  Pick<
    ArchiveEntity,
    | 'status'
    | 'kind'
    | 'orgUnitId'
    | 'archiveNo'
    | 'flags'
    | 'submittedBy'
    | 'submittedAt'
    | 'appliedOn'
    | 'noticeStartsOn'
    | 'noticeEndsOn'
    | 'activatedAt'
    | 'lastVerifiedAt'
    | 'relapseWatchUntil'
    | 'conversionRequestedAt'
    | 'nextVisitDueOn'
    | 'transferToUnitId'
    | 'statusBeforeTransfer'
  >
>;

export interface NewArchiveEvent {
  archiveId: string;
  at: Date;
  archiveVersion: number;
  actorId: string | null;
  actorRole: string;
  command: string;
  decision: string | null;
  fromStatus: ArchiveStatus;
  toStatus: ArchiveStatus;
  note: string | null;
  reasons: string[];
  visit: HomeVisitRecord | null;
  details: Record<string, unknown>;
}

export interface PublicNoticeRow {
  archiveId: string;
  headName: string;
  unitName: string;
  category: ArchiveCategory;
  noticeStartsOn: string;
  noticeEndsOn: string;
}

export interface HistoryRow {
  type: 'transition' | 'change';
  at: Date;
  actorId: string | null;
  actorName: string | null;
  actorRole: string | null;
  action: string;
  decision: string | null;
  fromStatus: ArchiveStatus | null;
  toStatus: ArchiveStatus | null;
  note: string | null;
  reasons: string[] | null;
  visit: HomeVisitRecord | null;
  details: Record<string, unknown> | null;
  version: number | null;
  diff: Record<string, { from: unknown; to: unknown }> | null;
}

/** The workflow's persistence: archive rows locked and moved, events, objections, numbers, notices. */
@Injectable()
export class ArchiveWorkflowRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** The archive, row-locked until the transaction ends (members and income items are not loaded). */
  lockArchive(manager: EntityManager, id: string): Promise<ArchiveEntity | null> {
    return manager
      .getRepository(ArchiveEntity)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  findArchive(id: string): Promise<ArchiveEntity | null> {
    return this.dataSource.getRepository(ArchiveEntity).findOne({ where: { id } });
  }

  findUnit(id: string, manager: EntityManager = this.dataSource.manager): Promise<OrgUnitEntity | null> {
    return manager.getRepository(OrgUnitEntity).findOne({ where: { id } });
  }

  /** Applies `changes` if the archive is still at `expectedVersion`; the row as it now is, or null. */
  async updateArchive(
    manager: EntityManager,
    id: string,
    expectedVersion: number,
    changes: ArchiveWorkflowChanges,
  ): Promise<ArchiveEntity | null> {
    const result = await manager
      .createQueryBuilder()
      .update(ArchiveEntity)
      .set(changes)
      .where('id = :id AND version = :version', { id, version: expectedVersion })
      .execute();
    if ((result.affected ?? 0) === 0) return null;
    return manager.getRepository(ArchiveEntity).findOneOrFail({ where: { id } });
  }

  async insertEvent(manager: EntityManager, event: NewArchiveEvent): Promise<void> {
    // jsonb columns (details, visit) defeat TypeORM's deep-partial typing; the shape is NewArchiveEvent.
    await manager
      .getRepository(ArchiveEventEntity)
      .insert(event as QueryDeepPartialEntity<ArchiveEventEntity>);
  }

  /** Actors of the given commands since the archive was last submitted (the current round of decisions). */
  async deciderIdsSinceSubmit(
    manager: EntityManager,
    archiveId: string,
    commands: string[],
  ): Promise<string[]> {
    const rows: Array<{ actor_id: string }> = await manager.query(
      `SELECT DISTINCT e.actor_id FROM archive_events e
        WHERE e.archive_id = $1 AND e.command = ANY($2) AND e.actor_id IS NOT NULL
          AND e.seq > COALESCE((SELECT max(s.seq) FROM archive_events s
                                 WHERE s.archive_id = $1 AND s.command IN ('submit', 'convert')), 0)`,
      [archiveId, commands],
    );
    return rows.map((r) => r.actor_id);
  }

  /**
   * Everyone who ever submitted the archive (or sent it to 转正, which submits it again): `submittedBy`
   * only holds the latest submitter, and a returned archive may be resubmitted by someone else.
   */
  async submitterIds(manager: EntityManager, archiveId: string): Promise<string[]> {
    const rows: Array<{ actor_id: string }> = await manager.query(
      `SELECT DISTINCT actor_id FROM archive_events
        WHERE archive_id = $1 AND command IN ('submit', 'convert') AND actor_id IS NOT NULL`,
      [archiveId],
    );
    return rows.map((r) => r.actor_id);
  }

  /** Who approved the archive's latest notice round (the last approval that opened a notice). */
  async lastApproverId(manager: EntityManager, archiveId: string): Promise<string | null> {
    const rows: Array<{ actor_id: string | null }> = await manager.query(
      `SELECT actor_id FROM archive_events
        WHERE archive_id = $1 AND command = 'approve' AND decision = 'approve'
        ORDER BY seq DESC LIMIT 1`,
      [archiveId],
    );
    return rows[0]?.actor_id ?? null;
  }

  /** Who started the archive's latest transfer. */
  async lastTransferRequester(manager: EntityManager, archiveId: string): Promise<string | null> {
    const rows: Array<{ actor_id: string | null }> = await manager.query(
      `SELECT actor_id FROM archive_events WHERE archive_id = $1 AND command = 'transfer' ORDER BY seq DESC LIMIT 1`,
      [archiveId],
    );
    return rows[0]?.actor_id ?? null;
  }

  /** The next number of `region` in `year`: one statement, so concurrent activations never share one. */
  async nextArchiveSeq(manager: EntityManager, regionCode: string, year: number): Promise<number> {
    const rows: Array<{ last: number }> = await manager.query(
      `INSERT INTO archive_number_counters (region_code, year, last) VALUES ($1, $2, 1)
       ON CONFLICT (region_code, year) DO UPDATE SET last = archive_number_counters.last + 1
       RETURNING last`,
      [regionCode, year],
    );
    return rows[0].last;
  }

  // ---- objections ----------------------------------------------------------------------------

  async insertObjection(
    manager: EntityManager,
    objection: Pick<
      ArchiveObjectionEntity,
      'id' | 'archiveId' | 'lodgedAt' | 'noticeStartsOn' | 'reason' | 'contactCiphertext'
    >,
  ): Promise<ArchiveObjectionEntity> {
    const repo = manager.getRepository(ArchiveObjectionEntity);
    const result = await repo.insert({ ...objection, status: 'open' });
    const id = (result.identifiers[0] as { id: string }).id;
    return repo.findOneOrFail({ where: { id } });
  }

  lockObjection(
    manager: EntityManager,
    archiveId: string,
    id: string,
  ): Promise<ArchiveObjectionEntity | null> {
    return manager
      .getRepository(ArchiveObjectionEntity)
      .findOne({ where: { id, archiveId }, lock: { mode: 'pessimistic_write' } });
  }

  async resolveObjection(
    manager: EntityManager,
    id: string,
    resolution: {
      status: ObjectionStatus;
      resolutionNote: string | null;
      resolvedBy: string;
      resolvedAt: Date;
    },
  ): Promise<void> {
    await manager.getRepository(ArchiveObjectionEntity).update({ id }, resolution);
  }

  listObjections(archiveId: string, status?: ObjectionStatus): Promise<ArchiveObjectionEntity[]> {
    return this.dataSource.getRepository(ArchiveObjectionEntity).find({
      where: status ? { archiveId, status } : { archiveId },
      order: { lodgedAt: 'DESC' },
    });
  }

  async countOpenObjections(manager: EntityManager, archiveId: string): Promise<number> {
    return manager.getRepository(ArchiveObjectionEntity).count({ where: { archiveId, status: 'open' } });
  }

  // ---- sweeps (ids only; each archive is then handled in its own transaction) ---------------------

  /** Archives whose notice ended before `today` and that have no open objection. */
  async publicizedDueIds(today: string, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT a.id FROM archives a
        WHERE a.status = 'publicizing' AND a.notice_ends_on < $1
          AND NOT EXISTS (SELECT 1 FROM archive_objections o WHERE o.archive_id = a.id AND o.status = 'open')
        ORDER BY a.notice_ends_on, a.id LIMIT $2`,
      [today, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Temporary archives still open whose activation (or creation, if never active) is at or before `cutoff`. */
  /** Drafts not changed since `cutoff`. */
  async staleDraftIds(cutoff: Date, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM archives WHERE status = 'draft' AND updated_at <= $1 ORDER BY id LIMIT $2`,
      [cutoff, limit],
    );
    return rows.map((r) => r.id);
  }

  async expiredTemporaryIds(
    cutoff: Date,
    statuses: readonly ArchiveStatus[],
    limit: number,
  ): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM archives
        WHERE kind = 'temporary' AND status = ANY($1) AND COALESCE(activated_at, created_at) <= $2
        ORDER BY id LIMIT $3`,
      [statuses, cutoff, limit],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Active archives whose `stale_verification` flag is wrong: last verified (or activated, if never
   * verified since) at or before `cutoff` without the flag, or after it with the flag.
   */
  async staleFlagMismatchIds(cutoff: Date, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM archives
        WHERE status = 'active'
          AND ((COALESCE(last_verified_at, activated_at, created_at) <= $1) <> ('stale_verification' = ANY(flags)))
        ORDER BY id LIMIT $2`,
      [cutoff, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Exited archives still flagged `relapse_watch` whose watch ended before `today` (or has no end). */
  async relapseWatchEndedIds(today: string, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM archives
        WHERE status = 'exited' AND 'relapse_watch' = ANY(flags)
          AND (relapse_watch_until IS NULL OR relapse_watch_until < $1)
        ORDER BY id LIMIT $2`,
      [today, limit],
    );
    return rows.map((r) => r.id);
  }

  // ---- reads -----------------------------------------------------------------------------------

  /** Archives in notice on `today` (started, not yet ended, status publicizing), optionally within a unit's subtree. */
  async publicNotices(
    today: string,
    filter: { unitPath?: string; category?: ArchiveCategory },
    window: { skip: number; take: number },
  ): Promise<{ rows: PublicNoticeRow[]; total: number }> {
    const qb = this.dataSource
      .createQueryBuilder(ArchiveEntity, 'a')
      .innerJoin(OrgUnitEntity, 'u', 'u.id = a.orgUnitId')
      .where(`a.status = 'publicizing'`)
      // An ended notice held back only by an open objection is no longer on public display.
      .andWhere('a.noticeStartsOn <= :today AND a.noticeEndsOn >= :today', { today });
    if (filter.unitPath) qb.andWhere('u.path LIKE :path', { path: `${escapeLike(filter.unitPath)}%` });
    if (filter.category) qb.andWhere('a.category = :category', { category: filter.category });
    const total = await qb.getCount();
    const rows = await qb
      .select([
        'a.id AS "archiveId"',
        'a.headName AS "headName"',
        'u.name AS "unitName"',
        'a.category AS "category"',
        `to_char(a.noticeStartsOn, 'YYYY-MM-DD') AS "noticeStartsOn"`,
        `to_char(a.noticeEndsOn, 'YYYY-MM-DD') AS "noticeEndsOn"`,
      ])
      .orderBy('a.noticeStartsOn', 'DESC')
      .addOrderBy('a.id', 'ASC')
      .offset(window.skip)
      .limit(window.take)
      .getRawMany<PublicNoticeRow>();
    return { rows, total };
  }

  /** Workflow events and field-level versions of one archive, newest first. */
  async history(
    archiveId: string,
    window: { skip: number; take: number },
  ): Promise<{ rows: HistoryRow[]; total: number }> {
    const merged = `
      SELECT 'transition' AS type, e.at, e.actor_id, e.actor_role, e.command AS action, e.decision,
             e.from_status, e.to_status, e.note, e.reasons, e.visit, e.details,
             NULL::int AS version, NULL::jsonb AS diff, e.archive_version AS sort_version, 1 AS tiebreak, e.seq
        FROM archive_events e WHERE e.archive_id = $1
      UNION ALL
      SELECT 'change', v.changed_at, v.changed_by, NULL, v.action, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
             v.version, v.diff, v.version, 0, 0
        FROM archive_versions v WHERE v.archive_id = $1`;
    const [{ total }]: Array<{ total: string }> = await this.dataSource.query(
      `SELECT count(*) AS total FROM (${merged}) h`,
      [archiveId],
    );
    const raw: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT h.*, u.display_name AS actor_name FROM (${merged}) h
         LEFT JOIN users u ON u.id = h.actor_id
        ORDER BY h.at DESC, h.sort_version DESC, h.tiebreak DESC, h.seq DESC
        OFFSET $2 LIMIT $3`,
      [archiveId, window.skip, window.take],
    );
    const rows = raw.map((r): HistoryRow => ({
      type: r.type as HistoryRow['type'],
      at: r.at as Date,
      actorId: (r.actor_id as string | null) ?? null,
      actorName: (r.actor_name as string | null) ?? null,
      actorRole: (r.actor_role as string | null) ?? null,
      action: r.action as string,
      decision: (r.decision as string | null) ?? null,
      fromStatus: (r.from_status as ArchiveStatus | null) ?? null,
      toStatus: (r.to_status as ArchiveStatus | null) ?? null,
      note: (r.note as string | null) ?? null,
      reasons: (r.reasons as string[] | null) ?? null,
      visit: (r.visit as HomeVisitRecord | null) ?? null,
      details: (r.details as Record<string, unknown> | null) ?? null,
      version: (r.version as number | null) ?? null,
      diff: (r.diff as HistoryRow['diff']) ?? null,
    }));
    return { rows, total: Number(total) };
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
