import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../../users/user.entity';

export const SESSION_RESTRICTIONS = ['password_change', 'totp_enrolment'] as const;
export type SessionRestriction = (typeof SESSION_RESTRICTIONS)[number];

/** Why a session ended early (kept for the audit trail and for support questions). */
export const REVOKE_REASONS = [
  'logout',
  'logout_everywhere',
  'token_reuse',
  'password_changed',
  'superseded',
] as const;
export type RevokeReason = (typeof REVOKE_REASONS)[number];

/**
 * One login: every access and refresh token belongs to a session, so revoking the session kills them
 * all at once. Ends at `expiresAt` (absolute lifetime), after the idle timeout since `lastSeenAt`, or
 * when revoked.
 */
@Entity('auth_sessions')
export class AuthSessionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @Index('idx_auth_sessions_user')
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_auth_sessions_user' })
  user?: UserEntity;

  /** A session that may only change the password or enrol TOTP (see Principal.restriction). */
  @Column({ type: 'varchar', length: 32, nullable: true })
  restriction!: SessionRestriction | null;

  /**
   * users.token_version when the session began: bumping the user's version (logout everywhere, disable,
   * role change, password change) ends this session and every token of it.
   */
  @Column({ type: 'int' })
  tokenVersion!: number;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  lastSeenAt!: Date;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  revokeReason!: RevokeReason | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ type: 'varchar', length: 256, nullable: true })
  userAgent!: string | null;
}
