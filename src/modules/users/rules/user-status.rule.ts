/** What an administrator sees as an account's state; derived, never stored, so it cannot go stale. */
export const USER_STATUSES = ['active', 'disabled', 'locked', 'expired'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export interface UserStatusFacts {
  disabledAt: Date | null;
  expiresAt: Date | null;
  lockedUntil: Date | null;
}

/**
 * Precedence: disabled (an administrator's decision) > expired (a temporary account past its end, not yet
 * swept by the daily job) > locked (too many failed logins, until `lockedUntil`) > active.
 * UsersRepository.list filters with the same precedence in SQL.
 */
export function userStatus(user: UserStatusFacts, now: Date): UserStatus {
  if (user.disabledAt) return 'disabled';
  if (user.expiresAt && user.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (user.lockedUntil && user.lockedUntil.getTime() > now.getTime()) return 'locked';
  return 'active';
}
