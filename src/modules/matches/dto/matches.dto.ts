import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsObject,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  ApiBool,
  ApiDate,
  ApiDateTime,
  ApiEnum,
  ApiInt,
  ApiNested,
  ApiText,
  ApiUuid,
} from '../../../common/openapi/api-field';
import { PaginationQueryDto } from '../../../common/pagination/pagination';
import { OmittableNotNull, oneOf, Trim } from '../../../common/validation';
import { CAUSES, type Cause } from '../../archives/archive.enums';
import { MENU_CATEGORIES, type MenuCategory } from '../../menu/menu.enums';
import { NEED_URGENCIES, type NeedUrgency } from '../../needs/needs.enums';
import {
  DECLINE_REASONS,
  FOLLOW_UP_CHANNELS,
  MATCH_OUTCOMES,
  MATCH_STATES,
  type DeclineReason,
  type FollowUpChannel,
  type MatchOutcome,
  type MatchState,
} from '../matches.enums';
import { MATCH_COMMANDS, type MatchCommand } from '../rules/match-transitions.rule';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const MATCH_TEXT_MAX = { note: 500, long: 1000 } as const;

/** Free text: trimmed, 1…max characters. */
function Text(label: string, max: number, optional: boolean): PropertyDecorator {
  return (target, key) => {
    ApiText({ optional, maxLength: max, description: label })(target, key);
    if (optional) OmittableNotNull()(target, key);
    Trim()(target, key);
    IsString({ message: `${label}须为文字` })(target, key);
    MinLength(1, { message: `${label}不能为空` })(target, key);
    MaxLength(max, { message: `${label}不超过${max}个字` })(target, key);
  };
}

export class ProposeMatchDto {
  @ApiUuid({ description: '需求（须为待对接 open）' })
  @IsUUID('all', { message: '需求 id 格式不正确' })
  needId!: string;

  @ApiUuid({ description: '供给（须已发布、在有效期内且有余量）' })
  @IsUUID('all', { message: '供给 id 格式不正确' })
  offerId!: string;

  @Text('说明', MATCH_TEXT_MAX.note, true) note?: string;
}

export class MatchCommandDto {
  @ApiInt({ minimum: 1, description: '读取匹配时得到的 version；已被他人处理时返回 409' })
  @IsInt({ message: '版本号须为整数' })
  @Min(1, { message: '版本号须为正整数' })
  version!: number;

  @Text('说明', MATCH_TEXT_MAX.note, true) note?: string;
}

/** 不重复救助 overridden by an approver: the written reason (audited with the earlier ledger row). */
export class DuplicateCauseOverrideDto {
  @Text('越过“不重复救助”的理由（4–500字，仅审批人）', MATCH_TEXT_MAX.note, false) reason!: string;
}

export class ApproveMatchDto extends MatchCommandDto {
  @ApiPropertyOptional({
    type: () => DuplicateCauseOverrideDto,
    description:
      '仅审批人可用：同一致困原因在规定期限内已获帮扶（AID_DUPLICATE_CAUSE）时，写明理由后仍予审批（留痕）；金额上限不可越过',
  })
  @OmittableNotNull()
  @IsObject({ message: '越过理由须为对象' })
  @ValidateNested()
  @Type(() => DuplicateCauseOverrideDto)
  duplicateCauseOverride?: DuplicateCauseOverrideDto;
}

/** Reject and cancel state why. */
export class ReasonedMatchCommandDto {
  @ApiInt({ minimum: 1 })
  @IsInt({ message: '版本号须为整数' })
  @Min(1, { message: '版本号须为正整数' })
  version!: number;

  @Text('原因', MATCH_TEXT_MAX.note, false) reason!: string;
}

export class DeclineMatchDto {
  @ApiInt({ minimum: 1 })
  @IsInt({ message: '版本号须为整数' })
  @Min(1, { message: '版本号须为正整数' })
  version!: number;

  @ApiEnum(DECLINE_REASONS, {
    enumName: 'MatchDeclineReason',
    description:
      'no_longer_available 名额/物资已无 | not_eligible_on_contact 联系后发现不符合条件 | worker_unreachable 联系不上职工 | worker_refused 职工本人拒绝 | duplicate 重复 | other 其他（须填说明）',
  })
  @IsIn(DECLINE_REASONS, oneOf('退回原因', DECLINE_REASONS))
  reason!: DeclineReason;

  @Text('说明', MATCH_TEXT_MAX.note, true) note?: string;
}

export class DeliverMatchDto {
  @ApiInt({ minimum: 1 })
  @IsInt({ message: '版本号须为整数' })
  @Min(1, { message: '版本号须为正整数' })
  version!: number;

  @Text('交付说明', MATCH_TEXT_MAX.long, false) note!: string;

  @ApiInt({ optional: true, minimum: 1, description: '资金类必填：实际发放金额（分），不超过每人金额' })
  @OmittableNotNull()
  @IsInt({ message: '发放金额须为整数（分）' })
  @Min(1, { message: '发放金额须大于0' })
  @Max(500_000_000, { message: '发放金额过大' })
  amountFen?: number;

