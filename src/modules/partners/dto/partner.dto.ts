import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
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
import { PaginationQueryDto } from '../../../common/pagination/pagination';
import { IsMobile, NormalizeMobile, OmittableNotNull, Trim, TrimLowerCase } from '../../../common/validation';
import { MENU_CATEGORIES, type MenuCategory } from '../../menu/menu.enums';
import { USER_STATUSES, type UserStatus } from '../../users/rules/user-status.rule';
import {
  DISPLAY_NAME_MAX,
  PASSWORD_MAX,
  USERNAME_MESSAGE,
  USERNAME_PATTERN,
} from '../../users/dto/create-user.dto';
import {
  PARTNER_KINDS,
  PARTNER_STATUSES,
  SELF_REGISTERED_KINDS,
  type PartnerKind,
  type PartnerStatus,
  type SelfRegisteredKind,
} from '../partner.enums';

export const PARTNER_LIMITS = {
  nameMax: 100,
  contactNameMax: 50,
  regionsMax: 50,
  reasonMax: 200,
} as const;

const REGION_CODE = /^\d{6}$/;

/** The partner's first login account, chosen by the registrant. */
export class PartnerAccountInputDto {
  @ApiText({ example: 'aixin.admin', description: '登录名，自动转为小写' })
  @TrimLowerCase()
  @IsString({ message: USERNAME_MESSAGE })
  @Matches(USERNAME_PATTERN, { message: USERNAME_MESSAGE })
  username!: string;

  @ApiText({ example: '李经理', maxLength: DISPLAY_NAME_MAX })
  @Trim()
  @IsString({ message: '姓名须为文字' })
  @IsNotEmpty({ message: '姓名不能为空' })
  @MaxLength(DISPLAY_NAME_MAX, { message: `姓名不超过${DISPLAY_NAME_MAX}个字` })
  displayName!: string;

  @ApiText({ description: '密码：至少8位，同时包含字母和数字，不能是常见密码，不能包含用户名' })
  @IsString({ message: '密码须为文字' })
  @MaxLength(PASSWORD_MAX, { message: '密码过长' })
  password!: string;
}

/** POST /partners: an organisation registers itself (no login); it stays `pending` until vetted. */
export class RegisterPartnerDto {
  @ApiEnum(SELF_REGISTERED_KINDS, {
    enumName: 'SelfRegisteredPartnerKind',
    description: 'government 政府部门 | ngo 社会组织 | company 爱心企业 | volunteer 志愿团队',
  })
  @IsIn(SELF_REGISTERED_KINDS, { message: '机构类型须为 government、ngo、company 或 volunteer' })
  kind!: SelfRegisteredKind;

  @ApiText({ example: '杭州市某某爱心企业有限公司', maxLength: PARTNER_LIMITS.nameMax })
  @Trim()
  @IsString({ message: '机构名称须为文字' })
  @Length(2, PARTNER_LIMITS.nameMax, { message: `机构名称须为2–${PARTNER_LIMITS.nameMax}个字` })
  name!: string;

  @ApiText({
    optional: true,
    example: '91330106MA2XXXXXX0',
    description: '统一社会信用代码（GB 32100，18位；小写自动转为大写）；志愿团队可不填',
  })
  @OmittableNotNull()
  @IsString({ message: '统一社会信用代码须为文字' })
  @MaxLength(40, { message: '统一社会信用代码过长' })
  creditCode?: string;

  @ApiUuid({ description: '申请受理的工会单位（由该单位或其上级审核）' })
  @IsUUID('all', { message: '受理单位须为单位编号（UUID）' })
  orgUnitId!: string;

  @ApiText({ example: '王联络', maxLength: PARTNER_LIMITS.contactNameMax })
  @Trim()
  @IsString({ message: '联系人须为文字' })
  @Length(1, PARTNER_LIMITS.contactNameMax, { message: `联系人须为1–${PARTNER_LIMITS.contactNameMax}个字` })
  contactName!: string;

  @ApiText({ example: '13812342210', description: '联系人手机号（加密保存，响应中打码）' })
  @NormalizeMobile()
  @IsMobile()
  mobile!: string;

  @ApiText({ isArray: true, example: ['330106'], description: '服务地区（GB/T 2260 六位行政区划代码）' })
  @IsArray({ message: '服务地区须为列表' })
  @ArrayMinSize(1, { message: '至少填写一个服务地区' })
  @ArrayMaxSize(PARTNER_LIMITS.regionsMax, { message: `服务地区最多${PARTNER_LIMITS.regionsMax}个` })
  @ArrayUnique({ message: '服务地区不能重复' })
  @IsString({ each: true, message: '服务地区须为六位数字' })
  @Matches(REGION_CODE, { each: true, message: '服务地区须为六位行政区划代码' })
  regionCodes!: string[];

  @ApiEnum(MENU_CATEGORIES, { isArray: true, enumName: 'MenuCategory', description: '服务类别' })
  @IsArray({ message: '服务类别须为列表' })
  @ArrayMinSize(1, { message: '至少选择一个服务类别' })
  @ArrayUnique({ message: '服务类别不能重复' })
  @IsIn(MENU_CATEGORIES, { each: true, message: '服务类别不存在' })
  categories!: MenuCategory[];

