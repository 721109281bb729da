import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  CANCEL_REASONS,
  INELIGIBLE_RULES,
  SYSTEM_CANCEL_REASONS,
  type CancelReason,
  type IneligibleRule,
} from '../../archive.enums';
import {
  APPROVE_DECISIONS,
  type ApproveDecision,
  OBJECTION_DECISIONS,
  type ObjectionDecision,
  REVIEW_DECISIONS,
  type ReviewDecision,
  VERIFY_DECISIONS,
  type VerifyDecision,
} from '../archive-transitions.rule';
import { WithinDateBound } from '../../../../common/validation/date-bounds';
import { Trim, TrimEach } from '../../../../common/validation';

/** Every command names the archive version it was decided on: a stale one gets 409. */
export class VersionOnlyDto {
  @ApiProperty({ type: 'integer', description: '读取档案时得到的 version；档案已被他人修改时返回 409' })
  @IsInt()
  @Min(1)
  version!: number;
}

export class VersionedCommandDto extends VersionOnlyDto {
  @ApiPropertyOptional({ maxLength: 500, description: '办理意见' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(500)
  note?: string;
}

/** Reasons are required when the archive goes back or is refused: the submitter must know why. */
const reasonsWhen = (needed: (dto: { decision?: string }) => boolean) =>
  ValidateIf((dto: { decision?: string; reasons?: unknown }) => needed(dto) || dto.reasons !== undefined);

function Reasons(needed: (dto: { decision?: string }) => boolean): PropertyDecorator {
  return (target, key) => {
    reasonsWhen(needed)(target, key);
    TrimEach()(target, key);
    IsArray({ message: '退回或不予通过时须填写原因' })(target, key);
    ArrayMinSize(1, { message: '退回或不予通过时须至少填写一条原因' })(target, key);
    ArrayMaxSize(10)(target, key);
    IsString({ each: true })(target, key);
    Length(2, 200, { each: true, message: '每条原因须为2–200个字符' })(target, key);
  };
}

export class SubmitArchiveDto extends VersionedCommandDto {}

export class ReviewArchiveDto extends VersionedCommandDto {
  @ApiProperty({
    enum: REVIEW_DECISIONS,
    description: 'approve 通过（送上级复核）/ return 退回 / reject 不予建档',
  })
  @IsIn(REVIEW_DECISIONS)
  decision!: ReviewDecision;

  @ApiPropertyOptional({ type: [String], description: '退回或不予建档的原因（此时必填）' })
  @Reasons((dto) => dto.decision === 'return' || dto.decision === 'reject')
  reasons?: string[];
}

export class HomeVisitDto {
  @ApiProperty({ example: '2026-03-05', description: '入户日期' })
  @IsISO8601({ strict: true }, { message: '入户日期格式应为 YYYY-MM-DD' })
  @WithinDateBound('event', '入户日期')
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '入户日期格式应为 YYYY-MM-DD' })
  date!: string;

  @ApiProperty({ type: [String], example: ['李敏', '王强'], description: '入户人员（至少两人）' })
  @TrimEach()
  @IsArray()
  @ArrayMinSize(2, { message: '入户核实须至少两人' })
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Length(1, 50, { each: true })
  visitors!: string[];

  @ApiProperty({ description: '核实情况' })
  @Trim()
  @IsString()
  @Length(10, 2000, { message: '核实情况须为10–2000个字符' })
  findings!: string;
}

export class VerifyArchiveDto extends VersionedCommandDto {
  @ApiProperty({ enum: VERIFY_DECISIONS, description: 'pass 复核通过（送审定）/ return 退回' })
  @IsIn(VERIFY_DECISIONS)
  decision!: VerifyDecision;

  @ApiProperty({ type: HomeVisitDto })
  @IsObject()
  @ValidateNested()
  @Type(() => HomeVisitDto)
  visit!: HomeVisitDto;

  @ApiPropertyOptional({ type: [String], description: '退回原因（退回时必填）' })
  @Reasons((dto) => dto.decision === 'return')
  reasons?: string[];
}

export class ApproveArchiveDto extends VersionedCommandDto {
  @ApiProperty({
    enum: APPROVE_DECISIONS,
    description: 'approve 审定通过（进入公示）/ return 退回 / reject 不予建档',
  })
  @IsIn(APPROVE_DECISIONS)
  decision!: ApproveDecision;

  @ApiPropertyOptional({ type: [String], description: '退回或不予建档的原因（此时必填）' })
  @Reasons((dto) => dto.decision === 'return' || dto.decision === 'reject')
  reasons?: string[];
}

export class ExitArchiveDto extends VersionedCommandDto {
  @ApiProperty({ description: '脱困原因，如“子女毕业就业，家庭收入稳定”' })
  @Trim()
  @IsString()
  @Length(5, 500, { message: '脱困原因须为5–500个字符' })
  reason!: string;
}

/** `temporary_expired` and `draft_expired` are given by the daily jobs only. */
export const MANUAL_CANCEL_REASONS = CANCEL_REASONS.filter((r) => !SYSTEM_CANCEL_REASONS.includes(r));

