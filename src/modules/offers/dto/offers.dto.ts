import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import {
  ApiBool,
  ApiDate,
  ApiDateTime,
  ApiDecimal,
  ApiEnum,
  ApiInt,
  ApiNested,
  ApiText,
  ApiUuid,
} from '../../../common/openapi/api-field';
import { PaginationQueryDto } from '../../../common/pagination/pagination';
import {
  IsDecimal,
  IsMobile,
  NormalizeMobile,
  OmittableNotNull,
  oneOf,
  QueryList,
  Trim,
} from '../../../common/validation';
import {
  ARCHIVE_CATEGORIES,
  CAUSES,
  EMPLOYMENT_STATUSES,
  type ArchiveCategory,
  type Cause,
  type EmploymentStatus,
} from '../../archives/archive.enums';
import { MENU_CATEGORIES, MENU_ITEM_CODE_PATTERN, type MenuCategory } from '../../menu/menu.enums';
import {
  OFFER_CLOSE_REASONS,
  OFFER_KINDS,
  OFFER_LIMITS,
  OFFER_RETURN_REASONS,
  OFFER_STATES,
  type OfferCloseReason,
  type OfferKind,
  type OfferReturnReason,
  type OfferState,
} from '../offers.enums';
import { MANUAL_CLOSE_REASONS, type ManualCloseReason } from '../rules/offer-transitions.rule';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const REGION = /^\d{6}$/;
const REGION_PREFIX = /^(\d{2}){1,3}$/;

/**
 * The fields no offer is created without: required in CreateOfferDto, optional in UpdateOfferDto — one
 * set of rules, `optional` decides whether the field may be left out.
 */
const CORE_FIELDS = {
  itemCodes: (optional: boolean) =>
    applyDecorators(
      ApiText({
        isArray: true,
        optional,
        description: '服务菜单项目代码（1–10个；须与供给类型的计量单位一致）',
      }),
      ...(optional ? [OmittableNotNull()] : []),
      IsArray({ message: '服务项目须为列表' }),
      ArrayMinSize(1, { message: '至少选择一个服务项目' }),
      ArrayMaxSize(OFFER_LIMITS.itemsMax, { message: `服务项目最多${OFFER_LIMITS.itemsMax}个` }),
      ArrayUnique({ message: '服务项目不能重复' }),
      Matches(MENU_ITEM_CODE_PATTERN, { each: true, message: '服务菜单项目代码格式不正确' }),
    ),
  title: (optional: boolean) =>
    applyDecorators(
      ApiText({ optional, maxLength: OFFER_LIMITS.titleMax, example: '2026年春季电焊工技能培训' }),
      ...(optional ? [OmittableNotNull()] : []),
      Trim(),
      IsString({ message: '标题须为文字' }),
      Length(1, OFFER_LIMITS.titleMax, { message: `标题须为1–${OFFER_LIMITS.titleMax}个字` }),
    ),
  capacity: (optional: boolean) =>
    applyDecorators(
      ApiInt({
        optional,
        minimum: 1,
        maximum: OFFER_LIMITS.capacityMax,
        description: '名额或件数；资金类为可资助人数（总预算 = 人数 × 每人金额）',
      }),
      ...(optional ? [OmittableNotNull()] : []),
      IsInt({ message: '数量须为整数' }),
      Min(1, { message: '数量至少为1' }),
      Max(OFFER_LIMITS.capacityMax, { message: '数量过大' }),
    ),
  regionCode: (optional: boolean) =>
    applyDecorators(
      ApiText({ optional, example: '330106', description: '服务地点所在地区（GB/T 2260）' }),
      ...(optional ? [OmittableNotNull()] : []),
      IsString({ message: '地区代码须为6位数字' }),
      Matches(REGION, { message: '地区代码须为6位数字' }),
    ),
  date: (optional: boolean, description: string) =>
    applyDecorators(
      ApiDate({ optional, description }),
      ...(optional ? [OmittableNotNull()] : []),
      IsString({ message: '日期格式须为 YYYY-MM-DD' }),
      Matches(DATE, { message: '日期格式须为 YYYY-MM-DD' }),
      IsISO8601({ strict: true }, { message: '日期不存在' }),
    ),
  contactName: (optional: boolean) =>
    applyDecorators(
      ApiText({ optional, maxLength: 50, description: '对接联系人（仅对接成功的职工可见）' }),
      ...(optional ? [OmittableNotNull()] : []),
      Trim(),
      IsString({ message: '联系人须为1–50个字' }),
      Length(1, 50, { message: '联系人须为1–50个字' }),
    ),
  contactPhone: (optional: boolean) =>
    applyDecorators(
      ApiText({ optional, example: '13800002210', description: '联系电话（加密保存，脱敏显示）' }),
      ...(optional ? [OmittableNotNull()] : []),
      NormalizeMobile(),
      IsMobile(),
    ),
};
const FROM = '开始日期（含，北京时间）';
const UNTIL = '截止日期（含，北京时间；不超过开始后两年）';

