import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { requestContext } from '../../../common/context/request-context';
import { DomainError } from '../../../common/errors';
import { ACCESS_TOKEN_VERIFIER, AccessTokenVerifier } from '../access-token-verifier';
import type { Principal } from '../principal';
import { AuthorizationErrorCode } from './authorization.errors';
import { AuthorizationService } from './authorization.service';
import { ACTION, IS_PUBLIC } from './decorators';
import { AUTHORIZATION_AUDIT, AuthorizationAudit } from './authorization-audit';

type AuthedRequest = FastifyRequest & { principal?: Principal };

/**
 * The global guard: every route is authenticated unless `@Public()`, and every authenticated route
 * must declare `@Authorize(action)`; a route with neither is refused (fail closed).
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

    if (isPublic) return true;
    if (!token) throw new DomainError(AuthorizationErrorCode.AUTH_REQUIRED);

    const principal = await this.verifier.verify(token);
    request.principal = principal;
    requestContext.setPrincipal(principal);

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
}

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1] : null;
}
