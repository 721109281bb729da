import { createHmac } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { CommonErrorCode, DomainError } from '../../../common/errors';
import { AppConfig, RateLimitEndpointConfig, RateLimitRule } from '../../../config';
import { RATE_LIMITER, RateLimiter, RateLimitResult } from './rate-limiter.port';

export type RateLimitedEndpoint = 'login' | 'loginTotp' | 'refresh' | 'partnerRegistration';

/** Details of RATE_LIMITED; the auth controller turns `retryAfterSeconds` into a Retry-After header. */
export interface RateLimitedDetails {
  retryAfterSeconds: number;
}

/** Derives the account-key HMAC key from the token secret, so it needs no setting of its own. */
const ACCOUNT_KEY_LABEL = 'bangfu:rate-limit:account-key:v1';

/**
 * The policy of `auth.rateLimit` (counting is the RateLimiter's: rate-limiter-flexible on Redis or in
 * memory). Each endpoint counts every attempt per client address (loose), per account and per account
 * from that address (tight): a union office behind one NAT address is not locked out by its own staff,
 * while guessing one account's password is slowed wherever it comes from.
 *
 * Account keys are an HMAC of the account name under a key derived from `auth.tokenSecret`, never the
 * name nor a bare hash of it: the store must not let anyone recover who tried to log in (a SHA-256 of a
 * mobile number is reversed by trying the 10⁹ numbers).
 *
 * If the limiter's store is unreachable the request is let through (logged): the account lockout in
 * PostgreSQL still bounds password guessing.
 */
@Injectable()
export class RateLimitService implements OnApplicationShutdown {
  private readonly logger = new Logger(RateLimitService.name);
  private readonly accountKey: Buffer;

  constructor(
    private readonly config: AppConfig,
    @Inject(RATE_LIMITER) private readonly limiter: RateLimiter,
  ) {
    this.accountKey = createHmac('sha256', config.auth.tokenSecret).update(ACCOUNT_KEY_LABEL).digest();
  }

  /** Counts an attempt from `ip` (before the account is known, or whatever it is). */
  async enforceIp(endpoint: RateLimitedEndpoint, ip: string | null): Promise<void> {
    const rules = this.rules(endpoint);
    if (!rules || !ip) return;
    await this.enforce(`${endpoint}:ip:${ip}`, rules.perIp);
  }

  /** Counts an attempt on `account` (user name as typed, or user id), and on it from `ip`. */
  async enforceAccount(endpoint: RateLimitedEndpoint, account: string, ip: string | null): Promise<void> {
    const rules = this.rules(endpoint);
    if (!rules) return;
    const key = this.accountDigest(account);
    await this.enforce(`${endpoint}:acct:${key}`, rules.perAccount);
    if (ip) await this.enforce(`${endpoint}:acct-ip:${key}:${ip}`, rules.perAccountIp);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.limiter.close();
  }

  /** Keyed HMAC-SHA-256 of the case-folded account, hex, 32 characters. */
  accountDigest(account: string): string {
    return createHmac('sha256', this.accountKey).update(account.toLowerCase()).digest('hex').slice(0, 32);
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
