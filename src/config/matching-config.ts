import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsObject, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import type { ArchiveCategory, Cause } from '../modules/archives/archive.enums';
import type { Factor, ScoringSettings } from '../modules/matching/scoring/factors';
import { DECLINE_REASONS, type DeclineReason } from '../modules/matches/matches.enums';
import { SLA_STATES, type SlaSettings, type SlaState } from '../modules/matches/rules/match-sla.rule';
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

const SlaDays = () => (target: object, key: string) => {
  IsInt()(target, key);
  Min(1)(target, key);
  Max(365)(target, key);
};

export class SlaDaysConfig implements Record<SlaState, number> {
  @SlaDays() proposed!: number;
  @SlaDays() approved!: number;
  @SlaDays() accepted!: number;
  @SlaDays() in_progress!: number;
  @SlaDays() delivered!: number;
  @SlaDays() confirmed!: number;
  @SlaDays() followed_up!: number;
}

export class SlaUrgencyConfig {
  @Share() urgent!: number;
  @Share() emergency!: number;
}

/** Match SLAs (issue 13 §4); `items` is checked by matchingConfigProblems (keys are menu codes). */
export class MatchSlaConfig implements SlaSettings {
  @IsObject() @ValidateNested() @Type(() => SlaDaysConfig) days!: SlaDaysConfig;
  @IsObject() @ValidateNested() @Type(() => SlaUrgencyConfig) urgency!: SlaUrgencyConfig;
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(1) @Max(10) hardLimitFactor!: number;
  @IsOptional() @IsObject() items: Record<string, Partial<Record<SlaState, number>>> = {};
  /** When the daily sweep that does the SLA steps a lost job missed runs (cron, in worker.timeZone). */
  @IsOptional()
  @Matches(/^\S+(\s+\S+){4,5}$/, { message: 'matching.sla.sweepCron 必须是 5 或 6 段的 cron 表达式' })
  sweepCron: string = '40 1 * * *';
}

/** Batch allocation (issue 12 §4). */
export class AllocationConfig {
  @IsInt() @Min(1) @Max(200) candidatesPerNeed!: number;
  @IsInt() @Min(1) @Max(200) maxCandidatesPerNeed!: number;
  @IsInt() @Min(1) @Max(1_000_000) maxNeeds!: number;
  @IsInt() @Min(1) @Max(100_000) maxOffers!: number;
  @IsInt() @Min(1) @Max(10_080) planMaxAgeMinutes!: number;
}

/** How long a decline with a given reason keeps the pair (or the whole need) out of suggestions. */
export interface DeclinePark {
  scope: 'pair' | 'need';
  days: number;
}

/**
 * The match lifecycle (issue 13 §1): cash above `approverAboveFen` per beneficiary takes an approver;
 * `park` lists the decline reasons that park the pair or the need, and for how many days (reasons not
 * listed park nothing).
 */
export class MatchLifecycleConfig {
  @IsInt() @Min(1) @Max(500_000_000) approverAboveFen = 500_000;
  @IsObject() park: Partial<Record<DeclineReason, DeclinePark>> = {
    no_longer_available: { scope: 'pair', days: 90 },
    not_eligible_on_contact: { scope: 'pair', days: 180 },
    worker_unreachable: { scope: 'need', days: 14 },
    worker_refused: { scope: 'pair', days: 365 },
  };
}

export class MatchingConfig implements ScoringSettings {
  @IsObject() @ValidateNested() @Type(() => MatchingWeightsConfig) weights!: MatchingWeightsConfig;
  @Share() sameCategory!: number;
  @IsObject() @ValidateNested() @Type(() => MatchingProximityConfig) proximity!: MatchingProximityConfig;
  @IsObject() @ValidateNested() @Type(() => MatchingHardshipConfig) hardship!: MatchingHardshipConfig;
  @IsInt() @Min(1) @Max(3650) waitingSaturationDays!: number;
  /** In fen (1 元 = 100 分). */
  @IsInt() @Min(1) @Max(100_000_000) fairnessReferenceFen!: number;
  @IsObject() @ValidateNested() @Type(() => MatchSlaConfig) sla!: MatchSlaConfig;
  @IsObject() @ValidateNested() @Type(() => AllocationConfig) allocation!: AllocationConfig;
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => MatchLifecycleConfig)
  matches: MatchLifecycleConfig = new MatchLifecycleConfig();
}

/**
 * Problems beyond each field's own: a score needs at least one positive weight; per-item SLA days name
 * a menu item and a state with an SLA, in whole days 1–365.
 */
export function matchingConfigProblems(config: {
  matching: MatchingConfig;
  menu: { items: ReadonlyArray<{ code: string }> };
}): string[] {
  const problems: string[] = [];
  const weights = Object.values(config.matching.weights) as number[];
  if (!weights.some((w) => w > 0)) problems.push('matching.weights: 至少要有一个权重大于 0');
  const { candidatesPerNeed, maxCandidatesPerNeed } = config.matching.allocation;
  if (candidatesPerNeed > maxCandidatesPerNeed)
    problems.push('matching.allocation.candidatesPerNeed: 不能大于 maxCandidatesPerNeed');
  const codes = new Set(config.menu.items.map((i) => i.code));
  for (const [code, days] of Object.entries(config.matching.sla.items)) {
    const at = `matching.sla.items.${code}`;
    if (!codes.has(code)) problems.push(`${at}: 服务菜单中没有此项目`);
    if (typeof days !== 'object' || days === null) {
      problems.push(`${at}: 须为 状态: 天数 的映射`);
      continue;
    }
    for (const [state, n] of Object.entries(days)) {
      if (!(SLA_STATES as readonly string[]).includes(state))
        problems.push(`${at}.${state}: 不是有时限的匹配状态`);
      else if (!Number.isInteger(n) || (n as number) < 1 || (n as number) > 365)
        problems.push(`${at}.${state}: 天数须为 1 到 365 的整数`);
    }
  }
  for (const [reason, park] of Object.entries(config.matching.matches?.park ?? {})) {
    const at = `matching.matches.park.${reason}`;
    if (!(DECLINE_REASONS as readonly string[]).includes(reason)) problems.push(`${at}: 不是退回原因代码`);
    else if (
      typeof park !== 'object' ||
      park === null ||
      !['pair', 'need'].includes((park as DeclinePark).scope) ||
      !Number.isInteger((park as DeclinePark).days) ||
      (park as DeclinePark).days < 1 ||
      (park as DeclinePark).days > 3650
    )
      problems.push(`${at}: 须为 { scope: pair|need, days: 1–3650 }`);
  }
  return problems;
}
