import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import {
  ApiBool,
  ApiDateTime,
  ApiEnum,
  ApiInt,
  ApiNested,
  ApiText,
  ApiUuid,
} from '../../../common/openapi/api-field';
import { OmittableNotNull, oneOf, QueryList, Trim } from '../../../common/validation';
import { PaginationQueryDto } from '../../../common/pagination/pagination';
import { MENU_CATEGORIES, MENU_ITEM_CODE_PATTERN, type MenuCategory } from '../../menu/menu.enums';
import {
  CONTACT_PREFERENCES,
  NEED_LIMITS,
  NEED_LIST_SORTS,
  NEED_MODES,
  NEED_STATES,
  NEED_URGENCIES,
  REVIEW_REJECT_REASONS,
  type ContactPreference,
  type NeedListSort,
  type NeedMode,
  type NeedRejectReason,
  type NeedState,
  type NeedUrgency,
} from '../needs.enums';
import { SCREEN_DECISIONS, type ScreenDecision } from '../rules/need-transitions.rule';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export class CreateNeedDto {
  @ApiText({ example: 'tuition_college', description: '服务菜单项目代码' })
  @IsString({ message: '请选择服务菜单项目' })
  @Matches(MENU_ITEM_CODE_PATTERN, { message: '服务菜单项目代码格式不正确' })
  itemCode!: string;

  @ApiUuid({ optional: true, description: '代为申请时必填：职工的档案；职工本人申请时不填（即本人的档案）' })
  @OmittableNotNull()
  @IsUUID('all', { message: '档案 id 格式不正确' })
  archiveId?: string;

  @ApiUuid({ optional: true, description: '受助家庭成员的 id；不填即户主本人' })
  @OmittableNotNull()
  @IsUUID('all', { message: '家庭成员 id 格式不正确' })
  beneficiaryMemberId?: string;

  @ApiInt({ minimum: 1, description: '名额或件数；金额类项目为金额（分）。上限见项目的 maxPerNeed' })
  @IsInt({ message: '申请数量须为整数（金额以分计）' })
  @Min(1, { message: '申请数量至少为1' })
  @Max(5_000_000, { message: '申请数量过大' })
  quantity!: number;

  @ApiEnum(NEED_URGENCIES, {
    enumName: 'NeedUrgency',
    description: 'normal 一般 | urgent 紧急 | emergency 特急',
  })
  @IsIn(NEED_URGENCIES, oneOf('紧急程度', NEED_URGENCIES))
  urgency!: NeedUrgency;

  @ApiText({ isArray: true, optional: true, description: '从项目的可选标签中选择' })
  @OmittableNotNull()
  @IsArray({ message: '标签须为列表' })
  @ArrayMaxSize(NEED_LIMITS.tagsMax, { message: `标签最多${NEED_LIMITS.tagsMax}个` })
  @ArrayUnique({ message: '标签不能重复' })
  @IsString({ each: true, message: '标签须为文字' })
  tags?: string[];

  @ApiText({
    optional: true,
    maxLength: NEED_LIMITS.descriptionMax,
    description: '需求说明（不要填写证件号、电话）',
  })
  @OmittableNotNull()
  @Trim()
  @IsString({ message: '需求说明须为文字' })
  @MaxLength(NEED_LIMITS.descriptionMax, { message: `需求说明不超过${NEED_LIMITS.descriptionMax}个字` })
  description?: string;

  @ApiEnum(NEED_MODES, {
    enumName: 'NeedMode',
    optional: true,
    description: 'onsite 线下 | online 线上 | any 均可',
  })
  @OmittableNotNull()
  @IsIn(NEED_MODES, oneOf('服务方式', NEED_MODES))
  preferredMode?: NeedMode;

  @ApiText({
    optional: true,
    example: '330106',
    description: '希望就近服务的地区（GB/T 2260）；默认档案所在地区',
  })
  @OmittableNotNull()
  @IsString({ message: '地区代码须为6位数字' })
  @Matches(/^\d{6}$/, { message: '地区代码须为6位数字' })
  regionCode?: string;

  @ApiEnum(CONTACT_PREFERENCES, {
    enumName: 'NeedContactPreference',
    description: 'phone 电话 | sms 短信 | visit 上门 | via_union 经所在工会',
  })
  @IsIn(CONTACT_PREFERENCES, oneOf('联系方式', CONTACT_PREFERENCES))
  contactPreference!: ContactPreference;
}

