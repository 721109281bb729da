import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal } from '../principal';
import type { Action } from './permissions';

export const IS_PUBLIC = 'bangfu:public';
export const ACTION = 'bangfu:action';

export const PUBLIC_ACCEPTS_EXPIRED_TOKEN = 'bangfu:public-accepts-expired-token';

/**
 * No login needed (health, public notices, login itself). A token, if sent, is still verified: a bad,
 * revoked or expired one gets 401, a good one makes the caller known (AuthGuard). `acceptsExpiredToken`
 * (token refresh only): an access token that is genuine but past its lifetime is the reason to call the
 * route, so it is ignored there rather than refused; a tampered or revoked one is still refused.
 */
export const Public = (options: { acceptsExpiredToken?: boolean } = {}) =>
  applyDecorators(
    SetMetadata(IS_PUBLIC, true),
    SetMetadata(PUBLIC_ACCEPTS_EXPIRED_TOKEN, options.acceptsExpiredToken === true),
  );

/** The action this endpoint performs; checked against PERMISSIONS for the caller's kind and roles. */
export const Authorize = (action: Action) => SetMetadata(ACTION, action);

/** The verified caller (set by AuthGuard). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const request = ctx.switchToHttp().getRequest<{ principal?: Principal }>();
  if (!request.principal) throw new Error('CurrentPrincipal used on an endpoint without authentication');
  return request.principal;
});