/** The fields every offer may have and none requires (each DTO below declares the core fields itself). */
export class OfferFieldsDto {
  @ApiText({ optional: true, nullable: true, maxLength: OFFER_LIMITS.descriptionMax })
  @IsOptional()
  @Trim()
  @IsString({ message: '说明须为文字' })
  @MaxLength(OFFER_LIMITS.descriptionMax, { message: `说明不超过${OFFER_LIMITS.descriptionMax}个字` })
  description?: string | null;

  @ApiInt({ optional: true, nullable: true, minimum: 1, description: '资金类：每人固定金额（分）' })
  @IsOptional()
  @IsInt({ message: '每人金额须为整数（分）' })
  @Min(1, { message: '每人金额至少1分' })
  @Max(OFFER_LIMITS.amountMaxFen, { message: '每人金额过大' })
  amountPerBeneficiaryFen?: number | null;

  @ApiInt({
    optional: true,
    nullable: true,
    minimum: 1,
    description: '名额类、物资类：每人（每个名额）或每件的申报价值（分），记入帮扶台账；资金类不填',
  })
  @IsOptional()
  @IsInt({ message: '申报价值须为整数（分）' })
  @Min(1, { message: '申报价值至少1分' })
  @Max(OFFER_LIMITS.amountMaxFen, { message: '申报价值过大' })
  declaredValueFen?: number | null;

  @ApiInt({
    optional: true,
    nullable: true,
    minimum: 1,
    description: '资金类：总预算（分），可不填；填写时须等于 人数 × 每人金额',
  })
  @IsOptional()
  @IsInt({ message: '总预算须为整数（分）' })
  @Min(1, { message: '总预算至少1分' })
  @Max(OFFER_LIMITS.budgetMaxFen, { message: '总预算过大' })
  budgetFen?: number | null;

  @ApiText({ isArray: true, optional: true, description: '困难类别（不填：不限）' })
  @OmittableNotNull()
  @IsArray()
  @ArrayUnique()
  @IsIn(ARCHIVE_CATEGORIES, { each: true, ...oneOf('困难类别', ARCHIVE_CATEGORIES) })
  eligCategories?: ArchiveCategory[];

  @ApiText({ isArray: true, optional: true, description: '致困原因（不填：不限）' })
  @OmittableNotNull()
  @IsArray()
  @ArrayUnique()
  @IsIn(CAUSES, { each: true, ...oneOf('致困原因', CAUSES) })
  eligCauses?: Cause[];

  @ApiText({ isArray: true, optional: true, description: '就业状况（不填：不限）' })
  @OmittableNotNull()
  @IsArray()
  @ArrayUnique()
  @IsIn(EMPLOYMENT_STATUSES, { each: true, ...oneOf('就业状况', EMPLOYMENT_STATUSES) })
  eligEmployment?: EmploymentStatus[];