export class CancelArchiveDto extends VersionOnlyDto {
  @ApiProperty({
    enum: MANUAL_CANCEL_REASONS,
    description:
      '注销原因：left_unit 调离本单位、deceased 死亡、unreachable 失联、fraudulent 弄虚作假、ineligible 清退（不再符合条件，须写明 failedRule）、household_merged 并户。退休不是注销原因：退休职工仍可建档帮扶',
  })
  @IsIn(MANUAL_CANCEL_REASONS, { message: `注销原因须为 ${MANUAL_CANCEL_REASONS.join('、')} 之一` })
  reason!: Exclude<CancelReason, 'temporary_expired' | 'draft_expired'>;

  @ApiPropertyOptional({
    enum: INELIGIBLE_RULES,
    description:
      '清退时必填：不再符合的条件（income_above_standard 收入超标、assets 财产超标、not_union_worker 非会员单位职工、duplicate_archive 重复建档、data_comparison 信息比对不符、other 其他，须在说明中写明）',
  })
  @ValidateIf((dto: CancelArchiveDto) => dto.reason === 'ineligible' || dto.failedRule !== undefined)
  @IsIn(INELIGIBLE_RULES, { message: '清退须写明不再符合的条件（failedRule）' })
  failedRule?: IneligibleRule;

  @ApiPropertyOptional({ maxLength: 500, description: '说明（弄虚作假注销、清退条件为 other 时必填）' })
  @ValidateIf(
    (dto: CancelArchiveDto) =>
      dto.reason === 'fraudulent' ||
      (dto.reason === 'ineligible' && dto.failedRule === 'other') ||
      dto.note !== undefined,
  )
  @Trim()
  @IsString()
  @IsNotEmpty({ message: '弄虚作假注销或其他条件清退须写明情况' })
  @MaxLength(500)
  note?: string;
}

export class TransferArchiveDto extends VersionedCommandDto {
  @ApiProperty({ description: '接收档案的基层工会' })
  @IsUUID()
  toUnitId!: string;
}

export class AcceptTransferDto extends VersionedCommandDto {}

export class RejectTransferDto extends VersionOnlyDto {
  @ApiProperty({ maxLength: 500, description: '拒收原因' })
  @Trim()
  @IsString()
  @IsNotEmpty({ message: '请填写拒收原因' })
  @MaxLength(500)
  note!: string;
}

export class ConvertArchiveDto extends VersionedCommandDto {}

export class ResolveObjectionDto {
  @ApiProperty({
    enum: OBJECTION_DECISIONS,
    description: 'uphold 异议成立（档案退回复核）/ dismiss 异议不成立',
  })
  @IsIn(OBJECTION_DECISIONS)
  decision!: ObjectionDecision;

  @ApiPropertyOptional({ maxLength: 1000, description: '处理意见（异议不成立时必填）' })
  @ValidateIf((dto: ResolveObjectionDto) => dto.decision === 'dismiss' || dto.note !== undefined)
  @Trim()
  @IsString()
  @IsNotEmpty({ message: '异议不成立须写明处理意见' })
  @MaxLength(1000)
  note?: string;
}

/** How an active archive was re-checked (复核): a home visit (入户核实, two people) or a check of documents. */
export const REVERIFY_METHODS = ['home_visit', 'document_check'] as const;
export type ReverifyMethod = (typeof REVERIFY_METHODS)[number];

export class ReverifyCheckDto {
  @ApiProperty({ example: '2026-03-05', description: '核实日期（不晚于今天，不早于在档或上次核实日期）' })
  @IsISO8601({ strict: true }, { message: '核实日期格式应为 YYYY-MM-DD' })
  @WithinDateBound('event', '核实日期')
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '核实日期格式应为 YYYY-MM-DD' })
  date!: string;

  @ApiProperty({
    type: [String],
    example: ['李敏', '王强'],
    description: '核实人员（入户核实至少两人，材料核查至少一人）',
  })
  @TrimEach()
  @IsArray()
  @ArrayMinSize(1, { message: '须至少填写一名核实人员' })
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Length(1, 50, { each: true })
  checkers!: string[];

  @ApiProperty({ description: '核实情况' })
  @Trim()
  @IsString()
  @Length(10, 2000, { message: '核实情况须为10–2000个字符' })
  findings!: string;
}

export class ReverifyArchiveDto extends VersionedCommandDto {
  @ApiProperty({ enum: REVERIFY_METHODS, description: 'home_visit 入户核实 / document_check 材料核查' })
  @IsIn(REVERIFY_METHODS)
  method!: ReverifyMethod;

  @ApiProperty({ type: ReverifyCheckDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ReverifyCheckDto)
  check!: ReverifyCheckDto;
}

export class ReopenArchiveDto extends VersionedCommandDto {
  @ApiProperty({ description: '返困原因，如“家庭成员再次患大病，收入锐减”' })
  @Trim()
  @IsString()
  @Length(5, 500, { message: '返困原因须为5–500个字符' })
  reason!: string;
}
