import { Injectable } from '@nestjs/common';
import { DomainError } from '../../../common/errors';
import type { Principal } from '../principal';
import { AuthorizationErrorCode } from './authorization.errors';
import { grantFor, Grant } from './permissions';

/** Actions a restricted session may still perform (see Principal.restriction). */
export const RESTRICTED_ALLOWED: Record<NonNullable<Principal['restriction']>, readonly string[]> = {
  password_change: ['auth.self', 'auth.change-password'],
  totp_enrolment: ['auth.self', 'auth.totp-enrol', 'auth.change-password'],
};

/**
 * Every authorization decision is made here: the action table (role/kind), then, called by services
 * with the record in hand, org scope, ownership and separation of duties.
 */
@Injectable()
export class AuthorizationService {
  /** May this caller perform `action` at all? */
  isActionAllowed(principal: Principal, action: string): boolean {
    const grant = grantFor(action);
    if (!grant) return false;
    return grantAllows(grant, principal);
  }

  assertAction(principal: Principal, action: string): void {
    if (principal.restriction && !RESTRICTED_ALLOWED[principal.restriction].includes(action)) {
      throw new DomainError(
        principal.restriction === 'password_change'
          ? AuthorizationErrorCode.PASSWORD_CHANGE_REQUIRED
          : AuthorizationErrorCode.TOTP_ENROLMENT_REQUIRED,
      );
    }
    if (!this.isActionAllowed(principal, action)) {
      throw new DomainError(AuthorizationErrorCode.ACCESS_DENIED, { action });
    }
  }

  /** Staff see only their unit's subtree: `recordOrgPath` must start with the caller's unit path. */
  isInScope(principal: Principal, recordOrgPath: string): boolean {
    return principal.kind === 'staff' && !!principal.orgPath && recordOrgPath.startsWith(principal.orgPath);
  }

  assertInScope(principal: Principal, recordOrgPath: string): void {
    if (!this.isInScope(principal, recordOrgPath)) throw new DomainError(AuthorizationErrorCode.OUT_OF_SCOPE);
  }

  /** A worker may touch only records whose owner is itself. */
  assertWorkerOwns(principal: Principal, ownerUserId: string | null): void {
    if (principal.kind !== 'worker' || principal.userId !== ownerUserId) {
      throw new DomainError(AuthorizationErrorCode.NOT_OWNER);
    }
  }

  /** A partner may touch only its own organisation's records. */
  assertPartnerOwns(principal: Principal, partnerId: string | null): void {
    if (principal.kind !== 'partner' || !principal.partnerId || principal.partnerId !== partnerId) {
      throw new DomainError(AuthorizationErrorCode.NOT_OWNER);
    }
  }

  /** Nobody approves (reviews, verifies) what they submitted. */
  assertNotSelf(principal: Principal, submittedBy: string | null): void {
    if (submittedBy && principal.userId === submittedBy) {
      throw new DomainError(AuthorizationErrorCode.SELF_APPROVAL);
    }
  }
}

export function grantAllows(grant: Grant, principal: Principal): boolean {
  if (grant.anyAuthenticated) return true;
  switch (principal.kind) {
    case 'staff':
      return !!grant.staff?.some((role) => principal.roles.includes(role));
    case 'worker':
      return grant.worker === true;
    case 'partner':
      return grant.partner === true;
  }
}
