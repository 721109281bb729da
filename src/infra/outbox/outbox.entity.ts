import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type OutboxOperation = 'upsert' | 'delete';

/**
 * One pending change to push to the search engines: which index, which document, what to do. It holds
 * no document body: the relay re-reads the row from PostgreSQL, so it always sends the latest state.
 */
@Entity('outbox')
@Index('idx_outbox_pending', ['availableAt', 'id'], { where: 'processed_at IS NULL' })
export class OutboxEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  indexName!: string;

  @Column({ type: 'varchar', length: 128 })
  documentId!: string;

  @Column({ type: 'varchar', length: 16 })
  operation!: OutboxOperation;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  /** Not retried before this time (backoff after a failed relay). */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  availableAt!: Date;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  processedAt!: Date | null;
}
