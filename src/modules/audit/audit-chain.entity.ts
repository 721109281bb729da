import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One link of the audit log's hash chain: the `seq`-th sealed row (gapless from 1, assigned by the single
 * sealer), the audit row it seals, and the hash over that row's fields and the previous link's hash (see
 * audit-hash.ts). Append-only under the same trigger as audit_logs.
 *
 * `auditXid`/`auditLogId` repeat the sealed row's transaction and id: the sealer links rows in
 * (xid, id) order, and the last link is where the next run resumes.
 */
@Entity('audit_chain')
@Index('uq_audit_chain_audit_log_id', ['auditLogId'], { unique: true })
export class AuditChainEntity {
  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'pk_audit_chain' })
  seq!: string;

  @Column({ type: 'bigint' })
  auditLogId!: string;

  @Column({ type: 'bigint' })
  auditXid!: string;

  @Column({ type: 'char', length: 64 })
  prevHash!: string;

  @Column({ type: 'char', length: 64 })
  hash!: string;

  /** When the sealer linked the row (not hashed: the chain proves content and order, not sealing time). */
  @Column({ type: 'timestamptz' })
  sealedAt!: Date;
}
