import { AuditAction } from '../audit/audit-actions';

/** The audit actions of authentication (the shared ones come from the audit module). */
export const AuthAuditAction = {
  LOGIN: AuditAction.LOGIN,
  LOGIN_TOTP: AuditAction.LOGIN_TOTP,
  LOGOUT: AuditAction.LOGOUT,
  LOCKOUT: AuditAction.LOCKOUT,
  /** A used refresh token came back: its session (the token family) was revoked. */
  TOKEN_REUSE: 'auth.token-reuse',
  PASSWORD_CHANGE: 'auth.password-change',
  TOTP_ENROL: 'auth.totp-enrol',
  TOTP_ACTIVATE: 'auth.totp-activate',
} as const;
