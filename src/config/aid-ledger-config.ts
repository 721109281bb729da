import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { CAUSES, type Cause } from '../modules/archives/archive.enums';
import type { MenuCategory } from '../modules/menu/menu.enums';
import type { AidLimits } from '../modules/aid-ledger/rules/aid-limits.rule';

/** Fen amounts: whole fen, at most 10⁹ (1,000 万元), so sums of a year stay exact integers. */
const Fen = () => (target: object, key: string) => {
  IsInt()(target, key);
  Min(1)(target, key);
  Max(1_000_000_000)(target, key);
};

/** Annual caps per menu category; a category left out has no annual cap. */
export class AidAnnualCapsConfig implements Partial<Record<MenuCategory, number>> {
  @IsOptional() @Fen() training?: number;
  @IsOptional() @Fen() employment?: number;
  @IsOptional() @Fen() donation?: number;
  @IsOptional() @Fen() tuition?: number;
  @IsOptional() @Fen() medical?: number;
  @IsOptional() @Fen() legal?: number;
  @IsOptional() @Fen() counseling?: number;
  @IsOptional() @Fen() relief?: number;
  @IsOptional() @Fen() care?: number;
  @IsOptional() @Fen() policy?: number;
}

/** The cause each menu category addresses (see aid-cause.rule.ts); a category left out: the household's primary cause. */
export class AidCauseByCategoryConfig implements Partial<Record<MenuCategory, Cause>> {
  @IsOptional() @IsIn(CAUSES) training?: Cause;
  @IsOptional() @IsIn(CAUSES) employment?: Cause;
  @IsOptional() @IsIn(CAUSES) donation?: Cause;
  @IsOptional() @IsIn(CAUSES) tuition?: Cause;
  @IsOptional() @IsIn(CAUSES) medical?: Cause;
  @IsOptional() @IsIn(CAUSES) legal?: Cause;
  @IsOptional() @IsIn(CAUSES) counseling?: Cause;
  @IsOptional() @IsIn(CAUSES) relief?: Cause;
  @IsOptional() @IsIn(CAUSES) care?: Cause;
  @IsOptional() @IsIn(CAUSES) policy?: Cause;
}

/**
 * The aid ledger's limits at approval (帮扶台账, issue 13 §6; see aid-limits.rule.ts): default.yml
 * `aidLedger`. `oneOffCapFen: null` turns the one-off cap off; `duplicateCauseDays: 0` turns 不重复救助 off.
 */
export class AidLedgerConfig implements AidLimits {
  @ValidateIf((_, v) => v !== null) @Fen() oneOffCapFen!: number | null;
  @IsObject() @ValidateNested() @Type(() => AidAnnualCapsConfig) annualCapFen!: AidAnnualCapsConfig;
  @IsInt() @Min(0) @Max(3650) duplicateCauseDays!: number;
  @IsObject()
  @ValidateNested()
  @Type(() => AidCauseByCategoryConfig)
  causeByCategory!: AidCauseByCategoryConfig;
}
