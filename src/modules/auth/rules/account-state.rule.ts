import type { StaffRole } from '../principal';
import { ROLES_REQUIRING_TOTP } from '../principal';
import type { SessionRestriction } from '../sessions/auth-session.entity';

/** Why an account cannot log in right now (never shown to the client; audited). */
export type AccountBlock = 'locked' | 'disabled' | 'account_expired';

export interface AccountStateSubject {
  lockedUntil: Date | null;
  disabledAt: Date | null;
  expiresAt: Date | null;
}

/** Disabled beats expired beats locked: the most permanent reason is the one audited. */
export function accountBlock(user: AccountStateSubject, now: Date): AccountBlock | null {
  if (user.disabledAt) return 'disabled';
  if (user.expiresAt && user.expiresAt.getTime() <= now.getTime()) return 'account_expired';
  if (user.lockedUntil && user.lockedUntil.getTime() > now.getTime()) return 'locked';
  return null;
}

export interface RestrictionSubject {
  roles: readonly StaffRole[];
  mustChangePassword: boolean;
  totpEnabledAt: Date | null;
}

/**
 * What a new session may do: change the password first (reset by an admin, or a staff password past
 * its age), then enrol TOTP if a role needs it; otherwise everything the roles allow.
 */
export function sessionRestriction(
  user: RestrictionSubject,
  passwordExpired: boolean,
): SessionRestriction | null {
  if (user.mustChangePassword || passwordExpired) return 'password_change';
  if (requiresTotp(user.roles) && !user.totpEnabledAt) return 'totp_enrolment';
  return null;
}

export function requiresTotp(roles: readonly StaffRole[]): boolean {
  return roles.some((role) => ROLES_REQUIRING_TOTP.includes(role));
}

export type SessionEnd = 'revoked' | 'absolute' | 'idle';

export interface SessionStateSubject {
  revokedAt: Date | null;
  lastSeenAt: Date;
  expiresAt: Date;
}

/** Why a session is over, or null while it is alive. */
export function sessionEnd(
  session: SessionStateSubject,
  now: Date,
  idleTimeoutMinutes: number,
): SessionEnd | null {
  if (session.revokedAt) return 'revoked';
  if (now.getTime() >= session.expiresAt.getTime()) return 'absolute';
  if (now.getTime() - session.lastSeenAt.getTime() >= idleTimeoutMinutes * 60_000) return 'idle';
  return null;
}
