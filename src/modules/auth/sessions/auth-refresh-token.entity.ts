import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AuthSessionEntity } from './auth-session.entity';

/**
 * One refresh token of a session (its "family"). Only the SHA-256 of the token is stored. A token is
 * used once: refreshing marks it used and links its successor; presenting a used token again means it
 * was stolen (or replayed) and the whole session is revoked.
 */
@Entity('auth_refresh_tokens')
export class AuthRefreshTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @Index('idx_auth_refresh_tokens_session')
  sessionId!: string;

  @ManyToOne(() => AuthSessionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'fk_auth_refresh_tokens_session' })
  session?: AuthSessionEntity;

  /** Lower-case hex SHA-256 of the token. */
  @Column({ type: 'char', length: 64 })
  @Index('uq_auth_refresh_tokens_hash', { unique: true })
  tokenHash!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  replacedById!: string | null;
}
