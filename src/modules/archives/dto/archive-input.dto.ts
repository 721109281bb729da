import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  IsDecimal,
  IsIdNumber,
  IsMobile,
  NormalizeIdNumber,
  NormalizeMobile,
  OmittableNotNull,
  oneOf,
  Trim,
} from '../../../common/validation';
import {
  ARCHIVE_CATEGORIES,
  ARCHIVE_KINDS,
  CAUSES,
  EMPLOYMENT_STATUSES,
  HEALTH_STATES,
  HOUSING_TYPES,
  INCOME_KINDS,
  RELATIONS,
  SCHOOLING_STAGES,
  type ArchiveCategory,
  type ArchiveKind,
  type Cause,
  type EmploymentStatus,
  type HealthState,
  type HousingType,
  type IncomeKind,
  type Relation,
  type SchoolingStage,
} from '../archive.enums';
import { WithinDateBound } from '../../../common/validation/date-bounds';

/** A household of more than this is a data-entry error, not a household. */
export const MAX_MEMBERS = 20;
export const MAX_INCOME_ITEMS = 30;
/** 10 万元 a month per person or item: far above any hardship household; catches typed-in yuan×100 mistakes. */
export const MAX_MONTHLY_FEN = 10_000_000;
export const NARRATIVE_MAX = 2000;
/** 1,000 万元: a one-off expense (medical bills, rebuilding) beyond this is a typing error. */
export const MAX_INCIDENT_EXPENSE_FEN = 1_000_000_000;

/** '' from a form means "not given". */
const blankToNull = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && value.trim() === ''
      ? null
      : typeof value === 'string'
        ? value.trim()
        : value,
  );

/** Chinese names, also ethnic-minority names with the middle dot (·) and Latin letters for foreigners married in. */
export const PERSON_NAME_PATTERN = /^[\p{Script=Han}A-Za-z·•. ]{1,50}$/u;
const NAME_MESSAGE = '姓名须为1–50个汉字或字母（可含间隔号·），不能含数字';
const fen = (label: string) => [
  IsInt({ message: `${label}须为整数（单位：分）` }),
  Min(0, { message: `${label}不能为负数` }),
  Max(MAX_MONTHLY_FEN, { message: `${label}超出合理范围（每月不超过10万元）` }),
];
function Fen(label: string): PropertyDecorator {
  return (target, key) => fen(label).forEach((d) => d(target, key));
}

export class HeadInputDto {
  @ApiProperty({ example: '张建国' })
  @Trim()
  @IsString({ message: '户主姓名须为文本' })
  @Matches(PERSON_NAME_PATTERN, { message: NAME_MESSAGE })
  name!: string;

  @ApiProperty({ example: '330102197003071234', description: '公民身份号码（18位，校验GB 11643）；加密存储' })
  @NormalizeIdNumber()
  @IsIdNumber()
  idNumber!: string;

  @ApiPropertyOptional({ enum: ['male', 'female'], description: '纸质表上的性别；填写时须与身份证号码一致' })
  @IsOptional()
  @IsIn(['male', 'female'], oneOf('性别', ['male', 'female']))
  gender?: 'male' | 'female';

  @ApiPropertyOptional({ example: '1970-03-07', description: '纸质表上的出生日期；填写时须与身份证号码一致' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: '出生日期须为 YYYY-MM-DD' })
  @WithinDateBound('birth', '出生日期')
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '出生日期须为 YYYY-MM-DD' })
  birthDate?: string;

  @ApiPropertyOptional({ type: String, example: '13812342210', nullable: true })
  @IsOptional()
  @NormalizeMobile()
  @IsMobile()
  phone?: string | null;

  @ApiPropertyOptional({ type: String, example: '杭州钢铁集团有限公司', nullable: true })
  @IsOptional()
  @blankToNull()
  @IsString({ message: '工作单位须为文本' })
  @MaxLength(100, { message: '工作单位不能超过100个字' })
  employer?: string | null;

  @ApiProperty({ enum: EMPLOYMENT_STATUSES })
  @IsIn(EMPLOYMENT_STATUSES, oneOf('就业状况', EMPLOYMENT_STATUSES))
  employmentStatus!: EmploymentStatus;

  @ApiProperty({ type: 'integer', example: 180000, description: '户主本人月收入（分）' })
  @Fen('户主月收入')
  monthlyIncomeFen!: number;

  @ApiPropertyOptional({
    type: String,
    example: '6222021234567890123',
    nullable: true,
    description: '银行账号（救助金发放）；加密存储',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.normalize('NFKC').replace(/[\s-]+/g, '') : value,
  )
  @Matches(/^\d{10,30}$/, { message: '银行账号须为10–30位数字' })
  bankAccount?: string | null;
}

