import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { DomainError } from '../../../common/errors';
import { loadConfig } from '../../../config/load-config';
import { RateLimitService } from './rate-limit.service';
import type { RateLimiter, RateLimitResult } from './rate-limiter.port';

class RecordingLimiter implements RateLimiter {
  readonly name = 'recording';
  readonly calls: { key: string; limit: number; windowSeconds: number }[] = [];
  constructor(private readonly answer: () => Promise<RateLimitResult>) {}
  hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
    this.calls.push({ key, limit, windowSeconds });
    return this.answer();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

function service(limiter: RateLimiter, enabled = true, tokenSecret?: string): RateLimitService {
  const config = loadConfig({
    env: { NODE_ENV: 'development' },
    overrides: {
      auth: { rateLimit: { enabled }, ...(tokenSecret && { tokenSecret }) },
      log: { level: 'silent' },
    },
  });
  return new RateLimitService(config, limiter);
}

const allowed = () => Promise.resolve({ allowed: true, remaining: 1, retryAfterSeconds: 30 });

describe('RateLimitService', () => {
  it('counts per IP loosely, per account and per account+IP tightly, with the configured rules', async () => {
    const limiter = new RecordingLimiter(allowed);
    const s = service(limiter);
    await s.enforceIp('login', '203.0.113.7');
    await s.enforceAccount('login', 'Zhang.San', '203.0.113.7');
    expect(limiter.calls[0]).toEqual({ key: 'login:ip:203.0.113.7', limit: 300, windowSeconds: 60 });
    expect(limiter.calls[1]).toMatchObject({ limit: 10, windowSeconds: 300 });
    expect(limiter.calls[1].key).toMatch(/^login:acct:[0-9a-f]{32}$/);
    expect(limiter.calls[2]).toMatchObject({ limit: 5, windowSeconds: 300 });
    expect(limiter.calls[2].key).toBe(`${limiter.calls[1].key.replace(':acct:', ':acct-ip:')}:203.0.113.7`);
    expect(limiter.calls.map((c) => c.key).join()).not.toMatch(/zhang/i);
    // Differently typed, same account.
    await s.enforceAccount('login', 'zhang.san', null);
    expect(limiter.calls[3].key).toBe(limiter.calls[1].key);
    expect(limiter.calls).toHaveLength(4);
  });

  it('keys accounts with a keyed HMAC, not a bare SHA-256 that a dictionary of mobiles reverses', () => {
    const mobile = '13812342210';
    const bare = createHash('sha256').update(mobile).digest('hex').slice(0, 32);
    const a = service(new RecordingLimiter(allowed), true, 'a'.repeat(40)).accountDigest(mobile);
    const b = service(new RecordingLimiter(allowed), true, 'b'.repeat(40)).accountDigest(mobile);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(a).not.toBe(bare);
    expect(b).not.toBe(a);
  });

  it('throws RATE_LIMITED with retryAfterSeconds when refused', async () => {
    const s = service(
      new RecordingLimiter(() => Promise.resolve({ allowed: false, remaining: 0, retryAfterSeconds: 42 })),
    );
    const error = await s.enforceIp('refresh', '203.0.113.7').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterSeconds: 42 } });
  });

  it('lets requests through when the counter store is down (lockout still applies)', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const s = service(new RecordingLimiter(() => Promise.reject(new Error('ECONNREFUSED'))));
    await expect(s.enforceIp('login', '203.0.113.7')).resolves.toBeUndefined();
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('ECONNREFUSED'));
    logged.mockRestore();
  });

  it('does nothing when disabled, or without a client address', async () => {
    const limiter = new RecordingLimiter(allowed);
    await service(limiter, false).enforceAccount('login', 'x', '203.0.113.7');
    await service(limiter).enforceIp('login', null);
    expect(limiter.calls).toHaveLength(0);
  });
});