export class NeedCommandDto {
  @ApiInt({ minimum: 1, description: '读取需求时得到的 version；已被他人处理时返回 409' })
  @IsInt({ message: '版本号须为整数' })
  @Min(1, { message: '版本号须为正整数' })
  version!: number;

  @ApiText({ optional: true, maxLength: NEED_LIMITS.noteMax, description: '说明' })
  @OmittableNotNull()
  @Trim()
  @IsString({ message: '说明须为文字' })
  @MinLength(1, { message: '说明不能为空' })
  @MaxLength(NEED_LIMITS.noteMax, { message: `说明不超过${NEED_LIMITS.noteMax}个字` })
  note?: string;
}

export class ScreenNeedDto extends NeedCommandDto {
  @ApiEnum(SCREEN_DECISIONS, { description: 'approve 通过（需求开放对接）| reject 驳回（须选原因）' })
  @IsIn(SCREEN_DECISIONS, oneOf('审核结论', SCREEN_DECISIONS))
  decision!: ScreenDecision;

  @ApiEnum(REVIEW_REJECT_REASONS, { isArray: true, optional: true, description: '驳回原因（驳回时必填）' })
  @OmittableNotNull()
  @IsArray({ message: '驳回原因须为列表' })
  @ArrayMaxSize(REVIEW_REJECT_REASONS.length)
  @ArrayUnique({ message: '驳回原因不能重复' })
  @IsIn(REVIEW_REJECT_REASONS, { each: true, ...oneOf('驳回原因', REVIEW_REJECT_REASONS) })
  reasons?: NeedRejectReason[];
}

export class ListNeedsQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: NEED_STATES, isArray: true, description: '可多选，逗号分隔' })
  @IsOptional()
  @QueryList()
  @IsArray()
  @ArrayUnique()
  @IsIn(NEED_STATES, { each: true, ...oneOf('状态', NEED_STATES) })
  state?: NeedState[];

  @ApiPropertyOptional({ description: '服务菜单项目代码' })
  @IsOptional()
  @Matches(MENU_ITEM_CODE_PATTERN, { message: '服务菜单项目代码格式不正确' })
  itemCode?: string;

  @ApiPropertyOptional({ enum: MENU_CATEGORIES })
  @IsOptional()
  @IsIn(MENU_CATEGORIES, oneOf('类别', MENU_CATEGORIES))
  category?: MenuCategory;

  @ApiPropertyOptional({ enum: NEED_URGENCIES })
  @IsOptional()
  @IsIn(NEED_URGENCIES, oneOf('紧急程度', NEED_URGENCIES))
  urgency?: NeedUrgency;

  @ApiPropertyOptional({ format: 'uuid', description: '单位（含下级单位），须在本人管辖范围内' })
  @IsOptional()
  @IsUUID('all', { message: '单位 id 格式不正确' })
  orgUnitId?: string;

  @ApiPropertyOptional({ format: 'date', description: '提交日期起（含，北京时间）' })
  @IsOptional()
  @Matches(DATE, { message: '日期格式须为 YYYY-MM-DD' })
  createdFrom?: string;

  @ApiPropertyOptional({ format: 'date', description: '提交日期止（含，北京时间）' })
  @IsOptional()
  @Matches(DATE, { message: '日期格式须为 YYYY-MM-DD' })
  createdTo?: string;

  @ApiPropertyOptional({
    description:
      '搜索词：工作人员列表按项目名称、类别名称和标签检索（分词，每个词都须命中；不检索需求说明）；职工本人的列表按项目名称、标签或需求说明部分匹配',
  })
  @IsOptional()
  @Trim()
  @IsString()
  @MinLength(1, { message: '搜索词须为1–50个字符' })
  @MaxLength(50, { message: '搜索词须为1–50个字符' })
  q?: string;

  @ApiPropertyOptional({
    enum: NEED_LIST_SORTS,
    default: 'urgency',
    description: 'urgency 紧急程度优先、再按等待时间（默认）| oldest 等待最久的在前 | newest 最新提交的在前',
  })
  @IsOptional()
  @IsIn(NEED_LIST_SORTS, oneOf('排序', NEED_LIST_SORTS))
  sort?: NeedListSort;
}