  @ApiInt({
    optional: true,
    nullable: true,
    minimum: 0,
    maximum: OFFER_LIMITS.ageMax,
    description: '受助人最小年龄',
  })
  @IsOptional()
  @IsInt({ message: '年龄须为整数' })
  @Min(0, { message: '年龄不能为负' })
  @Max(OFFER_LIMITS.ageMax, { message: `年龄不超过${OFFER_LIMITS.ageMax}` })
  ageMin?: number | null;

  @ApiInt({
    optional: true,
    nullable: true,
    minimum: 0,
    maximum: OFFER_LIMITS.ageMax,
    description: '受助人最大年龄',
  })
  @IsOptional()
  @IsInt({ message: '年龄须为整数' })
  @Min(0, { message: '年龄不能为负' })
  @Max(OFFER_LIMITS.ageMax, { message: `年龄不超过${OFFER_LIMITS.ageMax}` })
  ageMax?: number | null;

  @ApiDecimal({
    optional: true,
    nullable: true,
    minimum: 0.01,
    maximum: 5,
    description: '人均收入不超过低保标准的倍数 k',
  })
  @IsOptional()
  @IsDecimal(2, { message: '收入倍数最多两位小数' })
  @Min(0.01, { message: '收入倍数须大于0' })
  @Max(OFFER_LIMITS.incomeFactorMax, { message: `收入倍数不超过${OFFER_LIMITS.incomeFactorMax}` })
  incomeFactor?: number | null;

  @ApiBool({ optional: true, description: '须在档（默认是）' })
  @OmittableNotNull()
  @IsBoolean({ message: '是否须在档须为 true 或 false' })
  requiresActiveArchive?: boolean;

  @ApiUuid({
    optional: true,
    nullable: true,
    description: '服务的工会单位范围（含下级）；默认合作方受理单位',
  })
  @IsOptional()
  @IsUUID('all', { message: '单位 id 格式不正确' })
  scopeOrgUnitId?: string | null;

  @ApiText({
    optional: true,
    nullable: true,
    example: '3301',
    description: '服务地区前缀（2、4或6位）；线上服务不限地区',
  })
  @IsOptional()
  @IsString()
  @Matches(REGION_PREFIX, { message: '地区前缀须为2、4或6位数字' })
  scopeRegionPrefix?: string | null;

  @ApiBool({ optional: true, description: '线上服务（不限地区）' })
  @OmittableNotNull()
  @IsBoolean({ message: '是否线上须为 true 或 false' })
  online?: boolean;

  @ApiText({ optional: true, nullable: true, maxLength: OFFER_LIMITS.addressMax })
  @IsOptional()
  @Trim()
  @IsString({ message: '地址须为文字' })
  @MaxLength(OFFER_LIMITS.addressMax, { message: `地址不超过${OFFER_LIMITS.addressMax}个字` })
  address?: string | null;

  @ApiInt({
    optional: true,
    minimum: 1,
    maximum: OFFER_LIMITS.perHouseholdMax,
    description: '每户限领次数（默认1）',
  })
  @OmittableNotNull()
  @IsInt()
  @Min(1)
  @Max(OFFER_LIMITS.perHouseholdMax)
  perHouseholdLimit?: number;

  @ApiInt({
    optional: true,
    minimum: 0,
    maximum: OFFER_LIMITS.cooldownMaxDays,
    description: '重复帮扶间隔天数（默认0）',
  })
  @OmittableNotNull()
  @IsInt()
  @Min(0)
  @Max(OFFER_LIMITS.cooldownMaxDays)
  cooldownDays?: number;
}

export class CreateOfferDto extends OfferFieldsDto {
  @ApiEnum(OFFER_KINDS, { enumName: 'OfferKind', description: 'slots 名额 | goods 物资 | cash 资金' })
  @IsIn(OFFER_KINDS, oneOf('供给类型', OFFER_KINDS))
  kind!: OfferKind;

  @ApiUuid({
    optional: true,
    description: '工作人员录入工会帮扶项目时：所属工会单位（默认本单位）；合作方账号不填',
  })
  @OmittableNotNull()
  @IsUUID('all', { message: '单位 id 格式不正确' })
  orgUnitId?: string;

