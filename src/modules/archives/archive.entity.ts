import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { OrgUnitEntity } from '../org-units/org-unit.entity';
import type {
  ArchiveCategory,
  ArchiveFlag,
  ArchiveKind,
  ArchiveStatus,
  Cause,
  EmploymentStatus,
  HousingType,
} from './archive.enums';
import { ArchiveIncomeItemEntity, ArchiveMemberEntity } from './archive-household.entities';

/**
 * One household's hardship archive (一户一档). Identity numbers, phones and bank accounts are stored only
 * as FieldCipher tokens, each with an HMAC blind index for exact lookup and the household duplicate check.
 * Money is integer fen.
 */
@Entity('archives')
@Check(
  'chk_archives_incident_amounts',
  `(incident_income_loss_fen IS NULL OR incident_income_loss_fen >= 0) AND (incident_expense_fen IS NULL OR incident_expense_fen >= 0)`,
)
@Index('idx_archives_org_status', ['orgUnitId', 'status'])
export class ArchiveEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** `<region>-<year>-<seq>`, given at activation; kept through transfers. */
  @Column({ type: 'varchar', length: 32, nullable: true, unique: true })
  archiveNo!: string | null;

  @Column({ type: 'varchar', length: 16 })
  kind!: ArchiveKind;

  @Column({ type: 'varchar', length: 16 })
  category!: ArchiveCategory;

  @Column({ type: 'varchar', length: 16 })
  status!: ArchiveStatus;

  /** The grassroots union that owns the archive. */
  @Column({ type: 'uuid' })
  orgUnitId!: string;

  @ManyToOne(() => OrgUnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'org_unit_id', foreignKeyConstraintName: 'fk_archives_org_unit' })
  orgUnit?: OrgUnitEntity;

  /** The worker account the archive belongs to (self-service applications and the worker's own view). */
  @Column({ type: 'uuid', nullable: true })
  @Index('idx_archives_owner')
  ownerUserId!: string | null;

  // ── Head of household ────────────────────────────────────────────────────────────────
  @Column({ type: 'varchar', length: 50 })
  headName!: string;

  @Column({ type: 'text' })
  headIdNumberCiphertext!: string;

  @Column({ type: 'varchar', length: 64 })
  @Index('idx_archives_head_id_bidx')
  headIdNumberBlindIndex!: string;

  /** Derived from the ID number, never typed in. */
  @Column({ type: 'date' })
  headBirthDate!: string;

  @Column({ type: 'varchar', length: 8 })
  headGender!: 'male' | 'female';

  @Column({ type: 'text', nullable: true })
  headPhoneCiphertext!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  headPhoneBlindIndex!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  employer!: string | null;

  @Column({ type: 'varchar', length: 24 })
  employmentStatus!: EmploymentStatus;

  /** The head's own monthly income (fen); other income is in income items and members. */
  @Column({ type: 'int', default: 0 })
  headMonthlyIncomeFen!: number;

  @Column({ type: 'varchar', length: 200, nullable: true })
  address!: string | null;

  /** GB/T 2260 code of where the household lives (the 低保 line is looked up by it). */
  @Column({ type: 'varchar', length: 6 })
  regionCode!: string;

  @Column({ type: 'text', nullable: true })
  bankAccountCiphertext!: string | null;

  // ── Housing and assets ───────────────────────────────────────────────────────────────
  @Column({ type: 'varchar', length: 20, nullable: true })
  housingType!: HousingType | null;

  @Column({ type: 'numeric', precision: 7, scale: 2, nullable: true })
  housingAreaSqm!: string | null;

  @Column({ type: 'boolean', default: false })
  hasVehicle!: boolean;

  @Column({ type: 'boolean', default: false })
  hasSecondProperty!: boolean;

  @Column({ type: 'boolean', default: false })
  hasBusinessLicence!: boolean;

  @Column({ type: 'varchar', length: 500, nullable: true })
  assetNotes!: string | null;

  // ── Causes and 五清 ──────────────────────────────────────────────────────────────────
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  causes!: Cause[];

  @Column({ type: 'varchar', length: 20, nullable: true })
  primaryCause!: Cause | null;

  /** 家庭情况说明 */
  @Column({ type: 'text', nullable: true })
  householdSituation!: string | null;

  /** 致困原因说明 */
  @Column({ type: 'text', nullable: true })
  causeDescription!: string | null;

  /** 技术特长 */
  @Column({ type: 'text', nullable: true })
  skills!: string | null;

  /** 就业要求 */
  @Column({ type: 'text', nullable: true })
  jobWishes!: string | null;

  /** 思想状况 */
  @Column({ type: 'text', nullable: true })
  stateOfMind!: string | null;

  // ── Category facts ───────────────────────────────────────────────────────────────────
  /** 低保证 number when the household holds one (then a `dibao_certificate` evidence file is required). */
  @Column({ type: 'varchar', length: 40, nullable: true })
  dibaoCertificateNo!: string | null;

  /** 意外致困: when the accident, disaster or major illness happened. */
  @Column({ type: 'date', nullable: true })
  incidentOn!: string | null;

  /** 意外致困: the household's monthly income it cut (fen). */
  @Column({ type: 'int', nullable: true })
  incidentIncomeLossFen!: number | null;

  /** 意外致困: the one-off expense it brought (fen), e.g. medical bills or repairs. */
  @Column({ type: 'int', nullable: true })
  incidentExpenseFen!: number | null;

  // ── Computed household figures (kept current by the service on every save) ─────────────
  @Column({ type: 'int', default: 1 })
  householdSize!: number;

  @Column({ type: 'int', default: 0 })
  monthlyIncomeFen!: number;

  @Column({ type: 'int', default: 0 })
  perCapitaIncomeFen!: number;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  flags!: ArchiveFlag[];

  // ── Workflow facts ───────────────────────────────────────────────────────────────────
  @Column({ type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ type: 'uuid', nullable: true })
  submittedBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  submittedAt!: Date | null;

  /**
   * The application date (China time): the day of the first submission, kept when a returned archive is
   * resubmitted. The 低保 line is the one in force on this date.
   */
  @Column({ type: 'date', nullable: true })
  appliedOn!: string | null;

  @Column({ type: 'date', nullable: true })
  noticeStartsOn!: string | null;

  @Column({ type: 'date', nullable: true })
  noticeEndsOn!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  activatedAt!: Date | null;

  /** Last time the archive was verified (home visit at verify, cleanup campaigns later). */
  @Column({ type: 'timestamptz', nullable: true })
  lastVerifiedAt!: Date | null;

  @Column({ type: 'date', nullable: true })
  relapseWatchUntil!: string | null;

  /**
   * 转正 under way: when an active temporary archive was sent through the review chain to become formal.
   * It becomes formal at activation; a return or rejection on the way ends the conversion and the archive
   * is active (temporary) again. Null otherwise.
   */
  @Column({ type: 'timestamptz', nullable: true })
  conversionRequestedAt!: Date | null;

  @Column({ type: 'date', nullable: true })
  nextVisitDueOn!: string | null;

  /** Where a transfer goes, while status is `transferring`. */
  @Column({ type: 'uuid', nullable: true })
  transferToUnitId!: string | null;

  /** The status before a transfer started, restored if it is refused. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  statusBeforeTransfer!: ArchiveStatus | null;

  @OneToMany(() => ArchiveMemberEntity, (m) => m.archive)
  members?: ArchiveMemberEntity[];

  @OneToMany(() => ArchiveIncomeItemEntity, (i) => i.archive)
  incomeItems?: ArchiveIncomeItemEntity[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  /** Optimistic lock: every command names the version it read; a stale one gets 409. */
  @VersionColumn()
  version!: number;
}
