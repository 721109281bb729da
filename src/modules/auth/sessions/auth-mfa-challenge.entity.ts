import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../../users/user.entity';

/**
 * The step between a correct password and the TOTP code: the signed mfaToken names this row, which
 * makes the token single-use (consumed on success, or after too many wrong codes) and short-lived.
 */
@Entity('auth_mfa_challenges')
export class AuthMfaChallengeEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @Index('idx_auth_mfa_challenges_user')
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_auth_mfa_challenges_user' })
  user?: UserEntity;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  consumedAt!: Date | null;

  @Column({ type: 'int', default: 0 })
  failedAttempts!: number;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;
}
