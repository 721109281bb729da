import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { CommonErrorCode, DomainError } from '../../../common/errors';
import { AppConfig } from '../../../config';
import { createRateLimiter } from '../../auth/auth.module';
import type { RateLimitedDetails } from '../../auth/rate-limit/rate-limit.service';
import type { RateLimiter, RateLimitResult } from '../../auth/rate-limit/rate-limiter.port';

/**
 * Objections are lodged without login, so they are counted per client IP (`archives.objectionRateLimit`)
 * on the same kind of counter store the login limits use (Redis when configured, else in the process).
 * An unreachable store lets the request through: an objection is never lost to an infrastructure fault.
 */
@Injectable()
export class ObjectionRateLimit implements OnApplicationShutdown {
  private readonly logger = new Logger(ObjectionRateLimit.name);
  private readonly limiter: RateLimiter;

  constructor(private readonly config: AppConfig) {
    this.limiter = createRateLimiter(config);
  }

  async enforce(ip: string | null): Promise<void> {
    if (!ip) return;
    const rule = this.config.archives.objectionRateLimit;
    let result: RateLimitResult;
    try {
      result = await this.limiter.hit(`archive-objection:ip:${ip}`, rule.limit, rule.windowSeconds);
    } catch (error) {
      this.logger.error(`限流计数失败，本次放行 (rate limiter unavailable): ${(error as Error).message}`);
      return;
    }
    if (!result.allowed) {
      const details: RateLimitedDetails = { retryAfterSeconds: result.retryAfterSeconds };
      throw new DomainError(CommonErrorCode.RATE_LIMITED, details);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.limiter.close();
  }
}
