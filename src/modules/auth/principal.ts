/** Who is making a request, as every service and the authorization policy see it. */

export const ACCOUNT_KINDS = ['staff', 'worker', 'partner'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/** Staff roles (DESIGN §1). A user may hold several, never both admin and auditor. */
export const STAFF_ROLES = ['caseworker', 'reviewer', 'approver', 'archivist', 'admin', 'auditor'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Roles whose accounts must use a TOTP second factor. */
export const ROLES_REQUIRING_TOTP: readonly StaffRole[] = ['admin', 'auditor', 'approver'];

export interface Principal {
  userId: string;
  username: string;
  kind: AccountKind;
  /** Staff roles; empty for workers and partners. */
  roles: StaffRole[];
  /** The unit the account belongs to (staff: where it works; worker: its grassroots union). */
  orgUnitId: string | null;
  /** Materialized path of that unit, e.g. `/a1/b2/c3/`: staff scope is every unit whose path starts with it. */
  orgPath: string | null;
  /** The partner organisation of a partner account. */
  partnerId: string | null;
  /** The login session the access token belongs to. */
  sessionId: string;
  /**
   * A session that may only finish a required step: change an expired or reset password, or enrol
   * TOTP (admin, auditor, approver). AuthGuard lets it call only actions marked for that step.
   */
  restriction: 'password_change' | 'totp_enrolment' | null;
}
