import { ApiProperty } from '@nestjs/swagger';
import { ApiDateTime, ApiEnum, ApiInt, ApiNested, ApiText, ApiUuid } from '../../../common/openapi/api-field';
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
  @ApiEnum(ACCOUNT_KINDS, { enumName: 'AccountKind' }) kind!: AccountKind;
  @ApiEnum(STAFF_ROLES, { enumName: 'StaffRole', isArray: true }) roles!: StaffRole[];
  @ApiUuid({ nullable: true }) orgUnitId!: string | null;
  @ApiText({ nullable: true }) orgUnitName!: string | null;
  @ApiUuid({ nullable: true }) partnerId!: string | null;
  @ApiText({ nullable: true, example: '138****2210', description: '已脱敏' }) phone!: string | null;
  @ApiEnum(USER_STATUSES, { enumName: 'UserStatus' }) status!: UserStatus;
  @ApiProperty() mustChangePassword!: boolean;
  @ApiProperty() totpEnabled!: boolean;
  @ApiInt() failedLoginCount!: number;
  @ApiDateTime({ nullable: true }) lockedUntil!: string | null;
  @ApiDateTime({ nullable: true }) disabledAt!: string | null;
  @ApiText({ nullable: true }) disabledReason!: string | null;
  @ApiDateTime({ nullable: true }) expiresAt!: string | null;
  @ApiDateTime() passwordChangedAt!: string;
  @ApiDateTime() createdAt!: string;
  @ApiDateTime() updatedAt!: string;
  @ApiInt({ description: '修改时原样带回，用于并发控制' }) version!: number;
}

export class UserPageDto {
  @ApiNested(() => UserResponseDto, { isArray: true }) items!: UserResponseDto[];
  @ApiInt() total!: number;
  @ApiInt() page!: number;
  @ApiInt() pageSize!: number;
}

/** One field, unmasked; the request was audited with its reason. */
export class RevealedUserFieldDto {
  @ApiUuid() userId!: string;
  @ApiProperty({ enum: REVEALABLE_USER_FIELDS }) field!: RevealableUserField;
  @ApiText({ nullable: true }) value!: string | null;
}
