import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsObject, Max, Min, ValidateNested } from 'class-validator';
import type { ArchiveCategory, Cause } from '../modules/archives/archive.enums';
import type { Factor, ScoringSettings } from '../modules/matching/scoring/factors';
import type { NeedUrgency } from '../modules/needs/needs.enums';

/**
 * config/matching.yml: the matcher's weights and the tables its factors read (see the file's header).
 * Each weight is a finite number ≥ 0; matchingConfigProblems adds that at least one is positive.
 */
const Weight = () => IsNumber({ allowNaN: false, allowInfinity: false });
const Share = () => (target: object, key: string) => {
  IsNumber({ allowNaN: false, allowInfinity: false })(target, key);
  Min(0)(target, key);
  Max(1)(target, key);
};

export class MatchingWeightsConfig implements Record<Factor, number> {
  @Weight() @Min(0) text!: number;
  @Weight() @Min(0) item!: number;
  @Weight() @Min(0) proximity!: number;
  @Weight() @Min(0) hardship!: number;
  @Weight() @Min(0) waiting!: number;
  @Weight() @Min(0) fairness!: number;
  @Weight() @Min(0) capacity!: number;
}

export class MatchingProximityConfig {
  @Share() district!: number;
  @Share() city!: number;
  @Share() province!: number;
  @Share() elsewhere!: number;
  @Share() online!: number;
}

export class HardshipCategoryConfig implements Record<ArchiveCategory, number> {
  @Share() dibao!: number;
  @Share() marginal!: number;
  @Share() accident!: number;
}

export class HardshipCauseConfig implements Record<Cause, number> {
  @Share() illness!: number;
  @Share() disability!: number;
  @Share() schooling!: number;
  @Share() unemployment!: number;
  @Share() low_income!: number;
  @Share() accident!: number;
  @Share() disaster!: number;
  @Share() single_parent!: number;
  @Share() other!: number;
}

export class HardshipUrgencyConfig implements Record<NeedUrgency, number> {
  @Share() emergency!: number;
  @Share() urgent!: number;
  @Share() normal!: number;
}

export class MatchingHardshipConfig {
  @IsObject() @ValidateNested() @Type(() => HardshipCategoryConfig) category!: HardshipCategoryConfig;
  @IsObject() @ValidateNested() @Type(() => HardshipCauseConfig) cause!: HardshipCauseConfig;
  @IsObject() @ValidateNested() @Type(() => HardshipUrgencyConfig) urgency!: HardshipUrgencyConfig;
}

export class MatchingConfig implements ScoringSettings {
  @IsObject() @ValidateNested() @Type(() => MatchingWeightsConfig) weights!: MatchingWeightsConfig;
  @Share() sameCategory!: number;
  @IsObject() @ValidateNested() @Type(() => MatchingProximityConfig) proximity!: MatchingProximityConfig;
  @IsObject() @ValidateNested() @Type(() => MatchingHardshipConfig) hardship!: MatchingHardshipConfig;
  @IsInt() @Min(1) @Max(3650) waitingSaturationDays!: number;
  /** In fen (1 元 = 100 分). */
  @IsInt() @Min(1) @Max(100_000_000) fairnessReferenceFen!: number;
}

/** Problems beyond each field's own: a score needs at least one positive weight. */
export function matchingConfigProblems(config: { matching: MatchingConfig }): string[] {
  const weights = Object.values(config.matching.weights) as number[];
  return weights.some((w) => w > 0) ? [] : ['matching.weights: 至少要有一个权重大于 0'];
}
