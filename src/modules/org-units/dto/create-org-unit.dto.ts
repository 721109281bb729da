import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { ORG_LEVELS, OrgLevel } from '../org-unit.entity';
import { Trim } from '../../../common/validation';

/** Levels a unit created through the API may have: everything below the single national root. */
export const CREATABLE_LEVELS = ORG_LEVELS.filter((level) => level !== 'national');

export class CreateOrgUnitDto {
  @ApiProperty({ format: 'uuid', description: '上级单位（须在本人管辖范围内）' })
  @IsUUID()
  parentId!: string;

  @ApiProperty({ example: '杭州市西湖区总工会', minLength: 2, maxLength: 100 })
  @Trim()
  @IsString()
  @Length(2, 100)
  // No control characters or line breaks: the name is shown in lists, notices and exports.
  @Matches(/^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+$/u, { message: 'name 不能包含控制字符' })
  name!: string;

  @ApiProperty({
    enum: CREATABLE_LEVELS,
    description: '低于上级单位的任一层级（基层工会可直属市总工会）；分工会（branch）只能设在基层工会之下',
  })
  @IsIn(CREATABLE_LEVELS)
  level!: OrgLevel;

  @ApiProperty({
    example: '330106',
    description: 'GB/T 2260 行政区划代码（6 位），须在上级单位的行政区域内（产业工会可用上级单位的代码）',
  })
  @Matches(/^\d{6}$/, { message: 'regionCode 必须是 6 位数字的行政区划代码' })
  regionCode!: string;

  @ApiPropertyOptional({
    description: '产业工会（省、市或区县一级；覆盖上级单位的区域，下设基层工会），默认 false',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  industry?: boolean;
}