export class MemberInputDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: '修改时：已登记成员的 id（不重新填写身份证号时必填）；新增成员不填',
  })
  @IsOptional()
  @IsUUID('all', { message: '成员 id 格式不正确' })
  id?: string;

  @ApiProperty({ enum: RELATIONS })
  @IsIn(RELATIONS, oneOf('与户主关系', RELATIONS))
  relation!: Relation;

  @ApiProperty({ example: '李秀英' })
  @Trim()
  @IsString({ message: '成员姓名须为文本' })
  @Matches(PERSON_NAME_PATTERN, { message: NAME_MESSAGE })
  name!: string;

  @ApiPropertyOptional({ description: '公民身份号码；新增成员必填，已登记成员（带 id）不填则保持不变' })
  @ValidateIf((o: MemberInputDto) => o.id === undefined || o.idNumber !== undefined)
  @NormalizeIdNumber()
  @IsIdNumber()
  idNumber?: string;

  @ApiPropertyOptional({ enum: ['male', 'female'] })
  @IsOptional()
  @IsIn(['male', 'female'], oneOf('性别', ['male', 'female']))
  gender?: 'male' | 'female';

  @ApiPropertyOptional({ example: '2010-09-01' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: '出生日期须为 YYYY-MM-DD' })
  @WithinDateBound('birth', '出生日期')
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '出生日期须为 YYYY-MM-DD' })
  birthDate?: string;

  @ApiPropertyOptional({ type: String, example: '学生', nullable: true })
  @IsOptional()
  @blankToNull()
  @IsString({ message: '职业须为文本' })
  @MaxLength(100, { message: '职业不能超过100个字' })
  occupation?: string | null;

  @ApiProperty({ type: 'integer', example: 0, description: '月收入（分）' })
  @Fen('成员月收入')
  monthlyIncomeFen!: number;

  @ApiProperty({ enum: HEALTH_STATES })
  @IsIn(HEALTH_STATES, oneOf('健康状况', HEALTH_STATES))
  health!: HealthState;

  @ApiProperty({ enum: SCHOOLING_STAGES })
  @IsIn(SCHOOLING_STAGES, oneOf('就学阶段', SCHOOLING_STAGES))
  schoolingStage!: SchoolingStage;
}

export class IncomeItemInputDto {
  @ApiProperty({ enum: INCOME_KINDS })
  @IsIn(INCOME_KINDS, oneOf('收入类型', INCOME_KINDS))
  kind!: IncomeKind;

  @ApiProperty({ type: 'integer', example: 50000, description: '每月金额（分）' })
  @Fen('收入金额')
  monthlyAmountFen!: number;

  @ApiPropertyOptional({ type: String, example: '父亲退休金', nullable: true })
  @IsOptional()
  @blankToNull()
  @IsString({ message: '备注须为文本' })
  @MaxLength(200, { message: '备注不能超过200个字' })
  note?: string | null;
}

/** Fields shared by create and update (all optional here; CreateArchiveDto makes the core ones required). */
export abstract class ArchiveBodyDto {
  @ApiPropertyOptional({
    type: String,
    example: '浙江省杭州市上城区某街道某小区3幢2单元501室',
    nullable: true,
  })
  @IsOptional()
  @blankToNull()
  @IsString({ message: '住址须为文本' })
  @MaxLength(200, { message: '住址不能超过200个字' })
  address?: string | null;

  @ApiPropertyOptional({ enum: HOUSING_TYPES, nullable: true })
  @IsOptional()
  @IsIn(HOUSING_TYPES, oneOf('住房类型', HOUSING_TYPES))
  housingType?: HousingType | null;

  @ApiPropertyOptional({
    type: 'number',
    format: 'double',
    example: 45.5,
    nullable: true,
    description: '住房面积（平方米，最多两位小数）',
  })
  @IsOptional()
  @IsDecimal(2, { message: '住房面积须为最多两位小数的数字' })
  @Min(0, { message: '住房面积不能为负数' })
  @Max(9999.99, { message: '住房面积超出合理范围' })
  housingAreaSqm?: number | null;

  @ApiPropertyOptional({ default: false })
  @OmittableNotNull()
  @IsBoolean({ message: '是否有车辆须为 true 或 false' })
  hasVehicle?: boolean;

  @ApiPropertyOptional({ default: false })
  @OmittableNotNull()
  @IsBoolean({ message: '是否有第二套房产须为 true 或 false' })
  hasSecondProperty?: boolean;

  @ApiPropertyOptional({ default: false })
  @OmittableNotNull()
  @IsBoolean({ message: '是否有营业执照须为 true 或 false' })
  hasBusinessLicence?: boolean;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @blankToNull()
  @IsString({ message: '资产说明须为文本' })
  @MaxLength(500, { message: '资产说明不能超过500个字' })
  assetNotes?: string | null;

