import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, Length, MaxLength } from 'class-validator';
import { PASSWORD_MAX } from './create-user.dto';
import { Trim } from '../../../common/validation';

export class DisableUserDto {
  @ApiProperty({ example: '人员调离', maxLength: 200 })
  @Trim()
  @IsString()
  @IsNotEmpty({ message: '请填写停用原因' })
  @MaxLength(200)
  reason!: string;
}

export class ResetPasswordDto {
  @ApiProperty({ description: '新的临时密码；账号下次登录须修改' })
  @IsString()
  @MaxLength(PASSWORD_MAX)
  newPassword!: string;
}

/** Personal-data fields of an account that can be revealed. */
export const REVEALABLE_USER_FIELDS = ['phone'] as const;
export type RevealableUserField = (typeof REVEALABLE_USER_FIELDS)[number];

export class RevealUserFieldDto {
  @ApiProperty({ enum: REVEALABLE_USER_FIELDS })
  @IsIn(REVEALABLE_USER_FIELDS)
  field!: RevealableUserField;

  @ApiProperty({ minLength: 5, maxLength: 200, description: '查看原因，记入审计日志' })
  @Trim()
  @IsString()
  @Length(5, 200, { message: '查看原因须为5–200个字符' })
  reason!: string;
}
