import { GENESIS_HASH, storedRowHash } from './audit-hash';
import type { AuditRepository, StoredChainLink, UnsealedReport } from './audit.repository';

export type ChainProblemKind = 'hash_mismatch' | 'broken_link' | 'gap' | 'missing_row';

export interface ChainProblem {
  /** The chain position (`seq`) where the problem shows. */
  seq: string;
  /** The audit row that position seals. */
  id: string;
  kind: ChainProblemKind;
  detail: string;
}

export interface ChainReport {
  /** No problem in the chain and no row left unsealed past the cut-off. */
  ok: boolean;
  /** Links read. */
  rows: number;
  /** The last link: worth writing down outside the system, since a chain alone cannot reveal a cut tail. */
  head: { seq: string; id: string; hash: string } | null;
  /** The first `maxProblems` problems, in chain order. */
  problems: ChainProblem[];
  /** More problems were found than listed. */
  truncated: boolean;
  /** Rows written before the cut-off that no link seals (null when not asked). A fault when count > 0. */
  unsealed: UnsealedReport | null;
}

export interface VerifyOptions {
  batchSize?: number;
  maxProblems?: number;
  /** Report rows written before this time that are still unsealed. */
  unsealedBefore?: Date;
}

/**
 * Walks the whole chain (audit_chain) in order, a batch at a time, and checks every link:
 * - gap: its position follows the previous one (positions are gapless by construction: a hole is a
 *   deleted link);
 * - missing row: the audit row it seals still exists;
 * - broken link: its prev_hash is the previous link's stored hash (genesis: 64 zeros);
 * - hash mismatch: its hash is what the row's fields and prev_hash hash to (audit-hash.ts).
 * Links are checked against the stored hash, so an edited row shows as one hash mismatch on itself, and
 * an edited link whose hash was recomputed shows as a broken link on the next one.
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
  let previous: { seq: bigint; id: string; hash: string } | null = null;

  const report = (link: StoredChainLink, kind: ChainProblemKind, detail: string) => {
    if (problems.length < maxProblems) problems.push({ seq: link.seq, id: link.auditLogId, kind, detail });
    else truncated = true;
  };

  for (;;) {
    const batch = await repository.chainBatch(previous ? previous.seq.toString() : null, batchSize);
    for (const link of batch) {
      rows += 1;
      const seq = BigInt(link.seq);
      const expectedSeq: bigint = previous ? previous.seq + 1n : 1n;
      if (seq !== expectedSeq) {
        const missing = seq - 1n === expectedSeq ? `${expectedSeq}` : `${expectedSeq}–${seq - 1n}`;
        report(link, 'gap', `缺少第 ${missing} 个链节点 (chain links missing before this one)`);
      }
      const expectedPrev: string = previous ? previous.hash : GENESIS_HASH;
      if (link.prevHash !== expectedPrev) {
        report(
          link,
          'broken_link',
          `prev_hash 与上一个链节点的 hash 不符 (does not link to the previous one)`,
        );
      }
      if (!link.row) {
        report(
          link,
          'missing_row',
          `链节点封存的审计记录 ${link.auditLogId} 已不存在 (the sealed row is gone)`,
        );
      } else if (storedRowHash(link.prevHash, link.row) !== link.hash) {
        report(link, 'hash_mismatch', `记录内容与 hash 不符 (row content was altered)`);
      }
      previous = { seq, id: link.auditLogId, hash: link.hash };
    }
    if (batch.length < batchSize) break;
  }
  const unsealed = options.unsealedBefore ? await repository.unsealedBefore(options.unsealedBefore) : null;
  return {
    ok: problems.length === 0 && (unsealed?.count ?? 0) === 0,
    rows,
    head: previous ? { seq: previous.seq.toString(), id: previous.id, hash: previous.hash } : null,
    problems,
    truncated,
    unsealed,
  };
}
