import { RateLimiterMemory } from 'rate-limiter-flexible';
import { FlexibleRateLimiter } from './flexible.rate-limiter';

/**
 * Per-process counters (rate-limiter-flexible's memory store): correct for one process only, the
 * embedded default without Redis. Expired windows are dropped by the store's own (unref'd) timers.
 * Time is the process clock (Date.now), as in Redis, where the server's clock decides.
 */
export class MemoryRateLimiter extends FlexibleRateLimiter {
  constructor() {
    super('memory', (points, duration, keyPrefix) => new RateLimiterMemory({ points, duration, keyPrefix }));
  }
}
