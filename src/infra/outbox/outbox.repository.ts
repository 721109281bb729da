import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { OutboxEntity, OutboxOperation } from './outbox.entity';

export interface PendingChange {
  id: string;
  indexName: string;
  documentId: string;
  attempts: number;
}

@Injectable()
export class OutboxRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Inserts through `manager`, i.e. inside the caller's transaction. */
  async insert(
    manager: EntityManager,
    rows: { indexName: string; documentId: string; operation: OutboxOperation }[],
  ) {
    if (rows.length === 0) return;
    await manager.createQueryBuilder().insert().into(OutboxEntity).values(rows).execute();
  }

  /**
   * Runs `work` on up to `limit` due rows, locked so that concurrent relays take disjoint batches.
   * The locks (and `work`'s outcome marks) commit together.
   */
  async withDueBatch<T>(limit: number, work: (rows: PendingChange[], manager: EntityManager) => Promise<T>) {
    return this.dataSource.transaction(async (manager) => {
      const rows: PendingChange[] = await manager.query(
        `SELECT id::text AS id, index_name AS "indexName", document_id AS "documentId", attempts
           FROM outbox
          WHERE processed_at IS NULL AND available_at <= now()
          ORDER BY id
          LIMIT $1
          FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      return { count: rows.length, result: rows.length ? await work(rows, manager) : undefined };
    });
  }

  async markProcessed(manager: EntityManager, ids: string[]): Promise<void> {
    await manager.query(
      `UPDATE outbox SET processed_at = now(), last_error = NULL WHERE id = ANY($1::bigint[])`,
      [ids],
    );
  }

  /** Records a failed try and holds the rows back for `retryInMs`. */
  async markFailed(manager: EntityManager, ids: string[], error: string, retryInMs: number): Promise<void> {
    await manager.query(
      `UPDATE outbox
          SET attempts = attempts + 1, last_error = $2,
              available_at = now() + ($3::int * interval '1 millisecond')
        WHERE id = ANY($1::bigint[])`,
      [ids, error.slice(0, 2000), retryInMs],
    );
  }

  async pendingCount(): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox WHERE processed_at IS NULL`,
    );
    return (row as { n: number }).n;
  }

  /** Pending rows of one index created before `before`: the backlog an engine that was down has not seen. */
  async pendingCreatedBefore(indexName: string, before: Date): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox
        WHERE processed_at IS NULL AND index_name = $1 AND created_at < $2`,
      [indexName, before],
    );
    return (row as { n: number }).n;
  }

  /** Ids of the documents of one index changed (recorded) at or after `since`, processed or not. */
  async documentIdsChangedSince(indexName: string, since: Date): Promise<string[]> {
    const rows: { documentId: string }[] = await this.dataSource.query(
      `SELECT DISTINCT document_id AS "documentId" FROM outbox WHERE index_name = $1 AND created_at >= $2`,
      [indexName, since],
    );
    return rows.map((r) => r.documentId);
  }

  /** Deletes processed rows older than `days`, so the table stays small. */
  async purgeProcessed(days: number): Promise<number> {
    const result: [unknown, number] = await this.dataSource.query(
      `DELETE FROM outbox WHERE processed_at < now() - ($1::int * interval '1 day')`,
      [days],
    );
    return result[1];
  }
}