  @ApiInt({ optional: true, minimum: 1, description: '物资类必填：实际发放件数，不超过预留数量' })
  @OmittableNotNull()
  @IsInt({ message: '发放数量须为整数' })
  @Min(1, { message: '发放数量至少为1' })
  @Max(1_000_000, { message: '发放数量过大' })
  goodsCount?: number;
}

export class ConfirmMatchDto {
  @ApiInt({ minimum: 1 })
  @IsInt({ message: '版本号须为整数' })
  @Min(1, { message: '版本号须为正整数' })
  version!: number;

  /** Required when a caseworker confirms on the worker's behalf. */
  @Text('代为确认的原因（经办人代职工确认时必填）', MATCH_TEXT_MAX.note, true) reason?: string;
}

export class FollowUpMatchDto {
  @ApiInt({ minimum: 1 })
  @IsInt({ message: '版本号须为整数' })
  @Min(1, { message: '版本号须为正整数' })
  version!: number;

  @ApiDate({ description: '回访日期（不晚于今天，不早于交付日期）' })
  @IsString({ message: '回访日期须为 YYYY-MM-DD' })
  @Matches(DATE, { message: '回访日期须为 YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: '回访日期不是有效日期' })
  date!: string;

  @ApiEnum(FOLLOW_UP_CHANNELS, {
    enumName: 'FollowUpChannel',
    description: 'phone 电话 | visit 上门 | online 线上 | via_union 经基层工会',
  })
  @IsIn(FOLLOW_UP_CHANNELS, oneOf('回访方式', FOLLOW_UP_CHANNELS))
  channel!: FollowUpChannel;

  @Text('回访情况', MATCH_TEXT_MAX.long, false) findings!: string;

  @ApiInt({ minimum: 1, maximum: 5, description: '满意度 1–5' })
  @IsInt({ message: '满意度须为1到5的整数' })
  @Min(1, { message: '满意度须为1到5的整数' })
  @Max(5, { message: '满意度须为1到5的整数' })
  satisfaction!: number;
}

export class CloseMatchDto {
  @ApiInt({ minimum: 1 })
  @IsInt({ message: '版本号须为整数' })
  @Min(1, { message: '版本号须为正整数' })
  version!: number;

  @ApiEnum(MATCH_OUTCOMES, {
    enumName: 'MatchOutcome',
    description: 'resolved 已解决 | partially_resolved 部分解决 | unresolved 未解决',
  })
  @IsIn(MATCH_OUTCOMES, oneOf('办结结果', MATCH_OUTCOMES))
  outcome!: MatchOutcome;

  @Text('办结说明', MATCH_TEXT_MAX.long, false) note!: string;
}

export const CONSENT_ACTIONS = ['grant', 'revoke'] as const;
export type ConsentAction = (typeof CONSENT_ACTIONS)[number];

export class MatchConsentDto {
  @ApiInt({ minimum: 1 })
  @IsInt({ message: '版本号须为整数' })
  @Min(1, { message: '版本号须为正整数' })
  version!: number;

  @ApiEnum(CONSENT_ACTIONS, { description: 'grant 同意向该合作方提供联系方式 | revoke 撤回（交付前）' })
  @IsIn(CONSENT_ACTIONS, oneOf('操作', CONSENT_ACTIONS))
  action!: ConsentAction;

  @ApiUuid({
    optional: true,
    description: '经办人代为同意时必填：家庭已签署的"向合作方提供联系方式"（partner_disclosure）同意书',
  })
  @OmittableNotNull()
  @IsUUID('all', { message: '同意书 id 格式不正确' })
  archiveConsentId?: string;
}

export class ListMatchesQueryDto extends PaginationQueryDto {
  @ApiEnum(MATCH_STATES, { optional: true, enumName: 'MatchState' })
  @IsOptional()
  @IsIn(MATCH_STATES, oneOf('状态', MATCH_STATES))
  state?: MatchState;

  @ApiUuid({ optional: true })
  @IsOptional()
  @IsUUID('all', { message: '需求 id 格式不正确' })
  needId?: string;

  @ApiUuid({ optional: true })
  @IsOptional()
  @IsUUID('all', { message: '供给 id 格式不正确' })
  offerId?: string;
}

export class MatchConsentStateDto {
  @ApiBool({ description: '已同意且未撤回' }) given!: boolean;
  @ApiText({ nullable: true, description: 'worker 职工本人 | caseworker 经办人代为（依据已签署同意书）' })
  byKind!: 'worker' | 'caseworker' | null;
  @ApiDateTime({ nullable: true }) at!: string | null;
  @ApiDateTime({ nullable: true }) revokedAt!: string | null;
}

export class MatchDeliveryDto {
  @ApiDateTime() at!: string;
  @ApiText() note!: string;
  @ApiInt({ nullable: true }) amountFen!: number | null;
  @ApiInt({ nullable: true }) goodsCount!: number | null;
}

export class MatchFollowUpDto {
  @ApiDate() date!: string;
  @ApiEnum(FOLLOW_UP_CHANNELS, { enumName: 'FollowUpChannel' }) channel!: FollowUpChannel;
  @ApiText() findings!: string;
  @ApiInt({ minimum: 1, maximum: 5 }) satisfaction!: number;
}

/** A match as anyone allowed reads it: the need as a masked card, never a name, phone, ID or address. */
export class MatchDto {
  @ApiUuid() id!: string;
  @ApiEnum(MATCH_STATES, { enumName: 'MatchState' }) state!: MatchState;
  @ApiUuid() needId!: string;
  @ApiUuid() offerId!: string;
  @ApiText() offerTitle!: string;
  @ApiUuid() partnerId!: string;
  @ApiText() partnerName!: string;
  @ApiText() itemCode!: string;
  @ApiText() itemName!: string;
  @ApiEnum(MENU_CATEGORIES) category!: MenuCategory;
  @ApiEnum(NEED_URGENCIES, { enumName: 'NeedUrgency' }) urgency!: NeedUrgency;
  @ApiText({ description: '需求所在区县代码' }) district!: string;
  @ApiText({ description: '受助人年龄段' }) ageBand!: string;
  @ApiInt() householdSize!: number;
  @ApiText({ description: '档案类别' }) archiveCategory!: string;
  @ApiText({ nullable: true, description: '受助人姓名（脱敏；合作方不可见）' }) beneficiaryName!:
    string | null;
  @ApiUuid({ nullable: true, description: '档案（合作方不可见）' }) archiveId!: string | null;
  @ApiText({ description: 'manual 人工提出 | plan 批量方案' }) proposedVia!: string;
  @ApiInt({ description: '预留的名额/件数' }) units!: number;
  @ApiInt({ nullable: true, description: '资金类：每人金额（分）' }) amountFen!: number | null;
  @ApiEnum(CAUSES, {
    nullable: true,
    enumName: 'Cause',
    description: '该匹配针对的致困原因（审批时确定，帮扶台账与“不重复救助”据此判断；审批前为空）',
  })
  causeCode!: Cause | null;
  @ApiNested(() => MatchConsentStateDto) consent!: MatchConsentStateDto;
  @ApiBool({ description: '调用者现在可以通过 GET /matches/{id}/reveal 查看对方联系方式' })
  contactAvailable!: boolean;
  @ApiEnum(DECLINE_REASONS, { nullable: true, enumName: 'MatchDeclineReason' })
  declineReason!: DeclineReason | null;
  @ApiDate({ nullable: true, description: '在此日期前不再推荐（搁置）' }) parkedUntil!: string | null;
  @ApiText({ nullable: true, description: 'pair 该需求与该供给 | need 整个需求' }) parkScope!: string | null;
  @ApiNested(() => MatchDeliveryDto, { nullable: true }) delivery!: MatchDeliveryDto | null;
  @ApiDateTime({ nullable: true }) confirmedAt!: string | null;
  @ApiText({ nullable: true }) confirmReason!: string | null;
  @ApiNested(() => MatchFollowUpDto, { nullable: true }) followUp!: MatchFollowUpDto | null;
  @ApiEnum(MATCH_OUTCOMES, { nullable: true, enumName: 'MatchOutcome' }) outcome!: MatchOutcome | null;
  @ApiText({ nullable: true }) closeNote!: string | null;
  @ApiText({ nullable: true, description: '驳回、取消的原因' }) exitNote!: string | null;
  @ApiDateTime() stateChangedAt!: string;
  @ApiDateTime() createdAt!: string;
  @ApiInt() version!: number;
  @ApiEnum(MATCH_COMMANDS, { isArray: true, description: '当前状态下可执行的操作（仍须有权限）' })
  commands!: MatchCommand[];
}

export class MatchPageDto {
  @ApiNested(() => MatchDto, { isArray: true }) items!: MatchDto[];
  @ApiInt() total!: number;
  @ApiInt() page!: number;
  @ApiInt() pageSize!: number;
}

export class MatchHistoryDto {
  @ApiDateTime() at!: string;
  @ApiText({ description: 'worker | partner | staff | system' }) actorKind!: string;
  @ApiText() command!: string;
  @ApiEnum(MATCH_STATES, { nullable: true, enumName: 'MatchState' }) fromState!: MatchState | null;
  @ApiEnum(MATCH_STATES, { enumName: 'MatchState' }) toState!: MatchState;
  @ApiText({ nullable: true }) reason!: string | null;
  @ApiText({ nullable: true }) note!: string | null;
}

/**
 * Contact details disclosed by consent: the partner sees the beneficiary's (after acceptance and the
 * worker's consent), the worker sees the partner's (once approved). Every read is audited.
 */
export class MatchContactDto {
  @ApiText({ description: 'beneficiary 受助人 | partner 合作方' }) whose!: 'beneficiary' | 'partner';
  @ApiText() name!: string;
  @ApiText({ nullable: true, description: '手机号（明文，仅在同意范围内提供）' }) mobile!: string | null;
  @ApiText({ nullable: true }) address!: string | null;
}