  @CORE_FIELDS.itemCodes(false)
  itemCodes!: string[];

  @CORE_FIELDS.title(false)
  title!: string;

  @CORE_FIELDS.capacity(false)
  capacity!: number;

  @CORE_FIELDS.regionCode(false)
  regionCode!: string;

  @CORE_FIELDS.date(false, FROM)
  validFrom!: string;

  @CORE_FIELDS.date(false, UNTIL)
  validUntil!: string;

  @CORE_FIELDS.contactName(false)
  contactName!: string;

  @CORE_FIELDS.contactPhone(false)
  contactPhone!: string;
}

/** PATCH: the fields to change and the version read. The kind and partner never change. */
export class UpdateOfferDto extends OfferFieldsDto {
  @ApiInt({ minimum: 1, description: '读取供给时得到的 version' })
  @IsInt({ message: '版本号须为整数' })
  @Min(1, { message: '版本号须为正整数' })
  version!: number;

  @CORE_FIELDS.itemCodes(true)
  itemCodes?: string[];

  @CORE_FIELDS.title(true)
  title?: string;

  @CORE_FIELDS.capacity(true)
  capacity?: number;

  @CORE_FIELDS.regionCode(true)
  regionCode?: string;

  @CORE_FIELDS.date(true, FROM)
  validFrom?: string;

  @CORE_FIELDS.date(true, UNTIL)
  validUntil?: string;

  @CORE_FIELDS.contactName(true)
  contactName?: string;

  @CORE_FIELDS.contactPhone(true)
  contactPhone?: string;
}

export class OfferCommandDto {
  @ApiInt({ minimum: 1, description: '读取供给时得到的 version；已被他人处理时返回 409' })
  @IsInt({ message: '版本号须为整数' })
  @Min(1, { message: '版本号须为正整数' })
  version!: number;

  @ApiText({ optional: true, maxLength: OFFER_LIMITS.noteMax, description: '说明' })
  @OmittableNotNull()
  @Trim()
  @IsString({ message: '说明须为文字' })
  @MinLength(1, { message: '说明不能为空' })
  @MaxLength(OFFER_LIMITS.noteMax, { message: `说明不超过${OFFER_LIMITS.noteMax}个字` })
  note?: string;
}

export class ReturnOfferDto extends OfferCommandDto {
  @ApiEnum(OFFER_RETURN_REASONS, { isArray: true, description: '退回修改的原因（至少一个）' })
  @IsArray({ message: '退回原因须为列表' })
  @ArrayMaxSize(OFFER_RETURN_REASONS.length)
  @ArrayUnique({ message: '退回原因不能重复' })
  @IsIn(OFFER_RETURN_REASONS, { each: true, ...oneOf('退回原因', OFFER_RETURN_REASONS) })
  reasons!: OfferReturnReason[];
}

export class CloseOfferDto extends OfferCommandDto {
  @ApiEnum(MANUAL_CLOSE_REASONS, {
    description: 'withdrawn 合作方撤回 | partner_suspended 合作方被暂停（审核人）',
  })
  @IsIn(MANUAL_CLOSE_REASONS, oneOf('关闭原因', MANUAL_CLOSE_REASONS))
  reason!: ManualCloseReason;
}

export class ListOffersQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: OFFER_STATES, isArray: true, description: '可多选，逗号分隔' })
  @IsOptional()
  @QueryList()
  @IsArray()
  @ArrayUnique()
  @IsIn(OFFER_STATES, { each: true, ...oneOf('状态', OFFER_STATES) })
  state?: OfferState[];

  @ApiPropertyOptional({ enum: OFFER_KINDS })
  @IsOptional()
  @IsIn(OFFER_KINDS, oneOf('供给类型', OFFER_KINDS))
  kind?: OfferKind;

  @ApiPropertyOptional({ description: '服务菜单项目代码' })
  @IsOptional()
  @Matches(MENU_ITEM_CODE_PATTERN, { message: '服务菜单项目代码格式不正确' })
  itemCode?: string;

  @ApiPropertyOptional({ enum: MENU_CATEGORIES })
  @IsOptional()
  @IsIn(MENU_CATEGORIES, oneOf('类别', MENU_CATEGORIES))
  category?: MenuCategory;

  @ApiPropertyOptional({ description: '标题、说明或项目名称（部分匹配）' })
  @IsOptional()
  @Trim()
  @IsString()
  @MinLength(1, { message: '搜索词须为1–50个字符' })
  @MaxLength(50, { message: '搜索词须为1–50个字符' })
  q?: string;
}

