import { resolve } from 'node:path';
import { ConfigError, loadConfig } from './load-config';

const CONFIG_DIR = resolve(__dirname, '..', '..', 'config');

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig({ env, configDir: CONFIG_DIR });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('auth configuration checks', () => {
  it('ships OWASP-level defaults', () => {
    const { auth } = loadConfig({ env: {}, configDir: CONFIG_DIR });
    expect(auth.session).toMatchObject({
      accessTokenTtlSeconds: 900,
      idleTimeoutMinutes: 30,
      absoluteLifetimeHours: 12,
    });
    expect(auth.password).toMatchObject({ minLength: 8, maxAgeDays: 90 });
    expect(auth.password.hashing).toEqual({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
    expect(auth.lockout).toEqual({ maxFailures: 5, durationMinutes: 15 });
  });

  it('refuses to start production with the development token secret, naming the setting only', () => {
    const problems = problemsOf({ NODE_ENV: 'production' }).filter((p) => p.startsWith('auth.'));
    expect(problems).toEqual([expect.stringMatching(/^auth\.tokenSecret: 生产环境不能使用开发默认密钥/)]);
    expect(problems.join()).not.toContain('dev-only-insecure');
  });

  it('refuses a short production secret', () => {
    const problems = problemsOf({ NODE_ENV: 'production', AUTH_TOKEN_SECRET: 'short-secret-123' });
    expect(problems.filter((p) => p.startsWith('auth.'))).toEqual([
      expect.stringMatching(/^auth\.tokenSecret: 生产环境密钥至少 32 个字符/),
    ]);
  });

  it('accepts a long production secret from AUTH_TOKEN_SECRET', () => {
    const problems = problemsOf({ NODE_ENV: 'production', AUTH_TOKEN_SECRET: 'x7'.repeat(24) });
    expect(problems.filter((p) => p.startsWith('auth.'))).toEqual([]);
  });

  it('refuses to run production with the login and token rate limits switched off', () => {
    const problems = problemsOf({
      NODE_ENV: 'production',
      AUTH_TOKEN_SECRET: 'x7'.repeat(24),
      BANGFU__AUTH__RATE_LIMIT__ENABLED: 'false',
    });
    expect(problems.filter((p) => p.startsWith('auth.'))).toEqual([
      expect.stringMatching(/^auth\.rateLimit\.enabled: 生产环境不能关闭/),
    ]);
    expect(problemsOf({ NODE_ENV: 'development', BANGFU__AUTH__RATE_LIMIT__ENABLED: 'false' })).toEqual([]);
  });

  it('keeps the development secret outside production', () => {
    expect(problemsOf({ NODE_ENV: 'development' })).toEqual([]);
  });
});
