import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { CommonErrorCode, DomainError } from '../../../common/errors';
import { AppConfig, RateLimitEndpointConfig, RateLimitRule } from '../../../config';
import { RATE_LIMITER, RateLimiter, RateLimitResult } from './rate-limiter.port';

export type RateLimitedEndpoint = 'login' | 'loginTotp' | 'refresh';

/** Details of RATE_LIMITED; the auth controller turns `retryAfterSeconds` into a Retry-After header. */
export interface RateLimitedDetails {
  retryAfterSeconds: number;
}

/**
 * Applies `auth.rateLimit`: each endpoint counts per client IP and per account. Keys hash the account
 * name so that user names do not sit in Redis in clear. If the limiter's store is unreachable the
 * request is let through (logged): the account lockout in PostgreSQL still bounds password guessing.
 */
@Injectable()
export class RateLimitService implements OnApplicationShutdown {
  private readonly logger = new Logger(RateLimitService.name);

  constructor(
    private readonly config: AppConfig,
    @Inject(RATE_LIMITER) private readonly limiter: RateLimiter,
  ) {}

  async enforceIp(endpoint: RateLimitedEndpoint, ip: string | null): Promise<void> {
    const rules = this.rules(endpoint);
    if (!rules || !ip) return;
    await this.enforce(`${endpoint}:ip:${ip}`, rules.perIp);
  }

  async enforceAccount(endpoint: RateLimitedEndpoint, account: string): Promise<void> {
    const rules = this.rules(endpoint);
    if (!rules) return;
    const digest = createHash('sha256').update(account.toLowerCase()).digest('hex').slice(0, 32);
    await this.enforce(`${endpoint}:acct:${digest}`, rules.perUsername);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.limiter.close();
  }

  private rules(endpoint: RateLimitedEndpoint): RateLimitEndpointConfig | null {
    const settings = this.config.auth.rateLimit;
    return settings.enabled ? settings[endpoint] : null;
  }

  private async enforce(key: string, rule: RateLimitRule): Promise<void> {
    let result: RateLimitResult;
    try {
      result = await this.limiter.hit(key, rule.limit, rule.windowSeconds);
    } catch (error) {
      this.logger.error(`限流计数失败，本次放行 (rate limiter unavailable): ${(error as Error).message}`);
      return;
    }
    if (!result.allowed) {
      const details: RateLimitedDetails = { retryAfterSeconds: result.retryAfterSeconds };
      throw new DomainError(CommonErrorCode.RATE_LIMITED, details);
    }
  }
}
