import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';

/** Bounds the request only (argon2 of a megabyte is a cheap denial of service); the policy is PasswordPolicy's. */
const PASSWORD_INPUT_MAX = 1024;

export class LoginDto {
  @ApiProperty({ example: 'zhang.san' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  username!: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_INPUT_MAX)
  password!: string;
}

/** The second login step: exactly one of `code` (from the app) and `recoveryCode`. */
export class LoginTotpDto {
  @ApiProperty({ description: '登录第一步返回的 mfaToken' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2048)
  mfaToken!: string;

  @ApiPropertyOptional({ example: '123456', description: '动态口令（6 位数字）' })
  @ValidateIf((dto: LoginTotpDto) => dto.recoveryCode === undefined || dto.code !== undefined)
  @IsString()
  @Matches(/^\d{6}$/, { message: '动态口令须为 6 位数字' })
  code?: string;

  @ApiPropertyOptional({ example: 'k7m2p-x9qrt', description: '恢复码（无法使用手机时）' })
  @ValidateIf((dto: LoginTotpDto) => dto.code === undefined || dto.recoveryCode !== undefined)
  @IsString()
  @Matches(/^[A-Za-z0-9 -]{10,16}$/, { message: '恢复码格式不正确' })
  recoveryCode?: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  refreshToken!: string;
}

export class LogoutDto {
  @ApiPropertyOptional({ description: 'true：退出所有设备（该账号的全部凭证立即失效）' })
  @IsOptional()
  @IsBoolean()
  everywhere?: boolean;
}

export class ChangePasswordDto {
  @ApiProperty({ format: 'password' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_INPUT_MAX)
  currentPassword!: string;

  @ApiProperty({
    format: 'password',
    description: '至少 8 位，同时包含字母和数字，不能是常见密码或包含用户名',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_INPUT_MAX)
  newPassword!: string;
}

export class ActivateTotpDto {
  @ApiProperty({ example: '123456' })
  @IsString()
  @Matches(/^\d{6}$/, { message: '动态口令须为 6 位数字' })
  code!: string;
}
