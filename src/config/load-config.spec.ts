import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig } from './load-config';

const CONFIG_DIR = resolve(__dirname, '..', '..', 'config');

describe('loadConfig', () => {
  it('builds the embedded defaults from config/default.yml when nothing is set', () => {
    const config = loadConfig({ env: {}, configDir: CONFIG_DIR });
    expect(config.env).toBe('development');
    expect(config.http.port).toBe(3000);
    expect(config.database.url).toBeUndefined();
    expect(config.database.embedded.dataDir).toBe('./data/pg');
    expect(config.redis.url).toBeUndefined();
    expect(config.search.meili.url).toBeUndefined();
  });

  it('overlays config/<NODE_ENV>.yml on the defaults', () => {
    const config = loadConfig({ env: { NODE_ENV: 'test' }, configDir: CONFIG_DIR });
    expect(config.database.embedded.dataDir).toBe('./data/pg-test');
    expect(config.http.port).toBe(3000);
  });

  it('overlays well-known environment variables last, with numbers coerced', () => {
    const config = loadConfig({
      env: {
        PORT: '8080',
        DATABASE_URL: 'postgres://u@db:5432/bangfu',
        REDIS_URL: 'redis://cache:6379',
        MEILI_URL: 'http://meili:7700',
        MEILI_API_KEY: 'k',
      },
      configDir: CONFIG_DIR,
    });
    expect(config.http.port).toBe(8080);
    expect(config.database.url).toBe('postgres://u@db:5432/bangfu');
    expect(config.redis.url).toBe('redis://cache:6379');
    expect(config.search.meili).toMatchObject({ url: 'http://meili:7700', apiKey: 'k' });
  });

  it('sets any nested value from BANGFU__SECTION__KEY variables', () => {
    const config = loadConfig({
      env: { BANGFU__OUTBOX__BATCH_SIZE: '250', BANGFU__SEARCH__MEILI__INDEX_PREFIX: 'x_' },
      configDir: CONFIG_DIR,
    });
    expect(config.outbox.batchSize).toBe(250);
    expect(config.search.meili.indexPrefix).toBe('x_');
  });

  it('refuses to start with one error that lists every problem', () => {
    const error = configErrorOf({
      env: { PORT: '99999', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', BANGFU__HTTP__NOPE: '1' },
      configDir: CONFIG_DIR,
    });
    const problems = error.problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^http\.port:/),
        expect.stringMatching(/^database\.url:/),
        expect.stringMatching(/^log\.level:/),
        expect.stringMatching(/^http\.nope:/),
      ]),
    );
    expect((error as Error).message).toContain('配置无效');
  });

  it('reports a missing value and a broken YAML file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bangfu-config-'));
    writeFileSync(join(dir, 'default.yml'), 'http:\n  port: 3000\n');
    writeFileSync(join(dir, 'development.yml'), 'http: [unclosed\n');
    const { problems } = configErrorOf({ env: {}, configDir: dir });
    expect(problems.some((p) => p.startsWith('development.yml: YAML'))).toBe(true);
    expect(problems.some((p) => p.startsWith('database:'))).toBe(true);
  });
});

function configErrorOf(options: Parameters<typeof loadConfig>[0]): ConfigError {
  try {
    loadConfig(options);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('loadConfig accepted an invalid configuration');
}
