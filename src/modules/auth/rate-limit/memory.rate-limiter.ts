import { Clock } from '../../../common/clock/clock';
import type { RateLimiter, RateLimitResult } from './rate-limiter.port';

interface Window {
  count: number;
  resetAt: number;
}

/** Above this many live keys, expired windows are swept so memory stays bounded under a flood. */
const SWEEP_THRESHOLD = 10_000;

/** Per-process counters: correct for one process only (the embedded default without Redis). */
export class MemoryRateLimiter implements RateLimiter {
  readonly name = 'memory';
  private readonly windows = new Map<string, Window>();

  constructor(private readonly clock: Clock) {}

  hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
    const now = this.clock.now().getTime();
    if (this.windows.size > SWEEP_THRESHOLD) this.sweep(now);
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowSeconds * 1000 };
      this.windows.set(key, window);
    }
    window.count += 1;
    const retryAfterSeconds = Math.max(1, Math.ceil((window.resetAt - now) / 1000));
    return Promise.resolve({
      allowed: window.count <= limit,
      remaining: Math.max(0, limit - window.count),
      retryAfterSeconds,
    });
  }

  close(): Promise<void> {
    this.windows.clear();
    return Promise.resolve();
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}
