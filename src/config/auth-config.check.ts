import type { AppConfig } from './app-config';

/** The development default of `auth.tokenSecret` (config/default.yml): public, so never for production. */
export const DEVELOPMENT_TOKEN_SECRET = 'dev-only-insecure-token-secret-change-me-0000';
export const MIN_TOKEN_SECRET_LENGTH = 32;

/** Problems of the `auth` section that field validation cannot see; messages never quote the secret. */
export function authConfigProblems(config: AppConfig): string[] {
  const auth = config.auth;
  if (!auth) return [];
  const problems: string[] = [];
  if (config.env === 'production') {
    const secret = auth.tokenSecret.trim();
    if (secret === DEVELOPMENT_TOKEN_SECRET || secret.startsWith('dev-only')) {
      problems.push('auth.tokenSecret: 生产环境不能使用开发默认密钥，请通过 AUTH_TOKEN_SECRET 设置');
    } else if (secret.length < MIN_TOKEN_SECRET_LENGTH) {
      problems.push(`auth.tokenSecret: 生产环境密钥至少 ${MIN_TOKEN_SECRET_LENGTH} 个字符`);
    }
    // Without rate limits, login and token endpoints are open to guessing at full speed.
    if (!auth.rateLimit.enabled)
      problems.push('auth.rateLimit.enabled: 生产环境不能关闭登录与令牌接口的限流');
  }
  if (auth.password.minLength > auth.password.maxLength) {
    problems.push('auth.password.minLength: 不能大于 maxLength');
  }
  return problems;
}
