import type { DocumentedRoute, ErrorSource } from '../../../common/openapi/error-responses';
import { AuthErrorCode } from '../auth.errors';
import type { Principal } from '../principal';
import { AuthorizationErrorCode } from './authorization.errors';
import { RESTRICTED_ALLOWED } from './authorization.service';
import { ACTION, IS_PUBLIC, PUBLIC_ACCEPTS_EXPIRED_TOKEN } from './decorators';
import { grantFor } from './permissions';

const RESTRICTION_CODES: Record<NonNullable<Principal['restriction']>, string> = {
  password_change: AuthorizationErrorCode.PASSWORD_CHANGE_REQUIRED,
  totp_enrolment: AuthorizationErrorCode.TOTP_ENROLMENT_REQUIRED,
};

function metadata<T>(key: string, route: DocumentedRoute): T | undefined {
  return (Reflect.getMetadata(key, route.handler) ?? Reflect.getMetadata(key, route.controller)) as
    T | undefined;
}

/** What the access-token verifier refuses a bad, expired or revoked token with. */
const TOKEN_CODES = [
  AuthErrorCode.AUTH_TOKEN_INVALID,
  AuthErrorCode.AUTH_TOKEN_EXPIRED,
  AuthErrorCode.AUTH_TOKEN_REVOKED,
  AuthErrorCode.AUTH_SESSION_EXPIRED,
];

/**
 * What AuthGuard answers before a route runs, read from the same metadata it reads: no or a bad token
 * (401, with the verifier's codes), a restricted session outside its allowed actions, and the permission
 * table's refusal (403) unless every account may perform the action. `@Public()` routes only check a
 * token that is sent (401 on a bad one; an expired one is let through where the route accepts it).
 */
export const guardErrors: ErrorSource = (route) => {
  if (metadata<boolean>(IS_PUBLIC, route) === true)
    return metadata<boolean>(PUBLIC_ACCEPTS_EXPIRED_TOKEN, route) === true
      ? TOKEN_CODES.filter((code) => code !== AuthErrorCode.AUTH_TOKEN_EXPIRED)
      : TOKEN_CODES;
  const action = metadata<string>(ACTION, route);
  const codes: string[] = [AuthorizationErrorCode.AUTH_REQUIRED, ...TOKEN_CODES];
  for (const [restriction, allowed] of Object.entries(RESTRICTED_ALLOWED)) {
    if (!action || !allowed.includes(action))
      codes.push(RESTRICTION_CODES[restriction as keyof typeof RESTRICTION_CODES]);
  }
  if (!action || !grantFor(action)?.anyAuthenticated) codes.push(AuthorizationErrorCode.ACCESS_DENIED);
  return codes;
};
