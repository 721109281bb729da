import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { ApiDate, ApiDateTime, ApiInt, ApiNested, ApiText, ApiUuid } from '../../../common/openapi/api-field';
import { PaginationQueryDto } from '../../../common/pagination/pagination';
import { WithinDateBound } from '../../../common/validation/date-bounds';
import { Trim } from '../../../common/validation';

const REGION = /^[1-9]\d{5}$/;
const REGION_MESSAGE = '地区代码须为6位行政区划代码';
const DATE_MESSAGE = '日期须为 YYYY-MM-DD';

export class CreateDibaoLineDto {
  @ApiProperty({ example: '330100', description: '区县、市（PPCC00）或省（PP0000）的行政区划代码' })
  @IsString()
  @Matches(REGION, { message: REGION_MESSAGE })
  regionCode!: string;

  @ApiDate({ example: '2026-07-01', description: '起始执行日期' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: DATE_MESSAGE })
  @IsISO8601({ strict: true }, { message: DATE_MESSAGE })
  @WithinDateBound('effective', '起始执行日期')
  effectiveFrom!: string;

  @ApiInt({ example: 124000, description: '每人每月低保标准（分）', minimum: 10000, maximum: 1000000 })
  @IsInt({ message: '低保标准须为整数（单位：分）' })
  @Min(10000, { message: '低保标准不低于每月100元' })
  @Max(1000000, { message: '低保标准不高于每月1万元' })
  monthlyAmountFen!: number;

  @ApiPropertyOptional({ example: '杭民发〔2026〕12号', description: '依据文件' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(200, { message: '依据文件不能超过200个字' })
  source?: string;

  @ApiPropertyOptional({
    description:
      '补录已过去的起始执行日期时必填（仅审批人员可补录，追溯期限见配置）：如“省民政厅通知晚于执行日下发”',
  })
  @IsOptional()
  @Trim()
  @IsString()
  @Length(5, 500, { message: '补录原因须为5–500个字' })
  backdateReason?: string;
}

/** Correction of a line not yet in force; fields left out keep their value. */
export class CorrectDibaoLineDto {
  @ApiDate({ example: '2026-07-01', description: '更正后的起始执行日期', optional: true })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: DATE_MESSAGE })
  @IsISO8601({ strict: true }, { message: DATE_MESSAGE })
  @WithinDateBound('effective', '起始执行日期')
  effectiveFrom?: string;

  @ApiInt({ example: 124000, description: '更正后的每人每月低保标准（分）', optional: true })
  @IsOptional()
  @IsInt({ message: '低保标准须为整数（单位：分）' })
  @Min(10000, { message: '低保标准不低于每月100元' })
  @Max(1000000, { message: '低保标准不高于每月1万元' })
  monthlyAmountFen?: number;

  @ApiPropertyOptional({ description: '依据文件' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(200, { message: '依据文件不能超过200个字' })
  source?: string;

  @ApiProperty({ description: '更正原因（5–500字）' })
  @Trim()
  @IsString()
  @Length(5, 500, { message: '更正原因须为5–500个字' })
  reason!: string;
}

export class WithdrawDibaoLineDto {
  @ApiProperty({ description: '撤回原因（5–500字）' })
  @Trim()
  @IsString()
  @Length(5, 500, { message: '撤回原因须为5–500个字' })
  reason!: string;
}

export class ListDibaoLinesQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ example: '3301', description: '行政区划代码前缀（2–6位）' })
  @IsOptional()
  @Matches(/^\d{2,6}$/, { message: '地区代码前缀须为2–6位数字' })
  regionPrefix?: string;
}

export class LookupDibaoLineQueryDto {
  @ApiProperty({ example: '330106' })
  @Matches(REGION, { message: REGION_MESSAGE })
  regionCode!: string;

  @ApiDate({ example: '2026-11-23', description: '查询日期（默认今天）', optional: true })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: DATE_MESSAGE })
  @IsISO8601({ strict: true }, { message: DATE_MESSAGE })
  @WithinDateBound('effective', '查询日期')
  date?: string;
}

export class DibaoLineDto {
  @ApiUuid() id!: string;
  @ApiText({ example: '330100' }) regionCode!: string;
  @ApiDate() effectiveFrom!: string;
  @ApiInt() monthlyAmountFen!: number;
  @ApiText({ nullable: true }) source!: string | null;
  @ApiUuid({ nullable: true }) createdBy!: string | null;
  @ApiDateTime() createdAt!: string;
}

/** An archive whose category was judged on the line a backdated one now replaces: to be checked again. */
export class DibaoRecheckArchiveDto {
  @ApiUuid() id!: string;
  @ApiText({ nullable: true }) archiveNo!: string | null;
  @ApiText() status!: string;
  @ApiDate() appliedOn!: string;
}

export class DibaoLineCreatedDto extends DibaoLineDto {
  @ApiNested(() => DibaoRecheckArchiveDto, {
    isArray: true,
    description: '补录已过去的日期时：申请日期落在新标准内、须重新核对类别的档案（最多500份）',
  })
  recheckArchives!: DibaoRecheckArchiveDto[];
}

export class DibaoLinePageDto {
  @ApiNested(() => DibaoLineDto, { isArray: true }) items!: DibaoLineDto[];
  @ApiInt() total!: number;
  @ApiInt() page!: number;
  @ApiInt() pageSize!: number;
}
