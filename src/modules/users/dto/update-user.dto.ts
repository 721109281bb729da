import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { IsMobile, NormalizeMobile, Trim } from '../../../common/validation';
import { STAFF_ROLES, StaffRole } from '../../auth/principal';
import { DISPLAY_NAME_MAX } from './create-user.dto';
import { WithinDateBound } from '../../../common/validation/date-bounds';

/** `undefined` = leave as is. Only `expiresAt` and `phone` accept `null` (make permanent / remove). */
const present = ValidateIf((_object: object, value: unknown) => value !== undefined);

export class UpdateUserDto {
  @ApiProperty({ type: 'integer', description: '读取时得到的 version；账号已被他人修改时返回 409' })
  @IsInt()
  @Min(1)
  version!: number;

  @ApiPropertyOptional()
  @present
  @Trim()
  @IsString()
  @IsNotEmpty({ message: '姓名不能为空' })
  @MaxLength(DISPLAY_NAME_MAX)
  displayName?: string;

  @ApiPropertyOptional({ enum: STAFF_ROLES, isArray: true })
  @present
  @IsArray()
  @ArrayUnique()
  @IsIn(STAFF_ROLES, { each: true })
  roles?: StaffRole[];

  @ApiPropertyOptional({ format: 'uuid' })
  @present
  @IsUUID()
  orgUnitId?: string;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'null：改为长期账号',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  @WithinDateBound('accountExpiry', '到期时间')
  expiresAt?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'null：删除手机号码' })
  @IsOptional()
  @NormalizeMobile()
  @IsMobile()
  phone?: string | null;
}
