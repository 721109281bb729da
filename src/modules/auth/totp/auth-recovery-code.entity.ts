import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../../users/user.entity';

/** A one-time TOTP recovery code, stored as SHA-256 (the codes are random, so no slow hash is needed). */
@Entity('auth_recovery_codes')
export class AuthRecoveryCodeEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @Index('idx_auth_recovery_codes_user')
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_auth_recovery_codes_user' })
  user?: UserEntity;

  @Column({ type: 'char', length: 64 })
  @Index('uq_auth_recovery_codes_hash', { unique: true })
  codeHash!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}
