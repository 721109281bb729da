import type { Principal } from './principal';

/**
 * Turns a bearer access token into the caller, or throws a DomainError (AuthErrorCode) saying why not:
 * malformed or tampered → 401, expired → 401 with its own code, revoked session / disabled account →
 * 401. Implemented by the auth module (TokensService); used by AuthGuard.
 */
export interface AccessTokenVerifier {
  verify(token: string): Promise<Principal>;
}

export const ACCESS_TOKEN_VERIFIER = Symbol('ACCESS_TOKEN_VERIFIER');
