import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateIf,
} from 'class-validator';
import { PaginationQueryDto } from '../../../common/pagination/pagination';
import { ARCHIVE_CATEGORIES, ARCHIVE_FLAGS, ARCHIVE_KINDS, ARCHIVE_STATUSES, CAUSES } from '../archive.enums';
import type { ArchiveCategory, ArchiveFlag, ArchiveKind, ArchiveStatus, Cause } from '../archive.enums';
import {
  CONSENT_KINDS,
  CONSENT_PURPOSES,
  type ConsentKind,
  type ConsentPurpose,
} from '../consents/archive-consent.entity';
import { PERSON_NAME_PATTERN } from './archive-input.dto';
import { WithinDateBound } from '../../../common/validation/date-bounds';
import { oneOf, QueryList, Trim } from '../../../common/validation';

export class ListArchivesQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: ARCHIVE_STATUSES, isArray: true, description: '可多选，逗号分隔' })
  @IsOptional()
  @QueryList()
  @IsArray()
  @ArrayUnique()
  @IsIn(ARCHIVE_STATUSES, { each: true, ...oneOf('状态', ARCHIVE_STATUSES) })
  status?: ArchiveStatus[];

  @ApiPropertyOptional({ enum: ARCHIVE_KINDS })
  @IsOptional()
  @IsIn(ARCHIVE_KINDS, oneOf('档案类型', ARCHIVE_KINDS))
  kind?: ArchiveKind;

  @ApiPropertyOptional({ enum: ARCHIVE_CATEGORIES })
  @IsOptional()
  @IsIn(ARCHIVE_CATEGORIES, oneOf('困难类别', ARCHIVE_CATEGORIES))
  category?: ArchiveCategory;

  @ApiPropertyOptional({ enum: CAUSES, description: '致困原因之一（不限主要原因）' })
  @IsOptional()
  @IsIn(CAUSES, oneOf('致困原因', CAUSES))
  cause?: Cause;

  @ApiPropertyOptional({ format: 'uuid', description: '单位（含下级单位），须在本人管辖范围内' })
  @IsOptional()
  @IsUUID('all', { message: '单位 id 格式不正确' })
  orgUnitId?: string;

  @ApiPropertyOptional({ enum: ARCHIVE_FLAGS })
  @IsOptional()
  @IsIn(ARCHIVE_FLAGS, oneOf('标记', ARCHIVE_FLAGS))
  flag?: ArchiveFlag;

  @ApiPropertyOptional({ description: '档案编号或户主姓名（部分匹配）' })
  @IsOptional()
  @Trim()
  @IsString()
  @Length(1, 50, { message: '搜索词须为1–50个字符' })
  q?: string;
}

/** What can be revealed: the head's ID number, phone, bank account, or a member's ID number. */
export const REVEALABLE_ARCHIVE_FIELD = /^(headIdNumber|headPhone|bankAccount|members\.(\d{1,2})\.idNumber)$/;

export class RevealArchiveFieldDto {
  @ApiProperty({
    example: 'headIdNumber',
    description: 'headIdNumber | headPhone | bankAccount | members.N.idNumber',
  })
  @IsString()
  @Matches(REVEALABLE_ARCHIVE_FIELD, {
    message: '可查看的字段：headIdNumber、headPhone、bankAccount、members.N.idNumber',
  })
  field!: string;

  @ApiProperty({ minLength: 5, maxLength: 200, description: '查看原因，记入审计日志' })
  @Trim()
  @IsString()
  @Length(5, 200, { message: '查看原因须为5–200个字符' })
  reason!: string;
}

export class RecordConsentDto {
  @ApiProperty({ enum: ['head', 'member'] })
  @IsIn(['head', 'member'], oneOf('同意主体', ['head', 'member']))
  subject!: 'head' | 'member';

  @ApiPropertyOptional({ format: 'uuid', description: 'subject 为 member 时必填：成员 id' })
  @ValidateIf((o: RecordConsentDto) => o.subject === 'member' || o.memberId !== undefined)
  @IsUUID('all', { message: '成员 id 格式不正确' })
  memberId?: string;

  @ApiProperty({ enum: CONSENT_PURPOSES })
  @IsIn(CONSENT_PURPOSES, oneOf('处理目的', CONSENT_PURPOSES))
  purpose!: ConsentPurpose;

  @ApiProperty({ enum: CONSENT_KINDS, description: 'general 一般同意；sensitive 敏感个人信息单独同意' })
  @IsIn(CONSENT_KINDS, oneOf('同意类型', CONSENT_KINDS))
  kind!: ConsentKind;

  @ApiProperty({ example: '2026.1', description: '告知同意书版本' })
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,20}$/, { message: '同意书版本须为1–20位字母、数字或 . _ -' })
  textVersion!: string;

  @ApiProperty({ format: 'date-time', description: '签署时间（不得晚于当前时间）' })
  @IsISO8601({ strict: true }, { message: '签署时间须为 ISO 8601 时间' })
  @WithinDateBound('consent', '签署时间')
  grantedAt!: string;

  @ApiPropertyOptional({ default: false, description: '由监护人代为同意（未满14周岁成员必须）' })
  @IsOptional()
  @IsBoolean({ message: 'byGuardian 须为 true 或 false' })
  byGuardian?: boolean;

  @ApiPropertyOptional({ description: '监护人姓名；byGuardian 为 true 时必填' })
  @ValidateIf((o: RecordConsentDto) => o.byGuardian === true || o.guardianName !== undefined)
  @Trim()
  @IsString({ message: '监护人姓名须为文本' })
  @Matches(PERSON_NAME_PATTERN, { message: '监护人姓名须为1–50个汉字或字母' })
  guardianName?: string;
}
