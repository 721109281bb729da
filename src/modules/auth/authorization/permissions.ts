import type { StaffRole } from '../principal';

/**
 * Who may call what: the one table every endpoint's `@Authorize(action)` is checked against (by
 * AuthGuard), before any data-level check (org scope, ownership, separation of duties) in the service.
 * An action absent from this table is denied to everyone. Keep rows sorted by action.
 *
 * Separation of duties is visible here: `admin` manages accounts but holds no archive action; `auditor`
 * holds only `audit-logs.read`.
 */
export interface Grant {
  /** Staff roles allowed (any one suffices). */
  staff?: readonly StaffRole[];
  /** Worker accounts allowed (the service then restricts them to their own records). */
  worker?: boolean;
  /** Partner accounts allowed (the service then restricts them to their organisation's records). */
  partner?: boolean;
  /** Every authenticated account, whatever its kind or roles (e.g. `GET /me`). */
  anyAuthenticated?: boolean;
}

export const PERMISSIONS = {
  'auth.self': { anyAuthenticated: true },
} as const satisfies Record<string, Grant>;

export type Action = keyof typeof PERMISSIONS;

export function grantFor(action: string): Grant | undefined {
  return (PERMISSIONS as Record<string, Grant>)[action];
}
