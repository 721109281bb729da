import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayUnique,
  IsArray,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import { IsMobile, NormalizeMobile, Trim, TrimLowerCase } from '../../../common/validation';
import { ACCOUNT_KINDS, AccountKind, STAFF_ROLES, StaffRole } from '../../auth/principal';
import { WithinDateBound } from '../../../common/validation/date-bounds';

/** Login names: 3–32 of lower-case letters, digits, `.`, `_`, `-` (input is lower-cased first). */
/**
 * Starts with a letter: a login name is shown unmasked everywhere (lists, the audit log), so it must
 * never be a phone or ID number.
 */
export const USERNAME_PATTERN = /^[a-z][a-z0-9._-]{2,31}$/;
export const USERNAME_MESSAGE = '用户名须为3–32位，以小写字母开头，由小写字母、数字或 . _ - 组成';
export const DISPLAY_NAME_MAX = 64;
/** Only bounds the request; the configured limits (auth.password.minLength/maxLength) are PasswordPolicy's. */
export const PASSWORD_MAX = 1024;

export class CreateUserDto {
  @ApiProperty({ example: 'zhang.san', description: '登录名，自动转为小写' })
  @TrimLowerCase()
  @IsString()
  @Matches(USERNAME_PATTERN, { message: USERNAME_MESSAGE })
  username!: string;

  @ApiProperty({ example: '张三' })
  @Trim()
  @IsString()
  @IsNotEmpty({ message: '姓名不能为空' })
  @MaxLength(DISPLAY_NAME_MAX)
  displayName!: string;

  @ApiProperty({ enum: ACCOUNT_KINDS })
  @IsIn(ACCOUNT_KINDS)
  kind!: AccountKind;

  @ApiPropertyOptional({ enum: STAFF_ROLES, isArray: true, description: '仅工作人员账号' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(STAFF_ROLES, { each: true })
  roles: StaffRole[] = [];

  @ApiPropertyOptional({
    format: 'uuid',
    description: '所属单位（合作方账号为管理单位），须在本管理员管辖范围内',
  })
  @IsOptional()
  @IsUUID()
  orgUnitId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: '合作方机构，仅合作方账号' })
  @IsOptional()
  @IsUUID()
  partnerId?: string;

  @ApiPropertyOptional({ example: '13812342210' })
  @IsOptional()
  @NormalizeMobile()
  @IsMobile()
  phone?: string;

  @ApiProperty({ description: '初始密码；首次登录须修改' })
  @IsString()
  @MaxLength(PASSWORD_MAX)
  password!: string;

  @ApiPropertyOptional({ format: 'date-time', description: '临时账号的到期时间' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @WithinDateBound('accountExpiry', '到期时间')
  expiresAt?: string;
}
