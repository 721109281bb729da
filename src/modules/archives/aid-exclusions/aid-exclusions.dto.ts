import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Length, Max, Min } from 'class-validator';
import { ApiDateTime, ApiInt, ApiText, ApiUuid } from '../../../common/openapi/api-field';
import { Trim } from '../../../common/validation';

export class MarkAidExclusionDto {
  @ApiProperty({ type: 'integer', example: 2026, description: '不纳入帮扶的年度（今年或明年）' })
  @IsInt({ message: '年度须为整数' })
  @Min(2000, { message: '年度须在 2000 至 2100 之间' })
  @Max(2100, { message: '年度须在 2000 至 2100 之间' })
  year!: number;

  @ApiProperty({ description: '原因（5–500字），如“本人表示今年家庭收入已有改善，暂不需要帮扶”' })
  @Trim()
  @IsString()
  @Length(5, 500, { message: '原因须为5–500个字' })
  reason!: string;
}

export class ArchiveAidExclusionDto {
  @ApiUuid() id!: string;
  @ApiUuid() archiveId!: string;
  @ApiInt({ example: 2026 }) year!: number;
  @ApiText() reason!: string;
  @ApiUuid() markedBy!: string;
  @ApiDateTime() markedAt!: string;
}
