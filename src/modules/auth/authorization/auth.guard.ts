import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { requestContext } from '../../../common/context/request-context';
import { DomainError } from '../../../common/errors';
import { ACCESS_TOKEN_VERIFIER, AccessTokenVerifier } from '../access-token-verifier';
import type { Principal } from '../principal';
import { AuthorizationErrorCode } from './authorization.errors';
import { AuthorizationService } from './authorization.service';
import { AuthErrorCode } from '../auth.errors';
import { ACTION, IS_PUBLIC, PUBLIC_ACCEPTS_EXPIRED_TOKEN } from './decorators';
import { AUTHORIZATION_AUDIT, AuthorizationAudit } from './authorization-audit';

type AuthedRequest = FastifyRequest & { principal?: Principal };

/**
 * The global guard: every route is authenticated unless `@Public()`, and every authenticated route
 * must declare `@Authorize(action)`; a route with neither is refused (fail closed). On a `@Public()`
 * route a token that is sent is verified all the same (401 when bad; see `Public`).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    @Inject(ACCESS_TOKEN_VERIFIER) private readonly verifier: AccessTokenVerifier,
    private readonly authorization: AuthorizationService,
    @Inject(AUTHORIZATION_AUDIT) private readonly audit: AuthorizationAudit,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) === true;
    const action = this.reflector.getAllAndOverride<string | undefined>(ACTION, targets);
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const token = bearerToken(request);

    if (isPublic) {
      // A public route needs no token, but one that is sent is checked: a caller holding a bad token is
      // told so (401) instead of silently being treated as anonymous.
      if (request.headers.authorization === undefined) return true;
      if (!token) throw new DomainError(AuthErrorCode.AUTH_TOKEN_INVALID);
      const acceptsExpired = this.reflector.getAllAndOverride<boolean>(PUBLIC_ACCEPTS_EXPIRED_TOKEN, targets);
      try {
        this.identify(request, await this.verifier.verify(token));
      } catch (error) {
        const expired = error instanceof DomainError && error.code === AuthErrorCode.AUTH_TOKEN_EXPIRED;
        if (!(expired && acceptsExpired)) throw error;
      }
      return true;
    }
    if (!token) throw new DomainError(AuthorizationErrorCode.AUTH_REQUIRED);

    const principal = await this.verifier.verify(token);
    this.identify(request, principal);

    if (!action) {
      this.logger.error(`${request.method} ${request.routeOptions?.url} 未声明 @Authorize，已拒绝`);
      await this.audit.denied(principal, 'undeclared', request.routeOptions?.url ?? request.url);
      throw new DomainError(AuthorizationErrorCode.ACCESS_DENIED);
    }
    try {
      this.authorization.assertAction(principal, action);
    } catch (error) {
      await this.audit.denied(principal, action, request.routeOptions?.url ?? request.url);
      throw error;
    }
    return true;
  }

  private identify(request: AuthedRequest, principal: Principal): void {
    request.principal = principal;
    requestContext.setPrincipal(principal);
  }
}

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1] : null;
}
