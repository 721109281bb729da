import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { FlexibleRateLimiter } from './flexible.rate-limiter';

const READY_TIMEOUT_MS = 1000;

/**
 * Counters in Redis (rate-limiter-flexible's Redis store: INCR and expiry in one Lua call), shared by
 * every process. Commands fail fast while Redis is away (no offline queue, so a login never hangs on
 * it); right after start, or during a reconnect, a hit waits briefly for the connection instead.
 */
export class RedisRateLimiter extends FlexibleRateLimiter {
  private readonly logger = new Logger(RedisRateLimiter.name);
  private lastError: string | undefined;
  private readyWait: Promise<void> | null = null;

  constructor(url: string, prefix: string) {
    const redis = new Redis(url, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      connectionName: `${prefix}:rate-limit`,
    });
    super(
      'redis',
      (points, duration, keyPrefix) =>
        new RateLimiterRedis({
          storeClient: redis,
          points,
          duration,
          keyPrefix: `${prefix}:rl:${keyPrefix}`,
          rejectIfRedisNotReady: true,
        }),
      async () => {
        if (redis.status === 'end') return;
        await redis.quit().catch(() => redis.disconnect());
      },
    );
    this.redis = redis;
    // Without a listener an 'error' event would crash the process; log each distinct error once.
    redis.on('error', (error: Error) => {
      if (error.message === this.lastError) return;
      this.lastError = error.message;
      this.logger.error(`Redis 出错 (error): ${error.message}`);
    });
    redis.on('ready', () => {
      this.lastError = undefined;
    });
  }

  private readonly redis: Redis;

  override async hit(key: string, limit: number, windowSeconds: number) {
    await this.ready();
    return super.hit(key, limit, windowSeconds);
  }

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
}