  @ApiPropertyOptional({ enum: CAUSES, isArray: true })
  @OmittableNotNull()
  @IsArray({ message: '致困原因须为数组' })
  @ArrayUnique({ message: '致困原因不能重复' })
  @ArrayMaxSize(CAUSES.length)
  @IsIn(CAUSES, { each: true, ...oneOf('致困原因', CAUSES) })
  causes?: Cause[];

  @ApiPropertyOptional({ enum: CAUSES, nullable: true, description: '主要致困原因，须为 causes 之一' })
  @IsOptional()
  @IsIn(CAUSES, oneOf('主要致困原因', CAUSES))
  primaryCause?: Cause | null;

  @ApiPropertyOptional({ type: String, description: '家庭情况（五清之一）', nullable: true })
  @IsOptional()
  @blankToNull()
  @IsString({ message: '家庭情况须为文本' })
  @MaxLength(NARRATIVE_MAX, { message: `家庭情况不能超过${NARRATIVE_MAX}个字` })
  householdSituation?: string | null;

  @ApiPropertyOptional({ type: String, description: '致困原因说明（五清之一）', nullable: true })
  @IsOptional()
  @blankToNull()
  @IsString({ message: '致困原因说明须为文本' })
  @MaxLength(NARRATIVE_MAX, { message: `致困原因说明不能超过${NARRATIVE_MAX}个字` })
  causeDescription?: string | null;

  @ApiPropertyOptional({ type: String, description: '技术特长（五清之一）', nullable: true })
  @IsOptional()
  @blankToNull()
  @IsString({ message: '技术特长须为文本' })
  @MaxLength(NARRATIVE_MAX, { message: `技术特长不能超过${NARRATIVE_MAX}个字` })
  skills?: string | null;

  @ApiPropertyOptional({ type: String, description: '就业要求（五清之一）', nullable: true })
  @IsOptional()
  @blankToNull()
  @IsString({ message: '就业要求须为文本' })
  @MaxLength(NARRATIVE_MAX, { message: `就业要求不能超过${NARRATIVE_MAX}个字` })
  jobWishes?: string | null;

  @ApiPropertyOptional({ type: String, description: '思想状况（五清之一）', nullable: true })
  @IsOptional()
  @blankToNull()
  @IsString({ message: '思想状况须为文本' })
  @MaxLength(NARRATIVE_MAX, { message: `思想状况不能超过${NARRATIVE_MAX}个字` })
  stateOfMind?: string | null;

  @ApiPropertyOptional({
    type: String,
    example: '杭低保字第0012345号',
    nullable: true,
    description: '低保证号（持有低保证时填写，并上传低保证）',
  })
  @IsOptional()
  @blankToNull()
  @IsString({ message: '低保证号须为文本' })
  @MaxLength(40, { message: '低保证号不能超过40个字' })
  dibaoCertificateNo?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'date',
    example: '2026-10-02',
    nullable: true,
    description: '意外致困：事故、灾害或大病发生日期',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '发生日期须为 YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: '发生日期须为 YYYY-MM-DD' })
  @WithinDateBound('event', '发生日期')
  incidentOn?: string | null;

  @ApiPropertyOptional({
    type: 'integer',
    example: 300000,
    nullable: true,
    description: '意外致困：因此减少的家庭月收入（分）',
  })
  @IsOptional()
  @Fen('减少的月收入')
  incidentIncomeLossFen?: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    example: 5000000,
    nullable: true,
    description: '意外致困：因此产生的大额支出（分）',
  })
  @IsOptional()
  @IsInt({ message: '大额支出须为整数（单位：分）' })
  @Min(0, { message: '大额支出不能为负数' })
  @Max(MAX_INCIDENT_EXPENSE_FEN, { message: '大额支出超出合理范围（不超过1000万元）' })
  incidentExpenseFen?: number | null;

  @ApiPropertyOptional({ type: [MemberInputDto], description: '家庭成员（不含户主），整体替换' })
  @OmittableNotNull()
  @IsArray({ message: '家庭成员须为数组' })
  @ArrayMaxSize(MAX_MEMBERS, { message: `家庭成员不能超过${MAX_MEMBERS}人` })
  @ValidateNested({ each: true })
  @Type(() => MemberInputDto)
  members?: MemberInputDto[];

  @ApiPropertyOptional({ type: [IncomeItemInputDto], description: '其他月收入项，整体替换' })
  @OmittableNotNull()
  @IsArray({ message: '收入项须为数组' })
  @ArrayMaxSize(MAX_INCOME_ITEMS, { message: `收入项不能超过${MAX_INCOME_ITEMS}项` })
  @ValidateNested({ each: true })
  @Type(() => IncomeItemInputDto)
  incomeItems?: IncomeItemInputDto[];
}

