import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { AuthorizationService } from './authorization.service';

/**
 * Installs AuthGuard on every route and exports AuthorizationService for the data-level checks.
 * Needs ACCESS_TOKEN_VERIFIER (auth module) and AUTHORIZATION_AUDIT (audit module) to be provided globally.
 */
@Global()
@Module({
  providers: [AuthorizationService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthorizationService],
})
export class AuthorizationModule {}
