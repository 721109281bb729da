import { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimiter, RateLimitResult } from './rate-limiter.port';

/** Builds one rate-limiter-flexible limiter for a rule (`points` per `duration` seconds). */
export type LimiterFactory = (points: number, duration: number, keyPrefix: string) => RateLimiterAbstract;

/**
 * The RateLimiter port on rate-limiter-flexible: fixed windows counted atomically by its memory or
 * Redis store. A rate-limiter-flexible limiter is built for one (limit, window) pair, so one is kept per
 * pair that the policy (RateLimitService) uses, each under its own key prefix. A refusal comes back as
 * `allowed: false`; a store failure (Redis away) is thrown, for the policy to decide.
 */
export class FlexibleRateLimiter implements RateLimiter {
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  constructor(
    readonly name: string,
    private readonly factory: LimiterFactory,
    private readonly onClose: () => Promise<void> = () => Promise.resolve(),
  ) {}

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
    const limiter = this.limiterFor(limit, windowSeconds);
    try {
      const res = await limiter.consume(key, 1);
      return { allowed: true, remaining: res.remainingPoints, retryAfterSeconds: seconds(res) };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        return { allowed: false, remaining: 0, retryAfterSeconds: seconds(rejection) };
      }
      throw rejection;
    }
  }

  async close(): Promise<void> {
    this.limiters.clear();
    await this.onClose();
  }

  private limiterFor(limit: number, windowSeconds: number): RateLimiterAbstract {
    const id = `${limit}:${windowSeconds}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = this.factory(limit, windowSeconds, `w${windowSeconds}n${limit}`);
      this.limiters.set(id, limiter);
    }
    return limiter;
  }
}

/** Seconds until the window resets, at least 1: the Retry-After value. */
function seconds(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}
