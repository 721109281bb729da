import { AppConfig, loadConfig } from '../../src/config';
import { processEnv } from '../../src/config/load-config';

/** Set by global-setup for the workers: the admin URL of the test server and the template database. */
export const TEST_SERVER_URL_VAR = 'BANGFU_TEST_SERVER_URL';
export const TEST_TEMPLATE_DB = 'bangfu_test_template';
export const TEST_DB_PREFIX = 'bangfu_test_';

export function testConfig(overrides: Record<string, unknown> = {}): AppConfig {
  return loadConfig({ env: { ...processEnv(), NODE_ENV: 'test' }, overrides });
}

export function testServerUrl(): string {
  const url = processEnv()[TEST_SERVER_URL_VAR];
  if (!url) throw new Error(`${TEST_SERVER_URL_VAR} 未设置: medium/e2e 测试需要 jest 的 globalSetup`);
  return url;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
