import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../common/clock/clock';
import { AppConfig } from '../../config';
import { GENESIS_HASH, storedRowHash } from './audit-hash';
import { AuditRepository, ChainLinkToInsert } from './audit.repository';

export interface SealReport {
  /** Rows linked by this run. */
  sealed: number;
  /** Another sealer held the lock, so this run did nothing (only when not waiting). */
  busy: boolean;
}

/**
 * Builds the audit log's hash chain outside the request path. Writers append rows without any lock;
 * the sealer — one at a time across every process, by an advisory lock — links the rows whose
 * transactions ended before the oldest running one began, in (transaction id, row id) order, a batch
 * per short transaction. Those rows can no longer change or be joined by an earlier one, so the chain
 * only ever grows at its end and never forks: a row that commits later has a later transaction id than
 * anything already sealed, or waits for the snapshot horizon to pass it.
 *
 * Run by the repeatable `audit.seal` job (AuditSealJob) and on demand before a verification.
 */
@Injectable()
export class AuditSealer {
  private readonly logger = new Logger(AuditSealer.name);

  constructor(
    private readonly repository: AuditRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * Seals everything sealable now. `wait`: queue behind a running sealer instead of leaving the work
   * to it (a verification must see every row that can be sealed).
   */
  async seal(options: { wait: boolean } = { wait: false }): Promise<SealReport> {
    const batchSize = this.config.audit.sealBatchSize;
    let sealed = 0;
    for (;;) {
      const linked = await this.repository.asSealer(options.wait, async (manager) => {
        const head = await this.repository.chainHead(manager);
        const rows = await this.repository.sealable(
          manager,
          { xid: head?.auditXid ?? '0', id: head?.auditLogId ?? '0' },
          batchSize,
        );
        let seq = head ? BigInt(head.seq) : 0n;
        let prevHash = head?.hash ?? GENESIS_HASH;
        const links: ChainLinkToInsert[] = rows.map((row) => {
          seq += 1n;
          const hash = storedRowHash(prevHash, row);
          const link = { seq: seq.toString(), auditLogId: row.id, auditXid: row.xid, prevHash, hash };
          prevHash = hash;
          return link;
        });
        await this.repository.insertLinks(manager, links, this.clock.now());
        return links.length;
      });
      if (linked === null) return { sealed, busy: true };
      sealed += linked;
      if (linked < batchSize) break;
    }
    if (sealed > 0) this.logger.debug?.(`审计链已封存 ${sealed} 条`);
    return { sealed, busy: false };
  }
}