export class AvailableOffersQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: MENU_CATEGORIES })
  @IsOptional()
  @IsIn(MENU_CATEGORIES, oneOf('类别', MENU_CATEGORIES))
  category?: MenuCategory;

  @ApiPropertyOptional({ description: '服务菜单项目代码' })
  @IsOptional()
  @Matches(MENU_ITEM_CODE_PATTERN, { message: '服务菜单项目代码格式不正确' })
  itemCode?: string;

  @ApiPropertyOptional({ description: '地区前缀（2、4或6位），线上服务总是列出' })
  @IsOptional()
  @Matches(REGION_PREFIX, { message: '地区前缀须为2、4或6位数字' })
  region?: string;

  @ApiPropertyOptional({ description: '标题、说明或项目名称（部分匹配）' })
  @IsOptional()
  @Trim()
  @IsString()
  @MinLength(1, { message: '搜索词须为1–50个字符' })
  @MaxLength(50, { message: '搜索词须为1–50个字符' })
  q?: string;
}

export class OfferItemDto {
  @ApiText() code!: string;
  @ApiText() name!: string;
  @ApiEnum(MENU_CATEGORIES) category!: MenuCategory;
}

export class OfferEligibilityDto {
  @ApiEnum(ARCHIVE_CATEGORIES, { isArray: true }) categories!: ArchiveCategory[];
  @ApiEnum(CAUSES, { isArray: true }) causes!: Cause[];
  @ApiEnum(EMPLOYMENT_STATUSES, { isArray: true }) employment!: EmploymentStatus[];
  @ApiInt({ nullable: true }) ageMin!: number | null;
  @ApiInt({ nullable: true }) ageMax!: number | null;
  @ApiText({ nullable: true, description: '人均收入 ≤ k × 低保标准 的 k（小数文本）' }) incomeFactor!:
    string | null;
  @ApiBool() requiresActiveArchive!: boolean;
}

export class OfferScopeDto {
  @ApiUuid({ nullable: true }) orgUnitId!: string | null;
  @ApiText({ nullable: true }) orgUnitName!: string | null;
  @ApiText({ nullable: true }) regionPrefix!: string | null;
  @ApiBool() online!: boolean;
}

export class OfferPartnerDto {
  @ApiUuid() id!: string;
  @ApiText() name!: string;
  @ApiText() kind!: string;
  @ApiBool({ description: '合作方是否正常（未被暂停）' }) active!: boolean;
}

/** What a worker browsing sees: no contact, no reservation figures, no review details. */
export class AvailableOfferDto {
  @ApiUuid() id!: string;
  @ApiText() title!: string;
  @ApiText({ nullable: true }) description!: string | null;
  @ApiEnum(OFFER_KINDS, { enumName: 'OfferKind' }) kind!: OfferKind;
  @ApiNested(() => OfferItemDto, { isArray: true }) items!: OfferItemDto[];
  @ApiText({ description: '合作方名称' }) partnerName!: string;
  @ApiInt({ nullable: true, description: '资金类：每人金额（分）' }) amountPerBeneficiaryFen!: number | null;
  @ApiInt({ description: '剩余名额（资金类：剩余可资助人数）' }) remaining!: number;
  @ApiNested(() => OfferEligibilityDto) eligibility!: OfferEligibilityDto;
  @ApiNested(() => OfferScopeDto) scope!: OfferScopeDto;
  @ApiText() regionCode!: string;
  @ApiText({ nullable: true }) address!: string | null;
  @ApiDate() validFrom!: string;
  @ApiDate() validUntil!: string;
  @ApiInt() perHouseholdLimit!: number;
  @ApiInt() cooldownDays!: number;
}

