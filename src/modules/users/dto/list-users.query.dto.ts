import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PaginationQueryDto } from '../../../common/pagination/pagination';
import { ACCOUNT_KINDS, AccountKind, STAFF_ROLES, StaffRole } from '../../auth/principal';
import { USER_STATUSES, UserStatus } from '../rules/user-status.rule';
import { Trim } from '../../../common/validation';

export class ListUsersQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: ACCOUNT_KINDS })
  @IsOptional()
  @IsIn(ACCOUNT_KINDS)
  kind?: AccountKind;

  @ApiPropertyOptional({ enum: STAFF_ROLES })
  @IsOptional()
  @IsIn(STAFF_ROLES)
  role?: StaffRole;

  @ApiPropertyOptional({ format: 'uuid', description: '该单位及其下级单位的账号' })
  @IsOptional()
  @IsUUID()
  orgUnitId?: string;

  @ApiPropertyOptional({ enum: USER_STATUSES })
  @IsOptional()
  @IsIn(USER_STATUSES)
  status?: UserStatus;

  @ApiPropertyOptional({ description: '按用户名或姓名查找' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(64)
  q?: string;
}
