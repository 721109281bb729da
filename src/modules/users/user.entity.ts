import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import type { AccountKind, StaffRole } from '../auth/principal';
import { OrgUnitEntity } from '../org-units/org-unit.entity';
import { PartnerEntity } from '../partners/partner.entity';

/** A login account: staff at a union unit, a worker, or a partner organisation's user. */
@Entity('users')
// A phone number belongs to at most one enabled account; partial unique index, created by hand in the
// migration UsersPhoneUnique (TypeORM cannot compare partial-index predicates reliably).
@Index('uq_users_phone_active', { synchronize: false })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Lower-case login name. */
  @Column({ type: 'varchar', length: 64, unique: true })
  username!: string;

  @Column({ type: 'varchar', length: 64 })
  displayName!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: AccountKind;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  roles!: StaffRole[];

  /**
   * Staff: the unit it works at; worker: its grassroots union; partner: the union unit that manages the
   * partner (what puts the account in an administrator's scope). Null only for accounts made outside
   * account administration; those belong to the root unit's administrators.
   */
  @Column({ type: 'uuid', nullable: true })
  @Index('idx_users_org_unit')
  orgUnitId!: string | null;

  @ManyToOne(() => OrgUnitEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'org_unit_id', foreignKeyConstraintName: 'fk_users_org_unit' })
  orgUnit?: OrgUnitEntity | null;

  /** Partner accounts: their organisation. */
  @Column({ type: 'uuid', nullable: true })
  @Index('idx_users_partner')
  partnerId!: string | null;

  @ManyToOne(() => PartnerEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'partner_id', foreignKeyConstraintName: 'fk_users_partner' })
  partner?: PartnerEntity | null;

  /** Mobile number, AES-256-GCM (FieldCipher token); never stored in clear. */
  @Column({ type: 'text', nullable: true })
  phoneCiphertext!: string | null;

  /** HMAC blind index of the mobile number, for exact lookup. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  @Index('idx_users_phone_bidx')
  phoneBlindIndex!: string | null;

  /** argon2id hash. */
  @Column({ type: 'text' })
  passwordHash!: string;

  @Column({ type: 'timestamptz' })
  passwordChangedAt!: Date;

  /** Set by an admin reset: the next login may only change the password. */
  @Column({ type: 'boolean', default: false })
  mustChangePassword!: boolean;

  @Column({ type: 'int', default: 0 })
  failedLoginCount!: number;

  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  /** Bumped on logout-everywhere, disable and role change: tokens carrying an older value stop working. */
  @Column({ type: 'int', default: 0 })
  tokenVersion!: number;

  @Column({ type: 'timestamptz', nullable: true })
  disabledAt!: Date | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  disabledReason!: string | null;

  /** Temporary accounts: refused after this time, and disabled by the daily job. */
  @Column({ type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  /** TOTP secret (FieldCipher token); set at enrolment, active once `totpEnabledAt` is set. */
  @Column({ type: 'text', nullable: true })
  totpSecretCiphertext!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  totpEnabledAt!: Date | null;

  /** Last accepted TOTP time step: a code is never accepted twice. */
  @Column({ type: 'bigint', nullable: true })
  totpLastStep!: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @VersionColumn()
  version!: number;
}
