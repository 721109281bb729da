import { auditRowHash, GENESIS_HASH } from './audit-hash';
import type { AuditRepository, StoredAuditRow } from './audit.repository';

export type ChainProblemKind = 'hash_mismatch' | 'broken_link' | 'gap';

export interface ChainProblem {
  /** The row where the problem shows. */
  id: string;
  kind: ChainProblemKind;
  detail: string;
}

export interface ChainReport {
  ok: boolean;
  /** Rows read. */
  rows: number;
  /** The last row: worth writing down outside the system, since a chain alone cannot reveal a cut tail. */
  head: { id: string; hash: string } | null;
  /** The first `maxProblems` problems, in chain order. */
  problems: ChainProblem[];
  /** More problems were found than listed. */
  truncated: boolean;
}

export interface VerifyOptions {
  batchSize?: number;
  maxProblems?: number;
}

/**
 * Walks the whole chain in id order, a batch at a time, and checks for every row:
 * - gap: its id follows the previous row's (ids are gapless by construction, so a hole is a deletion);
 * - broken link: its prev_hash is the previous row's stored hash (genesis: 64 zeros);
 * - hash mismatch: its hash is what its own fields and prev_hash hash to (audit-hash.ts).
 * Links are checked against the stored hash, so an edited row shows as one hash mismatch on itself, and
 * an edited row whose hash was recomputed shows as a broken link on the next row.
 */
export async function verifyAuditChain(
  repository: AuditRepository,
  options: VerifyOptions = {},
): Promise<ChainReport> {
  const batchSize = options.batchSize ?? 1000;
  const maxProblems = options.maxProblems ?? 100;
  const problems: ChainProblem[] = [];
  let truncated = false;
  let rows = 0;
  let previous: { id: bigint; hash: string } | null = null;

  const report = (id: string, kind: ChainProblemKind, detail: string) => {
    if (problems.length < maxProblems) problems.push({ id, kind, detail });
    else truncated = true;
  };

  for (;;) {
    const batch: StoredAuditRow[] = await repository.chainBatch(
      previous ? previous.id.toString() : null,
      batchSize,
    );
    for (const row of batch) {
      rows += 1;
      const id = BigInt(row.id);
      const expectedId: bigint = previous ? previous.id + 1n : 1n;
      if (id !== expectedId) {
        const missing = id - 1n === expectedId ? `${expectedId}` : `${expectedId}–${id - 1n}`;
        report(row.id, 'gap', `缺少第 ${missing} 条 (rows missing before this one)`);
      }
      const expectedPrev: string = previous ? previous.hash : GENESIS_HASH;
      if (row.prevHash !== expectedPrev) {
        report(
          row.id,
          'broken_link',
          `prev_hash 与上一条记录的 hash 不符 (does not link to the previous row)`,
        );
      }
      if (recomputeHash(row) !== row.hash) {
        report(row.id, 'hash_mismatch', `记录内容与 hash 不符 (row content was altered)`);
      }
      previous = { id, hash: row.hash };
    }
    if (batch.length < batchSize) break;
  }
  return {
    ok: problems.length === 0,
    rows,
    head: previous ? { id: previous.id.toString(), hash: previous.hash } : null,
    problems,
    truncated,
  };
}

function recomputeHash(row: StoredAuditRow): string {
  return auditRowHash(row.prevHash, {
    id: row.id,
    occurredAt: isoFromDatabase(row.occurredAtText),
    actorId: row.actorId,
    actorUsername: row.actorUsername,
    actorKind: row.actorKind,
    actorRoles: row.actorRoles,
    actorOrgUnitId: row.actorOrgUnitId,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    outcome: row.outcome,
    clientIp: row.clientIp,
    requestId: row.requestId,
    details: row.details,
  });
}

/**
 * `2026-03-02T01:00:00.123000` (UTC, microseconds) → `2026-03-02T01:00:00.123Z`. A time with a non-zero
 * microsecond part was never written by the application: keep all six digits so it cannot match.
 */
export function isoFromDatabase(text: string): string {
  return text.endsWith('000') ? `${text.slice(0, -3)}Z` : `${text}Z`;
}
