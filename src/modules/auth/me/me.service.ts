import { Injectable } from '@nestjs/common';
import { MaskedFieldCache, userPhoneField } from '../../../common/crypto';
import { DomainError } from '../../../common/errors';
import type { OrgLevel } from '../../org-units/org-unit.entity';
import { PasswordPolicy } from '../../users/password/password-policy';
import { AuthErrorCode } from '../auth.errors';
import { AuthUsersRepository } from '../auth-users.repository';
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
    private readonly users: AuthUsersRepository,
    private readonly policy: PasswordPolicy,
    private readonly maskedFields: MaskedFieldCache,
  ) {}

  async profile(principal: Principal): Promise<MyProfile> {
    // One query (account joined with its unit): this runs on every page load of both web apps.
    const user = await this.users.findProfile(principal.userId);
    if (!user) throw new DomainError(AuthErrorCode.AUTH_TOKEN_REVOKED);
    return {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      kind: user.kind,
      roles: user.kind === 'staff' ? user.roles : [],
      orgUnit: user.orgUnit,
      partnerId: user.partnerId,
      restriction: principal.restriction,
      totpEnabled: user.totpEnabledAt !== null,
      passwordExpiresAt: this.policy.expiresAt(user),
      phone: this.maskedFields.masked('phone', user.phoneCiphertext, userPhoneField(user.id)),
      expiresAt: user.expiresAt,
    };
  }
}