  @ApiNested(() => PartnerAccountInputDto, { description: '机构的首个登录账号（审核通过后可登录）' })
  // IsObject: a list would pass ValidateNested element by element and reach the service.
  @IsObject({ message: '首个账号须为对象（username、displayName、password）' })
  @ValidateNested()
  @Type(() => PartnerAccountInputDto)
  account!: PartnerAccountInputDto;
}

export class ListPartnersQueryDto extends PaginationQueryDto {
  @ApiEnum(PARTNER_STATUSES, { optional: true })
  @IsOptional()
  @IsIn(PARTNER_STATUSES, { message: '状态须为 pending、approved、rejected 或 suspended' })
  status?: PartnerStatus;

  @ApiEnum(PARTNER_KINDS, { optional: true })
  @IsOptional()
  @IsIn(PARTNER_KINDS, { message: '机构类型不存在' })
  kind?: PartnerKind;

  @ApiText({ optional: true, description: '名称或统一社会信用代码包含' })
  @IsOptional()
  @Trim()
  @IsString()
  @Length(1, 40, { message: '搜索词须为1–40个字' })
  q?: string;
}

/** A vetting decision: the version the reviewer saw, and a reason (required to reject or suspend). */
export class VetPartnerDto {
  @ApiInt({ minimum: 1, description: '审核人看到的版本号（乐观锁）' })
  @IsInt({ message: '版本号须为整数' })
  @Min(1, { message: '版本号须为正整数' })
  version!: number;

  @ApiText({ optional: true, maxLength: PARTNER_LIMITS.reasonMax, description: '原因（驳回、暂停时必填）' })
  @OmittableNotNull()
  @Trim()
  @IsString({ message: '原因须为文字' })
  @Length(1, PARTNER_LIMITS.reasonMax, { message: `原因须为1–${PARTNER_LIMITS.reasonMax}个字` })
  reason?: string;
}

export class DisablePartnerAccountDto {
  @ApiText({ maxLength: PARTNER_LIMITS.reasonMax })
  @Trim()
  @IsString({ message: '原因须为文字' })
  @Length(1, PARTNER_LIMITS.reasonMax, { message: `原因须为1–${PARTNER_LIMITS.reasonMax}个字` })
  reason!: string;
}

/** A partner as staff and the partner's own accounts see it; the mobile is masked. */
export class PartnerDto {
  @ApiUuid() id!: string;
  @ApiEnum(PARTNER_KINDS, { enumName: 'PartnerKind' }) kind!: PartnerKind;
  @ApiText({ description: '机构类型名称' }) kindName!: string;
  @ApiText() name!: string;
  @ApiText({ nullable: true, description: '统一社会信用代码（机构代码，非个人信息）' }) creditCode!:
    string | null;
  @ApiUuid({ description: '受理（管理）的工会单位' }) orgUnitId!: string;
  @ApiText({ nullable: true }) orgUnitName!: string | null;
  @ApiText({ nullable: true }) contactName!: string | null;
  @ApiText({ nullable: true, example: '138****2210', description: '打码的联系人手机号' }) mobile!:
    string | null;
  @ApiText({ isArray: true }) regionCodes!: string[];
  @ApiEnum(MENU_CATEGORIES, { isArray: true, enumName: 'MenuCategory' }) categories!: MenuCategory[];
  @ApiEnum(PARTNER_STATUSES, { enumName: 'PartnerStatus' }) status!: PartnerStatus;
  @ApiText({ nullable: true, description: '最近一次审核决定的原因' }) statusReason!: string | null;
  @ApiDateTime({ nullable: true }) reviewedAt!: string | null;
  @ApiInt() version!: number;
  @ApiDateTime() createdAt!: string;
  @ApiDateTime() updatedAt!: string;
}

export class PartnerPageDto {
  @ApiNested(() => PartnerDto, { isArray: true }) items!: PartnerDto[];
  @ApiInt() total!: number;
  @ApiInt() page!: number;
  @ApiInt() pageSize!: number;
}

/** What the registrant gets back: the partner (pending) and its first account's login name. */
export class PartnerRegistrationDto {
  @ApiNested(() => PartnerDto) partner!: PartnerDto;
  @ApiText() username!: string;
}

export class PartnerAccountDto {
  @ApiUuid() id!: string;
  @ApiText() username!: string;
  @ApiText() displayName!: string;
  @ApiEnum(USER_STATUSES, { enumName: 'UserStatus' }) status!: UserStatus;
  @ApiBool({ description: '机构的首个账号（可添加、停用其他账号）' }) first!: boolean;
  @ApiDateTime({ nullable: true }) disabledAt!: string | null;
  @ApiDateTime() createdAt!: string;
}

export class PartnerAccountListDto {
  @ApiNested(() => PartnerAccountDto, { isArray: true }) items!: PartnerAccountDto[];
}
