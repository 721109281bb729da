import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal } from '../principal';
import type { Action } from './permissions';

export const IS_PUBLIC = 'bangfu:public';
export const ACTION = 'bangfu:action';

/** No login needed (health, public notices, login itself). A token, if sent, is still verified. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The action this endpoint performs; checked against PERMISSIONS for the caller's kind and roles. */
export const Authorize = (action: Action) => SetMetadata(ACTION, action);

/** The verified caller (set by AuthGuard). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const request = ctx.switchToHttp().getRequest<{ principal?: Principal }>();
  if (!request.principal) throw new Error('CurrentPrincipal used on an endpoint without authentication');
  return request.principal;
});
