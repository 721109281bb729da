import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { RateLimiter, RateLimitResult } from './rate-limiter.port';

/**
 * INCR and set the expiry on the first hit, atomically: a crash between the two would otherwise leave a
 * counter without expiry that refuses the key forever.
 */
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return { count, ttl }
`;

const READY_TIMEOUT_MS = 1000;

/** Counters in Redis, shared by every process. */
export class RedisRateLimiter implements RateLimiter {
  readonly name = 'redis';
  private readonly logger = new Logger(RedisRateLimiter.name);
  private readonly redis: Redis;
  private lastError: string | undefined;
  private readyWait: Promise<void> | null = null;

  constructor(url: string, prefix: string) {
    this.redis = new Redis(url, {
      keyPrefix: `${prefix}:rl:`,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      connectionName: `${prefix}:rate-limit`,
    });
    // Without a listener an 'error' event would crash the process; log each distinct error once.
    this.redis.on('error', (error: Error) => {
      if (error.message === this.lastError) return;
      this.lastError = error.message;
      this.logger.error(`Redis 出错 (error): ${error.message}`);
    });
    this.redis.on('ready', () => {
      this.lastError = undefined;
    });
  }

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
    await this.ready();
    const [count, ttlMs] = (await this.redis.eval(HIT_SCRIPT, 1, key, String(windowSeconds * 1000))) as [
      number,
      number,
    ];
    return {
      allowed: count <= limit,
      remaining: Math.max(0, limit - count),
      retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)),
    };
  }

  /**
   * Commands fail fast while Redis is away (no offline queue, so a login never hangs on it); right after
   * start, or during a reconnect, wait briefly for the connection instead of failing the first requests.
   */
  private ready(): Promise<void> {
    if (this.redis.status === 'ready') return Promise.resolve();
    // One shared wait, however many requests arrive meanwhile.
    this.readyWait ??= new Promise<void>((resolve, reject) => {
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.redis.off('ready', onReady);
        reject(new Error('Redis 未就绪 (not ready)'));
      }, READY_TIMEOUT_MS);
      this.redis.once('ready', onReady);
    }).finally(() => {
      this.readyWait = null;
    });
    return this.readyWait;
  }

  async close(): Promise<void> {
    if (this.redis.status === 'end') return;
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