export class AvailableOfferPageDto {
  @ApiNested(() => AvailableOfferDto, { isArray: true }) items!: AvailableOfferDto[];
  @ApiInt() total!: number;
  @ApiInt() page!: number;
  @ApiInt() pageSize!: number;
}

export class OfferContactDto {
  @ApiText() name!: string;
  @ApiText({ description: '联系电话（脱敏）' }) phone!: string;
}

/** An offer as its partner and staff see it; the contact phone is masked. */
export class OfferDto {
  @ApiUuid() id!: string;
  @ApiEnum(OFFER_STATES, { enumName: 'OfferState' }) state!: OfferState;
  @ApiEnum(OFFER_CLOSE_REASONS, { nullable: true }) closedReason!: OfferCloseReason | null;
  @ApiEnum(OFFER_RETURN_REASONS, { isArray: true, description: '退回修改的原因（草稿）' })
  returnReasons!: OfferReturnReason[];
  @ApiNested(() => OfferPartnerDto) partner!: OfferPartnerDto;
  @ApiBool({ description: '工会帮扶项目（送温暖、金秋助学等）' }) unionProgramme!: boolean;
  @ApiText() title!: string;
  @ApiText({ nullable: true }) description!: string | null;
  @ApiEnum(OFFER_KINDS, { enumName: 'OfferKind' }) kind!: OfferKind;
  @ApiNested(() => OfferItemDto, { isArray: true }) items!: OfferItemDto[];
  @ApiInt({ description: '名额、件数或可资助人数' }) capacity!: number;
  @ApiInt({ nullable: true }) amountPerBeneficiaryFen!: number | null;
  @ApiInt({ nullable: true, description: '名额类、物资类：每人或每件的申报价值（分）' })
  declaredValueFen!: number | null;
  @ApiInt({ nullable: true, description: '资金类：总预算（分）= 人数 × 每人金额' }) budgetFen!: number | null;
  @ApiInt() reserved!: number;
  @ApiInt() used!: number;
  @ApiInt() remaining!: number;
  @ApiNested(() => OfferEligibilityDto) eligibility!: OfferEligibilityDto;
  @ApiNested(() => OfferScopeDto) scope!: OfferScopeDto;
  @ApiText() regionCode!: string;
  @ApiText({ nullable: true }) address!: string | null;
  @ApiDate() validFrom!: string;
  @ApiDate() validUntil!: string;
  @ApiInt() perHouseholdLimit!: number;
  @ApiInt() cooldownDays!: number;
  @ApiNested(() => OfferContactDto) contact!: OfferContactDto;
  @ApiDateTime({ nullable: true }) publishedAt!: string | null;
  @ApiDateTime() stateChangedAt!: string;
  @ApiDateTime() createdAt!: string;
  @ApiDateTime() updatedAt!: string;
  @ApiInt() version!: number;
  @ApiText({ isArray: true, description: '当前状态下可执行的操作（是否有权限另行判断）' })
  commands!: string[];
}

export class OfferPageDto {
  @ApiNested(() => OfferDto, { isArray: true }) items!: OfferDto[];
  @ApiInt() total!: number;
  @ApiInt() page!: number;
  @ApiInt() pageSize!: number;
}

export class OfferHistoryDto {
  @ApiDateTime() at!: string;
  @ApiUuid({ nullable: true }) actorId!: string | null;
  @ApiText({ description: 'partner | staff | system' }) actorKind!: string;
  @ApiText() command!: string;
  @ApiEnum(OFFER_STATES, { nullable: true }) fromState!: OfferState | null;
  @ApiEnum(OFFER_STATES) toState!: OfferState;
  @ApiText({ isArray: true }) reasons!: string[];
  @ApiText({ nullable: true }) note!: string | null;
}
