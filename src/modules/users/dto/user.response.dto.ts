import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ACCOUNT_KINDS, AccountKind, STAFF_ROLES, StaffRole } from '../../auth/principal';
import { USER_STATUSES, UserStatus } from '../rules/user-status.rule';
import { REVEALABLE_USER_FIELDS, RevealableUserField } from './user-actions.dto';

/**
 * An account as administrators see it. Listed fields only: never the password hash, the TOTP secret or
 * any ciphertext; the phone number masked (`138****2210`).
 */
export class UserResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ACCOUNT_KINDS }) kind!: AccountKind;
  @ApiProperty({ enum: STAFF_ROLES, isArray: true }) roles!: StaffRole[];
  @ApiPropertyOptional({ format: 'uuid', nullable: true }) orgUnitId!: string | null;
  @ApiPropertyOptional({ nullable: true }) orgUnitName!: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true }) partnerId!: string | null;
  @ApiPropertyOptional({ nullable: true, example: '138****2210', description: '已脱敏' }) phone!:
    string | null;
  @ApiProperty({ enum: USER_STATUSES }) status!: UserStatus;
  @ApiProperty() mustChangePassword!: boolean;
  @ApiProperty() totpEnabled!: boolean;
  @ApiProperty() failedLoginCount!: number;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) lockedUntil!: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) disabledAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) disabledReason!: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) expiresAt!: string | null;
  @ApiProperty({ format: 'date-time' }) passwordChangedAt!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ description: '修改时原样带回，用于并发控制' }) version!: number;
}

export class UserPageDto {
  @ApiProperty({ type: [UserResponseDto] }) items!: UserResponseDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

/** One field, unmasked; the request was audited with its reason. */
export class RevealedUserFieldDto {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ enum: REVEALABLE_USER_FIELDS }) field!: RevealableUserField;
  @ApiPropertyOptional({ nullable: true }) value!: string | null;
}
