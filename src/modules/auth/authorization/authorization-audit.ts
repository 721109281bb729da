import type { Principal } from '../principal';

/** How the guard records a refused request in the audit log (implemented by the audit module). */
export interface AuthorizationAudit {
  denied(principal: Principal, action: string, route: string): Promise<void>;
}

export const AUTHORIZATION_AUDIT = Symbol('AUTHORIZATION_AUDIT');
