import { OmitType, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
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
import { PaginationQueryDto } from '../../../common/pagination/pagination';
import type { SchoolingStage } from '../../archives/archive.enums';
import {
  MENU_BENEFICIARIES,
  MENU_CATEGORIES,
  MENU_ITEM_CODE_PATTERN,
  MENU_LIMITS,
  MENU_SCHOOLING_STAGES,
  MENU_UNITS,
  type MenuBeneficiary,
  type MenuCategory,
  type MenuUnit,
} from '../menu.enums';
import { OmittableNotNull, Trim, TrimEach } from '../../../common/validation';

/** An item as workers see it (GET /menu). */
export class MenuItemDto {
  @ApiText({ example: 'tuition_college' }) code!: string;
  @ApiEnum(MENU_CATEGORIES, { enumName: 'MenuCategory' }) category!: MenuCategory;
  @ApiText({ example: '金秋助学', description: '类别名称' }) categoryName!: string;
  @ApiText({ example: '金秋助学（大专/本科）' }) name!: string;
  @ApiText() description!: string;
  @ApiEnum(MENU_UNITS, { enumName: 'MenuUnit', description: 'slots 名额 | goods 件 | yuan 金额（分）' })
  unit!: MenuUnit;
  @ApiInt({ description: '每次申请的上限：名额或件数；金额类为分' }) maxPerNeed!: number;
  @ApiBool({ description: '须有在档（已建档）的困难职工档案' }) requiresActiveArchive!: boolean;
  @ApiBool({ description: '临时救助档案也可申请' }) acceptsTemporaryArchive!: boolean;
  @ApiEnum(MENU_BENEFICIARIES, {
    enumName: 'MenuBeneficiary',
    description: 'worker 职工本人 | any_member 任一家庭成员 | member_in_stage 指定学段的在读家庭成员',
  })
  beneficiary!: MenuBeneficiary;
  @ApiEnum(MENU_SCHOOLING_STAGES, { isArray: true, description: '适用学段（仅 member_in_stage）' })
  stages!: SchoolingStage[];
  @ApiInt({ description: '办理时限（天）' }) slaDays!: number;
  @ApiInt({ description: '需求有效期（天）' }) validityDays!: number;
  @ApiText({ isArray: true, description: '需携带的材料' }) documents!: string[];
  @ApiText({ isArray: true, description: '可选标签（有序）' }) tags!: string[];
}

/** An item with its bookkeeping, for administrators. */
export class MenuItemAdminDto extends MenuItemDto {
  @ApiUuid() id!: string;
  @ApiBool() active!: boolean;
  @ApiInt() sortOrder!: number;
  @ApiInt() version!: number;
  @ApiBool({ description: '来自 config/menu.yml 且管理员未改动过（重启时随文件更新）' })
  followsConfig!: boolean;
  @ApiDateTime() createdAt!: string;
  @ApiDateTime() updatedAt!: string;
}

export class MenuCategoryDto {
  @ApiEnum(MENU_CATEGORIES, { enumName: 'MenuCategory' }) category!: MenuCategory;
  @ApiText({ example: '金秋助学' }) name!: string;
  @ApiNested(() => MenuItemDto, { isArray: true }) items!: MenuItemDto[];
}

/** The menu: active items grouped by category, categories in their fixed order, empty ones left out. */
export class MenuDto {
  @ApiNested(() => MenuCategoryDto, { isArray: true }) categories!: MenuCategoryDto[];
}

export class MenuItemAdminPageDto {
  @ApiNested(() => MenuItemAdminDto, { isArray: true }) items!: MenuItemAdminDto[];
  @ApiInt() total!: number;
  @ApiInt() page!: number;
  @ApiInt() pageSize!: number;
}

export class ListMenuItemsQueryDto extends PaginationQueryDto {
  @ApiEnum(MENU_CATEGORIES, { optional: true })
  @IsOptional()
  @IsIn(MENU_CATEGORIES, { message: '类别不存在' })
  category?: MenuCategory;

  @ApiEnum(['true', 'false'], { optional: true, description: '只列启用（true）或停用（false）的项目' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'active 须为 true 或 false' })
  active?: 'true' | 'false';

  @ApiText({ optional: true, description: '名称或代码包含' })
  @IsOptional()
  @Trim()
  @IsString()
  @Length(1, 40, { message: '搜索词须为1–40个字' })
  q?: string;
}

export class CreateMenuItemDto {
  @ApiText({
    example: 'training_forklift',
    pattern: MENU_ITEM_CODE_PATTERN.source,
    description: '项目代码，创建后不可更改',
  })
  @IsString()
  @Matches(MENU_ITEM_CODE_PATTERN, { message: '项目代码须为3–40位小写字母、数字或下划线，以字母开头' })
  code!: string;

  @ApiEnum(MENU_CATEGORIES, { enumName: 'MenuCategory' })
  @IsIn(MENU_CATEGORIES, { message: '类别不存在' })
  category!: MenuCategory;

  @ApiText({ example: '叉车司机培训', minLength: 2, maxLength: MENU_LIMITS.nameMax })
  @Trim()
  @IsString()
  @Length(2, MENU_LIMITS.nameMax, { message: `名称须为2–${MENU_LIMITS.nameMax}个字` })
  name!: string;

  @ApiText({ maxLength: MENU_LIMITS.descriptionMax })
  @Trim()
  @IsString()
  @Length(2, MENU_LIMITS.descriptionMax, { message: `简介须为2–${MENU_LIMITS.descriptionMax}个字` })
  description!: string;

  @ApiEnum(MENU_UNITS, { enumName: 'MenuUnit' })
  @IsIn(MENU_UNITS, { message: '计量单位须为 slots、goods 或 yuan' })
  unit!: MenuUnit;

  @ApiInt({ description: '每次申请的上限：名额或件数（≤1000）；金额类为分（≤5,000,000）', minimum: 1 })
  @IsInt({ message: '每次申请的上限须为整数' })
  @Min(1, { message: '每次申请的上限至少为1' })
  @Max(MENU_LIMITS.maxPerNeedYuanFen, { message: '每次申请的上限过大' })
  maxPerNeed!: number;

  @ApiBool()
  @IsBoolean({ message: 'requiresActiveArchive 须为 true 或 false' })
  requiresActiveArchive!: boolean;

  @ApiBool()
  @IsBoolean({ message: 'acceptsTemporaryArchive 须为 true 或 false' })
  acceptsTemporaryArchive!: boolean;

  @ApiEnum(MENU_BENEFICIARIES, { enumName: 'MenuBeneficiary' })
  @IsIn(MENU_BENEFICIARIES, { message: '受助对象须为 worker、any_member 或 member_in_stage' })
  beneficiary!: MenuBeneficiary;

  @ApiEnum(MENU_SCHOOLING_STAGES, { isArray: true, optional: true, description: '仅 member_in_stage 时填写' })
  @OmittableNotNull()
  @IsArray({ message: '学段须为列表' })
  @IsIn(MENU_SCHOOLING_STAGES, { each: true, message: '学段不存在' })
  stages?: SchoolingStage[];

  @ApiInt({ minimum: 1, maximum: MENU_LIMITS.slaDaysMax })
  @IsInt({ message: '办理时限须为整数天' })
  @Min(1, { message: '办理时限至少1天' })
  @Max(MENU_LIMITS.slaDaysMax, { message: `办理时限不超过${MENU_LIMITS.slaDaysMax}天` })
  slaDays!: number;

  @ApiInt({ minimum: 1, maximum: MENU_LIMITS.validityDaysMax })
  @IsInt({ message: '需求有效期须为整数天' })
  @Min(1, { message: '需求有效期至少1天' })
  @Max(MENU_LIMITS.validityDaysMax, { message: `需求有效期不超过${MENU_LIMITS.validityDaysMax}天` })
  validityDays!: number;

  @ApiText({ isArray: true, optional: true })
  @OmittableNotNull()
  @TrimEach()
  @IsArray({ message: '材料须为列表' })
  @ArrayMaxSize(MENU_LIMITS.documentsMax, { message: `材料最多${MENU_LIMITS.documentsMax}项` })
  @IsString({ each: true })
  @MinLength(1, { each: true, message: '材料名称不能为空' })
  @MaxLength(MENU_LIMITS.documentMax, { each: true, message: `材料名称不超过${MENU_LIMITS.documentMax}个字` })
  documents?: string[];

  @ApiText({ isArray: true, optional: true })
  @OmittableNotNull()
  @TrimEach()
  @IsArray({ message: '标签须为列表' })
  @ArrayMaxSize(MENU_LIMITS.tagsMax, { message: `标签最多${MENU_LIMITS.tagsMax}个` })
  @IsString({ each: true })
  @MinLength(1, { each: true, message: '标签不能为空' })
  @MaxLength(MENU_LIMITS.tagMax, { each: true, message: `标签不超过${MENU_LIMITS.tagMax}个字` })
  tags?: string[];

  @ApiInt({ optional: true, minimum: 0, maximum: 100_000, description: '同类别内的排序（小的在前）' })
  @OmittableNotNull()
  @IsInt({ message: '排序须为整数' })
  @Min(0, { message: '排序不能为负' })
  @Max(100_000, { message: '排序过大' })
  sortOrder?: number;
}

/** A change of an item; fields left out keep their value. The code never changes. */
export class UpdateMenuItemDto extends PartialType(OmitType(CreateMenuItemDto, ['code'] as const), {
  // A field sent as null is validated (and refused), not skipped: every column is NOT NULL.
  skipNullProperties: false,
}) {
  @ApiInt({ example: 1, description: '读取时的版本号' })
  @IsInt({ message: '版本号须为整数' })
  @Min(1, { message: '版本号须为正整数' })
  version!: number;
}

export class DeactivateMenuItemDto {
  @ApiInt({ example: 1, description: '读取时的版本号' })
  @IsInt({ message: '版本号须为整数' })
  @Min(1, { message: '版本号须为正整数' })
  version!: number;

  @ApiText({ example: '该培训项目已并入其他项目', minLength: 5, maxLength: 200 })
  @Trim()
  @IsString()
  @Length(5, 200, { message: '停用原因须为5–200个字' })
  reason!: string;
}

export class ActivateMenuItemDto {
  @ApiInt({ example: 2, description: '读取时的版本号' })
  @IsInt({ message: '版本号须为整数' })
  @Min(1, { message: '版本号须为正整数' })
  version!: number;
}
