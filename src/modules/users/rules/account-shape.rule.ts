import type { OrgLevel } from '../../org-units/org-unit.entity';
import type { AccountKind, StaffRole } from '../../auth/principal';
import { UsersErrorCode } from '../users.errors';

/** Roles no single account may combine (separation of duties, DESIGN §1). */
export const CONFLICTING_ROLES: ReadonlyArray<readonly [StaffRole, StaffRole]> = [['admin', 'auditor']];

export interface AccountShape {
  kind: AccountKind;
  roles: readonly StaffRole[];
  /** Level of the account's unit; null when it has none. */
  orgUnitLevel: OrgLevel | null;
  partnerId: string | null;
}

export type AccountShapeViolation =
  | typeof UsersErrorCode.USER_ROLES_INVALID
  | typeof UsersErrorCode.ROLE_CONFLICT
  | typeof UsersErrorCode.USER_ORG_UNIT_REQUIRED
  | typeof UsersErrorCode.USER_ORG_UNIT_LEVEL_INVALID
  | typeof UsersErrorCode.USER_PARTNER_INVALID;

/**
 * Which combinations of kind, roles, unit and partner make a valid account (null = valid):
 * - staff: at least one role, never two conflicting ones; a unit (its scope); no partner.
 * - worker: no roles; a grassroots union (基层工会), where its archive and needs are handled; no partner.
 * - partner: no roles; its organisation; a unit too — the union unit that manages the partner, which is
 *   what puts the account within some administrator's scope.
 */
export function accountShapeViolation(shape: AccountShape): AccountShapeViolation | null {
  const { kind, roles, orgUnitLevel, partnerId } = shape;
  if (kind === 'staff') {
    if (roles.length === 0) return UsersErrorCode.USER_ROLES_INVALID;
    if (CONFLICTING_ROLES.some(([a, b]) => roles.includes(a) && roles.includes(b))) {
      return UsersErrorCode.ROLE_CONFLICT;
    }
  } else if (roles.length > 0) {
    return UsersErrorCode.USER_ROLES_INVALID;
  }
  if (orgUnitLevel === null) return UsersErrorCode.USER_ORG_UNIT_REQUIRED;
  if (kind === 'worker' && orgUnitLevel !== 'grassroots' && orgUnitLevel !== 'branch') {
    return UsersErrorCode.USER_ORG_UNIT_LEVEL_INVALID;
  }
  if ((kind === 'partner') !== (partnerId !== null)) return UsersErrorCode.USER_PARTNER_INVALID;
  return null;
}
