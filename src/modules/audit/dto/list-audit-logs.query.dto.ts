import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { PaginationQueryDto } from '../../../common/pagination/pagination';
import { AUDIT_OUTCOMES, AuditOutcome } from '../audit-log.entity';
import { AUDIT_TIME_FILTER_PATTERN } from '../rules/audit-time-range.rule';
import { WithinDateBound } from '../../../common/validation/date-bounds';

export class ListAuditLogsQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({ description: '登录名（精确匹配）' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  actorUsername?: string;

  @ApiPropertyOptional({ description: '动作：精确匹配（auth.login）或前缀（auth.*）', example: 'auth.*' })
  @IsOptional()
  @Length(1, 64)
  @Matches(/^[a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*)*(?:\.\*)?$/, { message: 'action 须为 a.b 或 a.* 形式' })
  action?: string;

  @ApiPropertyOptional({ example: 'archive' })
  @IsOptional()
  @Length(1, 64)
  @Matches(/^[a-z][a-z0-9-]*$/, { message: 'targetType 须为小写字母、数字和连字符' })
  targetType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 128)
  targetId?: string;

  @ApiPropertyOptional({ enum: AUDIT_OUTCOMES })
  @IsOptional()
  @IsIn(AUDIT_OUTCOMES)
  outcome?: AuditOutcome;

  @ApiPropertyOptional({
    description: '起始时间（含）：日期（北京时间当日零点）或带时区的 ISO 8601 时间',
    example: '2026-03-01',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  @WithinDateBound('queryInstant', 'from')
  @Matches(AUDIT_TIME_FILTER_PATTERN, { message: 'from 须为 ISO 8601 日期或时间' })
  from?: string;

  @ApiPropertyOptional({
    description: '截止时间（含）：日期（含当日全天，北京时间）或 ISO 8601 时间',
    example: '2026-03-31',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  @WithinDateBound('queryInstant', 'to')
  @Matches(AUDIT_TIME_FILTER_PATTERN, { message: 'to 须为 ISO 8601 日期或时间' })
  to?: string;
}