export class NeedBeneficiaryDto {
  @ApiEnum(['head', 'member'], { description: 'head 户主本人 | member 家庭成员' }) kind!: 'head' | 'member';
  @ApiUuid({ nullable: true }) memberId!: string | null;
  @ApiText({ nullable: true, description: '与户主关系（成员）' }) relation!: string | null;
  @ApiText({ nullable: true, description: '姓名（脱敏）' }) name!: string | null;
}

export class NeedDto {
  @ApiUuid() id!: string;
  @ApiEnum(NEED_STATES, { enumName: 'NeedState' }) state!: NeedState;
  @ApiText() itemCode!: string;
  @ApiText() itemName!: string;
  @ApiEnum(MENU_CATEGORIES) category!: MenuCategory;
  @ApiText({ description: 'slots | goods | yuan' }) unit!: string;
  @ApiInt() quantity!: number;
  @ApiEnum(NEED_URGENCIES, { enumName: 'NeedUrgency' }) urgency!: NeedUrgency;
  @ApiText({ isArray: true }) tags!: string[];
  @ApiText({ nullable: true }) description!: string | null;
  @ApiEnum(NEED_MODES, { enumName: 'NeedMode' }) preferredMode!: NeedMode;
  @ApiText() regionCode!: string;
  @ApiEnum(CONTACT_PREFERENCES, { enumName: 'NeedContactPreference' }) contactPreference!: ContactPreference;
  @ApiText({ isArray: true, description: '驳回原因代码' }) rejectReasons!: string[];
  @ApiNested(() => NeedBeneficiaryDto) beneficiary!: NeedBeneficiaryDto;
  @ApiUuid() archiveId!: string;
  @ApiText({ nullable: true }) archiveNo!: string | null;
  @ApiText({ description: '户主姓名（脱敏）' }) headName!: string;
  @ApiUuid() orgUnitId!: string;
  @ApiText() orgUnitName!: string;
  @ApiBool({ description: '由工作人员代为申请' }) onBehalf!: boolean;
  @ApiDateTime({ nullable: true }) openedAt!: string | null;
  @ApiDateTime({ nullable: true }) expiresAt!: string | null;
  @ApiDateTime() stateChangedAt!: string;
  @ApiDateTime() createdAt!: string;
  @ApiInt() version!: number;
  @ApiText({ isArray: true, description: '当前可执行的操作（是否有权限另行判断）' }) commands!: string[];
}

export class NeedPageDto {
  @ApiNested(() => NeedDto, { isArray: true }) items!: NeedDto[];
  @ApiInt() total!: number;
  @ApiInt() page!: number;
  @ApiInt() pageSize!: number;
}

export class NeedHistoryDto {
  @ApiDateTime() at!: string;
  @ApiUuid({ nullable: true }) actorId!: string | null;
  @ApiText({ description: 'worker | staff | system' }) actorKind!: string;
  @ApiText() command!: string;
  @ApiEnum(NEED_STATES, { nullable: true }) fromState!: NeedState | null;
  @ApiEnum(NEED_STATES) toState!: NeedState;
  @ApiText({ isArray: true }) reasons!: string[];
  @ApiText({ nullable: true }) note!: string | null;
}

export class NeedCreatedDto extends NeedDto {
  @ApiText({ isArray: true, description: '自动初筛未通过的规则代码（state 为 rejected 时）' })
  screeningViolations!: string[];
}
