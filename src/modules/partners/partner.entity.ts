import {
  Check,
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
import type { MenuCategory } from '../menu/menu.enums';
import { OrgUnitEntity } from '../org-units/org-unit.entity';
import type { PartnerKind, PartnerStatus } from './partner.enums';

/**
 * A partner organisation (合作方) that posts offers: a government department, an NGO, a company, a
 * volunteer team, or the union itself. Each org unit has exactly one `union` partner for its own
 * programmes (送温暖, 金秋助学, 大病救助, 临时救助), created with the unit by the trigger
 * `org_units_union_partner` (migration Partners) in the unit's own transaction, whatever path inserts it.
 *
 * The mobile is stored only encrypted (FieldCipher, bound to this row) with an HMAC blind index; union
 * partners have no contact of their own (staff of the unit act for them).
 */
@Entity('partners')
@Index('uq_partners_credit_code', ['creditCode'], { unique: true })
// One union partner per unit: a partial unique index created by hand in the migration.
@Index('uq_partners_union_unit', { synchronize: false })
@Check('chk_partners_kind', `"kind" IN ('government','ngo','company','volunteer','union')`)
@Check('chk_partners_status', `"status" IN ('pending','approved','rejected','suspended')`)
@Check('chk_partners_credit_code', `"credit_code" ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'`)
@Check('chk_partners_credit_code_required', `"credit_code" IS NOT NULL OR "kind" IN ('volunteer','union')`)
@Check(
  'chk_partners_contact',
  `"kind" = 'union' OR ("contact_name" IS NOT NULL AND "mobile_ciphertext" IS NOT NULL AND "mobile_blind_index" IS NOT NULL)`,
)
@Check('chk_partners_region_codes', `array_to_string("region_codes", ',') ~ '^([0-9]{6}(,[0-9]{6})*)?$'`)
@Check(
  'chk_partners_categories',
  `"categories" <@ ARRAY['training','employment','donation','tuition','medical','legal','counseling','relief','care','policy']::varchar[]`,
)
@Check('chk_partners_name', `length(btrim("name")) > 0`)
export class PartnerEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: PartnerKind;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** 统一社会信用代码 (GB 32100), upper case; null only for volunteer teams and union partners. */
  @Column({ type: 'varchar', length: 18, nullable: true })
  creditCode!: string | null;

  /** The union unit the partner applied to and is vetted by (union partners: their own unit). */
  @Column({ type: 'uuid' })
  @Index('idx_partners_org_unit')
  orgUnitId!: string;

  @ManyToOne(() => OrgUnitEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'org_unit_id', foreignKeyConstraintName: 'fk_partners_org_unit' })
  orgUnit?: OrgUnitEntity;

  /** Contact person; null only for union partners. */
  @Column({ type: 'varchar', length: 50, nullable: true })
  contactName!: string | null;

  /** Contact mobile, AES-256-GCM (FieldCipher token bound to this row); never stored in clear. */
  @Column({ type: 'text', nullable: true })
  mobileCiphertext!: string | null;

  /** HMAC blind index (purpose `phone`) of the contact mobile. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  @Index('idx_partners_mobile_bidx')
  mobileBlindIndex!: string | null;

  /** GB/T 2260 codes (6 digits) of the areas it serves. */
  @Column({ type: 'varchar', length: 6, array: true, default: () => `'{}'` })
  regionCodes!: string[];

  /** Menu categories it serves. */
  @Column({ type: 'varchar', length: 16, array: true, default: () => `'{}'` })
  categories!: MenuCategory[];

  @Column({ type: 'varchar', length: 16 })
  @Index('idx_partners_status')
  status!: PartnerStatus;

  /** The reason given with the last vetting decision (reject, suspend, reinstate). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  statusReason!: string | null;

  /** Who made the last vetting decision, and when. */
  @Column({ type: 'uuid', nullable: true })
  reviewedBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  reviewedAt!: Date | null;

  @VersionColumn({ default: 1 })
  version!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
