import { Injectable } from '@nestjs/common';
import { MaskedFieldCache, userPhoneField } from '../../../common/crypto';
import { DomainError } from '../../../common/errors';
import type { OrgLevel } from '../../org-units/org-unit.entity';
import { PasswordPolicy } from '../../users/password/password-policy';
import { AuthErrorCode } from '../auth.errors';
import { TokensService } from '../tokens/tokens.service';
import type { AccountKind, Principal, StaffRole } from '../principal';

export interface MyProfile {
  id: string;
  username: string;
  displayName: string;
  kind: AccountKind;
  roles: StaffRole[];
  orgUnit: { id: string; name: string; level: OrgLevel } | null;
  partnerId: string | null;
  restriction: Principal['restriction'];
  totpEnabled: boolean;
  passwordExpiresAt: Date | null;
  /** Masked (`138****2210`); never returned in clear here. */
  phone: string | null;
  expiresAt: Date | null;
}

@Injectable()
export class MeService {
  constructor(
    private readonly tokens: TokensService,
    private readonly policy: PasswordPolicy,
    private readonly maskedFields: MaskedFieldCache,
  ) {}

  async profile(principal: Principal): Promise<MyProfile> {
    // This runs on every page load of both web apps: the account comes with the session check that let
    // the request in (one query at most, none while that check is remembered).
    const account = await this.tokens.account(principal.sessionId);
    if (!account) throw new DomainError(AuthErrorCode.AUTH_TOKEN_REVOKED);
    return {
      id: principal.userId,
      username: principal.username,
      displayName: account.displayName,
      kind: principal.kind,
      roles: principal.roles,
      orgUnit: account.orgUnit,
      partnerId: principal.partnerId,
      restriction: principal.restriction,
      totpEnabled: account.totpEnabledAt !== null,
      passwordExpiresAt: this.policy.expiresAt({
        kind: principal.kind,
        passwordChangedAt: account.passwordChangedAt,
      }),
      phone: this.maskedFields.masked('phone', account.phoneCiphertext, userPhoneField(principal.userId)),
      expiresAt: account.expiresAt,
    };
  }
}
