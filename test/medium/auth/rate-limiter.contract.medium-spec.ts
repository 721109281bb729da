import { randomUUID } from 'node:crypto';
import { MemoryRateLimiter } from '../../../src/modules/auth/rate-limit/memory.rate-limiter';
import type { RateLimiter } from '../../../src/modules/auth/rate-limit/rate-limiter.port';
import { RedisRateLimiter } from '../../../src/modules/auth/rate-limit/redis.rate-limiter';
import { testConfig } from '../../helpers/test-env';

/**
 * One contract for every RateLimiter: in-memory always, Redis when REDIS_URL is set. Windows are real
 * time (Redis expires keys on its own clock), kept to one or two seconds.
 */
const config = testConfig();

function contract(create: () => RateLimiter) {
  let limiter: RateLimiter;
  beforeEach(() => {
    limiter = create();
  });
  afterEach(async () => {
    await limiter.close();
  });
  const key = () => `contract:${randomUUID()}`;

  it('allows `limit` hits in a window and refuses the next, counting down `remaining`', async () => {
    const k = key();
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await limiter.hit(k, 3, 60));
    expect(results.map((r) => [r.allowed, r.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
  });

  it('says when to retry: within the window, at least one second', async () => {
    const k = key();
    await limiter.hit(k, 1, 60);
    const refused = await limiter.hit(k, 1, 60);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it('keeps keys apart', async () => {
    const a = key();
    const b = key();
    await limiter.hit(a, 1, 60);
    expect((await limiter.hit(a, 1, 60)).allowed).toBe(false);
    expect((await limiter.hit(b, 1, 60)).allowed).toBe(true);
  });

  it('starts a new window once the old one is over', async () => {
    const k = key();
    await limiter.hit(k, 1, 1);
    expect((await limiter.hit(k, 1, 1)).allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await limiter.hit(k, 1, 1)).allowed).toBe(true);
  });

  it('counts concurrent hits exactly', async () => {
    const k = key();
    const results = await Promise.all(Array.from({ length: 20 }, () => limiter.hit(k, 5, 60)));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
  });
}

describe('RateLimiter contract', () => {
  describe('in-memory', () => {
    contract(() => new MemoryRateLimiter());

    it('follows the process clock (jest fake timers, no waiting)', async () => {
      jest.useFakeTimers({ now: new Date('2026-03-02T09:00:00+08:00') });
      try {
        const limiter = new MemoryRateLimiter();
        await limiter.hit('k', 1, 60);
        expect((await limiter.hit('k', 1, 60)).retryAfterSeconds).toBe(60);
        jest.advanceTimersByTime(59_500);
        expect((await limiter.hit('k', 1, 60)).retryAfterSeconds).toBe(1);
        jest.advanceTimersByTime(500);
        expect((await limiter.hit('k', 1, 60)).allowed).toBe(true);
        await limiter.close();
      } finally {
        jest.useRealTimers();
      }
    });

    it('keeps rules apart: the same key under two (limit, window) pairs counts twice', async () => {
      const limiter = new MemoryRateLimiter();
      await limiter.hit('k', 1, 60);
      expect((await limiter.hit('k', 1, 60)).allowed).toBe(false);
      expect((await limiter.hit('k', 2, 60)).allowed).toBe(true);
      await limiter.close();
    });
  });

  const redisUrl = config.redis.url;
  if (redisUrl) {
    describe('redis', () => {
      contract(() => new RedisRateLimiter(redisUrl, `${config.redis.prefix}-rl-contract-${randomUUID()}`));
    });
  } else {
    describe.skip('redis (skipped: REDIS_URL not set)', () => {
      it('runs the same contract against Redis', () => undefined);
    });
  }
});
