/**
 * Action names the security spine records. Other modules name theirs `<target-type>.<verb>` in the
 * same dotted kebab-case (`archive.read`, `archive.submit`, `match.approve`, `export.create`), with the
 * outcome in `outcome`, not in the name (a failed login is `auth.login` + `failure`).
 */
export const AuditAction = {
  LOGIN: 'auth.login',
  /** Second step of a login that needs TOTP. */
  LOGIN_TOTP: 'auth.login-totp',
  LOGOUT: 'auth.logout',
  /** The account was locked after too many failures. */
  LOCKOUT: 'auth.lockout',
  /** Tokens revoked: refresh-token reuse (whole family), disable, role change, password change. */
  TOKEN_REVOKED: 'auth.token-revoked',
  /** The guard or a service refused a request (role, scope, ownership, separation of duties). */
  ACCESS_DENIED: 'access.denied',
  /** An auditor listed the audit log. */
  AUDIT_LOGS_READ: 'audit-logs.read',
} as const;

/** `a.b` or `a.b.c`: lower-case kebab words joined by dots, at least two. */
export const AUDIT_ACTION_PATTERN = /^[a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*)+$/;

/** `archive`, `archive-member`, `route`, `session`, … */
export const AUDIT_TARGET_TYPE_PATTERN = /^[a-z][a-z0-9-]*$/;
