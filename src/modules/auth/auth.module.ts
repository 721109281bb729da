import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UserEntity } from '../users/user.entity';
import { AUTH_ENTITIES } from './auth.entities';
import { AppConfig } from '../../config';
import { PasswordModule } from '../users/password/password.module';
import { ACCESS_TOKEN_VERIFIER } from './access-token-verifier';
import { AuthController } from './auth.controller';
import { AuthUsersRepository } from './auth-users.repository';
import { AuthorizationModule } from './authorization/authorization.module';
import { PasswordChangeService } from './credentials/password-change.service';
import { LoginService } from './login/login.service';
import { MeService } from './me/me.service';
import { MemoryRateLimiter } from './rate-limit/memory.rate-limiter';
import { RateLimitService } from './rate-limit/rate-limit.service';
import { RATE_LIMITER, RateLimiter } from './rate-limit/rate-limiter.port';
import type * as RedisRateLimiterModule from './rate-limit/redis.rate-limiter';
import { SessionsRepository } from './sessions/sessions.repository';
import { SessionsService } from './sessions/sessions.service';
import { TokensService } from './tokens/tokens.service';
import { RecoveryCodesRepository } from './totp/recovery-codes.repository';
import { TotpEnrolmentService } from './totp/totp-enrolment.service';

/**
 * Redis when configured (counters shared by every process), else in the process. The Redis limiter (and
 * ioredis) is loaded only then, so a start without Redis does not load the client.
 */
export function createRateLimiter(config: AppConfig): RateLimiter {
  if (!config.redis.url) return new MemoryRateLimiter();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand (see above)
  const { RedisRateLimiter } = require('./rate-limit/redis.rate-limiter') as typeof RedisRateLimiterModule;
  return new RedisRateLimiter(config.redis.url, config.redis.prefix);
}

/**
 * Authentication: login (password, TOTP), sessions and tokens, password change, TOTP enrolment, `GET /me`.
 * Global so that AuthGuard (installed by AuthorizationModule) finds ACCESS_TOKEN_VERIFIER.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([UserEntity, ...AUTH_ENTITIES]), AuthorizationModule, PasswordModule],
  controllers: [AuthController],
  providers: [
    AuthUsersRepository,
    SessionsRepository,
    RecoveryCodesRepository,
    TokensService,
    SessionsService,
    LoginService,
    PasswordChangeService,
    TotpEnrolmentService,
    MeService,
    RateLimitService,
    { provide: RATE_LIMITER, inject: [AppConfig], useFactory: createRateLimiter },
    { provide: ACCESS_TOKEN_VERIFIER, useExisting: TokensService },
  ],
  exports: [ACCESS_TOKEN_VERIFIER, TokensService, PasswordModule, RateLimitService],
})
export class AuthModule {}