export class CreateArchiveDto extends ArchiveBodyDto {
  @ApiProperty({ enum: ARCHIVE_KINDS })
  @IsIn(ARCHIVE_KINDS, oneOf('档案类型', ARCHIVE_KINDS))
  kind!: ArchiveKind;

  @ApiProperty({ enum: ARCHIVE_CATEGORIES })
  @IsIn(ARCHIVE_CATEGORIES, oneOf('困难类别', ARCHIVE_CATEGORIES))
  category!: ArchiveCategory;

  @ApiProperty({ example: '330102', description: '家庭所在地行政区划代码（6位，用于查找低保标准）' })
  @IsString({ message: '地区代码须为文本' })
  @Matches(/^[1-9]\d{5}$/, { message: '地区代码须为6位行政区划代码' })
  regionCode!: string;

  @ApiProperty({ type: HeadInputDto })
  @IsNotEmpty({ message: '请填写户主信息' })
  @ValidateNested()
  @Type(() => HeadInputDto)
  head!: HeadInputDto;

  @ApiPropertyOptional({
    format: 'uuid',
    description: '工作人员代录：所属基层工会（默认本人所在单位）。职工自助申请时不填',
  })
  @IsOptional()
  @IsUUID('all', { message: '单位 id 格式不正确' })
  orgUnitId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: '工作人员代录：该职工的账号（如有）。职工自助申请时不填',
  })
  @IsOptional()
  @IsUUID('all', { message: '职工账号 id 格式不正确' })
  ownerUserId?: string;
}

/** Head fields on update: each optional; a sensitive field left out keeps the stored value, null clears it. */
export class HeadUpdateDto {
  @ApiPropertyOptional()
  @OmittableNotNull()
  @Trim()
  @IsString({ message: '户主姓名须为文本' })
  @Matches(PERSON_NAME_PATTERN, { message: NAME_MESSAGE })
  name?: string;

  @ApiPropertyOptional()
  @OmittableNotNull()
  @NormalizeIdNumber()
  @IsIdNumber()
  idNumber?: string;

  @ApiPropertyOptional({ enum: ['male', 'female'] })
  @OmittableNotNull()
  @IsIn(['male', 'female'], oneOf('性别', ['male', 'female']))
  gender?: 'male' | 'female';

  @ApiPropertyOptional()
  @OmittableNotNull()
  @IsISO8601({ strict: true }, { message: '出生日期须为 YYYY-MM-DD' })
  @WithinDateBound('birth', '出生日期')
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '出生日期须为 YYYY-MM-DD' })
  birthDate?: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @ValidateIf((o: HeadUpdateDto) => o.phone !== undefined && o.phone !== null)
  @NormalizeMobile()
  @IsMobile()
  phone?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @blankToNull()
  @IsString({ message: '工作单位须为文本' })
  @MaxLength(100, { message: '工作单位不能超过100个字' })
  employer?: string | null;

  @ApiPropertyOptional({ enum: EMPLOYMENT_STATUSES })
  @OmittableNotNull()
  @IsIn(EMPLOYMENT_STATUSES, oneOf('就业状况', EMPLOYMENT_STATUSES))
  employmentStatus?: EmploymentStatus;

  @ApiPropertyOptional({ type: 'integer', description: '户主本人月收入（分）' })
  @OmittableNotNull()
  @Fen('户主月收入')
  monthlyIncomeFen?: number;

  @ApiPropertyOptional({ type: String, nullable: true })
  @ValidateIf((o: HeadUpdateDto) => o.bankAccount !== undefined && o.bankAccount !== null)
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.normalize('NFKC').replace(/[\s-]+/g, '') : value,
  )
  @Matches(/^\d{10,30}$/, { message: '银行账号须为10–30位数字' })
  bankAccount?: string | null;
}

export class UpdateArchiveDto extends ArchiveBodyDto {
  @ApiProperty({ type: 'integer', description: '读取档案时的 version（乐观锁）；已被他人修改时返回 409' })
  @IsInt({ message: 'version 须为整数' })
  @Min(1, { message: 'version 须为正整数' })
  version!: number;

  // kind changes only through `convert`, the unit only through a transfer: neither is editable here.
  @ApiPropertyOptional({ enum: ARCHIVE_CATEGORIES })
  @OmittableNotNull()
  @IsIn(ARCHIVE_CATEGORIES, oneOf('困难类别', ARCHIVE_CATEGORIES))
  category?: ArchiveCategory;

  @ApiPropertyOptional({ example: '330102' })
  @OmittableNotNull()
  @IsString({ message: '地区代码须为文本' })
  @Matches(/^[1-9]\d{5}$/, { message: '地区代码须为6位行政区划代码' })
  regionCode?: string;

  @ApiPropertyOptional({ type: HeadUpdateDto })
  @OmittableNotNull()
  @ValidateNested()
  @Type(() => HeadUpdateDto)
  head?: HeadUpdateDto;
}
