import { ApiProperty } from '@nestjs/swagger';
import { ApiDateTime, ApiEnum, ApiInt, ApiNested, ApiText, ApiUuid } from '../../../common/openapi/api-field';
import { ACCOUNT_KINDS, STAFF_ROLES } from '../principal';
import type { AccountKind, StaffRole } from '../principal';
import { ORG_LEVELS } from '../../org-units/org-unit.entity';
import type { OrgLevel } from '../../org-units/org-unit.entity';
import type { MyProfile } from '../me/me.service';
import type { TokenPair } from '../sessions/sessions.service';
import { SESSION_RESTRICTIONS } from '../sessions/auth-session.entity';
import type { SessionRestriction } from '../sessions/auth-session.entity';

export class TokenPairResponseDto {
  @ApiProperty({ example: false, description: '总为 false：已登录' })
  mfaRequired!: false;

  @ApiProperty() accessToken!: string;

  @ApiEnum(['Bearer']) tokenType!: 'Bearer';

  @ApiInt({ example: 900, description: '访问令牌有效秒数' }) expiresIn!: number;

  @ApiProperty({ description: '一次性刷新令牌；刷新后旧令牌作废，重复使用将终止整个会话' })
  refreshToken!: string;

  @ApiDateTime() refreshExpiresAt!: string;

  @ApiEnum(SESSION_RESTRICTIONS, {
    enumName: 'SessionRestriction',
    nullable: true,
    description: 'password_change：须先修改密码；totp_enrolment：须先绑定动态口令',
  })
  restriction!: SessionRestriction | null;

  static from(pair: TokenPair): TokenPairResponseDto {
    return {
      mfaRequired: false,
      accessToken: pair.accessToken,
      tokenType: 'Bearer',
      expiresIn: pair.expiresIn,
      refreshToken: pair.refreshToken,
      refreshExpiresAt: pair.refreshExpiresAt.toISOString(),
      restriction: pair.restriction,
    };
  }
}

export class MfaChallengeResponseDto {
  @ApiProperty({ example: true }) mfaRequired!: true;

  @ApiProperty({ description: '提交动态口令时带上（5 分钟内有效，仅可使用一次）' }) mfaToken!: string;

  @ApiInt({ example: 300 }) expiresIn!: number;
}

export class TotpEnrolmentResponseDto {
  @ApiProperty({ description: 'Base32 密钥（无法扫码时手工输入）' }) secret!: string;

  @ApiProperty({ description: 'otpauth:// 地址，生成二维码供身份验证器扫描' }) otpauthUrl!: string;
}

export class TotpActivationResponseDto {
  @ApiProperty({ type: [String], description: '一次性恢复码，仅显示这一次，请妥善保存' })
  recoveryCodes!: string[];
}

export class MyOrgUnitDto {
  @ApiUuid() id!: string;
  @ApiText() name!: string;
  @ApiEnum(ORG_LEVELS, { enumName: 'OrgLevel' }) level!: OrgLevel;
}

export class MeResponseDto {
  @ApiUuid() id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiEnum(ACCOUNT_KINDS, { enumName: 'AccountKind' }) kind!: AccountKind;
  @ApiEnum(STAFF_ROLES, { enumName: 'StaffRole', isArray: true }) roles!: StaffRole[];
  @ApiNested(() => MyOrgUnitDto, { nullable: true }) orgUnit!: MyOrgUnitDto | null;
  @ApiUuid({ nullable: true }) partnerId!: string | null;
  @ApiEnum(SESSION_RESTRICTIONS, { enumName: 'SessionRestriction', nullable: true })
  restriction!: SessionRestriction | null;
  @ApiProperty() totpEnabled!: boolean;
  @ApiDateTime({ nullable: true, description: '工作人员密码到期时间；职工、合作方为 null' })
  passwordExpiresAt!: string | null;
  @ApiText({ nullable: true, example: '138****2210', description: '手机号（已脱敏）' })
  phone!: string | null;
  @ApiDateTime({ nullable: true, description: '临时账号的到期时间' }) expiresAt!: string | null;

  static from(profile: MyProfile): MeResponseDto {
    return {
      id: profile.id,
      username: profile.username,
      displayName: profile.displayName,
      kind: profile.kind,
      roles: profile.roles,
      orgUnit: profile.orgUnit && {
        id: profile.orgUnit.id,
        name: profile.orgUnit.name,
        level: profile.orgUnit.level,
      },
      partnerId: profile.partnerId,
      restriction: profile.restriction,
      totpEnabled: profile.totpEnabled,
      passwordExpiresAt: profile.passwordExpiresAt?.toISOString() ?? null,
      phone: profile.phone,
      expiresAt: profile.expiresAt?.toISOString() ?? null,
    };
  }
}
