import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * The minimum living standard (城乡低保标准) of a region from a date on, per person per month in fen.
 * A new standard is a new dated row. Lookup takes the most specific of the district, its city `PPCC00`
 * and its province `PP0000` that has a line in force on the date in question, and that region's newest
 * line not after the date (a newer province line never replaces a city's own).
 */
@Entity('dibao_lines')
@Unique('uq_dibao_lines_region_from', ['regionCode', 'effectiveFrom'])
@Check('chk_dibao_lines_amount', `"monthly_amount_fen" > 0`)
@Check('chk_dibao_lines_region', `"region_code" ~ '^[1-9][0-9]{5}$'`)
export class DibaoLineEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** GB/T 2260 code: a district, a city (`PPCC00`) or a province (`PP0000`). */
  @Column({ type: 'varchar', length: 6 })
  regionCode!: string;

  /** `YYYY-MM-DD`, China time. */
  @Column({ type: 'date' })
  effectiveFrom!: string;

  @Column({ type: 'int' })
  monthlyAmountFen!: number;

  /** Where the figure comes from (the civil-affairs notice), shown to staff. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  source!: string | null;

  /** The archivist who entered it; null for seeded rows. */
  @Column({ type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
