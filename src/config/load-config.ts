import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { parse } from 'yaml';
import { AppConfig } from './app-config';
import { authConfigProblems } from './auth-config.check';
import { calendarConfigProblems } from './calendar-config.check';
import { matchingConfigProblems } from './matching-config';
import { notificationsConfigProblems } from './notifications-config';
import { menuConfigProblems } from './menu-config.check';
import { cryptoConfigProblems } from './crypto-config.check';

type Env = Record<string, string | undefined>;
type Plain = Record<string, unknown>;

/** Well-known variable names and the config path each one sets. */
const ENV_MAP: Record<string, string> = {
  NODE_ENV: 'env',
  PORT: 'http.port',
  HOST: 'http.host',
  DATABASE_URL: 'database.url',
  DATABASE_MIGRATION_URL: 'database.migrationUrl',
  PG_DATA_DIR: 'database.embedded.dataDir',
  REDIS_URL: 'redis.url',
  MEILI_URL: 'search.meili.url',
  MEILI_API_KEY: 'search.meili.apiKey',
  MEILI_API_KEY_FILE: 'search.meili.apiKeyFile',
  LOG_LEVEL: 'log.level',
  AUTH_TOKEN_SECRET: 'auth.tokenSecret',
};
/** Any other setting: BANGFU__SECTION__KEY=value, e.g. BANGFU__OUTBOX__BATCH_SIZE=200. */
const GENERIC_PREFIX = 'BANGFU__';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`配置无效 (invalid configuration):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  env?: Env;
  configDir?: string;
  /** Applied last; used by tests and scripts to pin values without touching the environment. */
  overrides?: Plain;
  /** The time the production calendar check judges "this year" by (default: now). */
  now?: Date;
}

/**
 * Data files beside the configuration files, each loaded whole into its section: the official holiday
 * calendar, the service menu and the matcher's weights.
 */
const DATA_FILES = [
  { section: 'calendar', file: 'holidays.yml', missing: '缺少节假日数据文件' },
  { section: 'menu', file: 'menu.yml', missing: '缺少服务菜单数据文件' },
  { section: 'matching', file: 'matching.yml', missing: '缺少匹配评分配置文件' },
] as const;

/** The process environment, read here and nowhere else. */
export function processEnv(): Env {
  return process.env;
}

export function loadConfig(options: LoadConfigOptions = {}): AppConfig {
  const env = options.env ?? processEnv();
  const configDir = options.configDir ?? resolve(__dirname, '..', '..', 'config');
  const nodeEnv = env.NODE_ENV || 'development';
  const problems: string[] = [];

  const merged: Plain = {};
  for (const file of ['default.yml', `${nodeEnv}.yml`]) {
    const path = join(configDir, file);
    if (!existsSync(path)) {
      if (file === 'default.yml') problems.push(`缺少配置文件 ${path}`);
      continue;
    }
    try {
      deepMerge(merged, (parse(readFileSync(path, 'utf8')) as Plain | null) ?? {});
    } catch (error) {
      problems.push(`${file}: YAML 解析失败: ${(error as Error).message}`);
    }
  }
  for (const { section, file, missing } of DATA_FILES) {
    const path = join(configDir, file);
    if (!existsSync(path)) {
      problems.push(`${missing} ${path}`);
      continue;
    }
    try {
      merged[section] = (parse(readFileSync(path, 'utf8')) as Plain | null) ?? {};
    } catch (error) {
      problems.push(`${file}: YAML 解析失败: ${(error as Error).message}`);
    }
  }
  deepMerge(merged, envOverrides(env, problems));
  if (options.overrides) deepMerge(merged, options.overrides);
  if (merged.env === undefined) merged.env = nodeEnv;
  readMeiliKeyFile(merged, problems);

  const config = plainToInstance(AppConfig, merged);
  for (const error of validateSync(config, { whitelist: true, forbidNonWhitelisted: true })) {
    problems.push(...flattenErrors(error, ''));
  }
  // Cross-field rules assume well-typed fields; each reports all its problems so one start lists them all.
  if (problems.length === 0) {
    problems.push(
      ...authConfigProblems(config),
      ...cryptoConfigProblems(config),
      ...calendarConfigProblems(config, options.now ?? new Date()),
      ...menuConfigProblems(config),
      ...matchingConfigProblems(config),
      ...notificationsConfigProblems(config),
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** search.meili.apiKeyFile → search.meili.apiKey (the file's content, trimmed). */
function readMeiliKeyFile(merged: Plain, problems: string[]): void {
  const meili = ((merged.search as Plain | undefined)?.meili ?? undefined) as Plain | undefined;
  const file = meili?.apiKeyFile;
  if (typeof file !== 'string' || file === '') return;
  try {
    const key = readFileSync(file, 'utf8').trim();
    if (key === '') problems.push(`search.meili.apiKeyFile: ${file} 为空`);
    else meili!.apiKey = key;
  } catch (error) {
    problems.push(`search.meili.apiKeyFile: 无法读取 ${file}: ${(error as Error).message}`);
  }
}

function envOverrides(env: Env, problems: string[]): Plain {
  const out: Plain = {};
  for (const [name, path] of Object.entries(ENV_MAP)) {
    const value = env[name];
    if (value !== undefined && value !== '') setPath(out, path, coerce(value));
  }
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(GENERIC_PREFIX) || value === undefined) continue;
    const parts = name.slice(GENERIC_PREFIX.length).split('__').filter(Boolean).map(camelCase);
    if (parts.length === 0) problems.push(`环境变量 ${name} 没有指明配置项`);
    else setPath(out, parts.join('.'), coerce(value));
  }
  return out;
}

function camelCase(s: string): string {
  return s.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function coerce(value: string): unknown {
  if (/^-?\d+$/.test(value)) return Number(value);
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

function setPath(target: Plain, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Plain;
  }
  node[keys[keys.length - 1]] = value;
}

function deepMerge(target: Plain, source: Plain): Plain {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (isPlain(value) && isPlain(existing)) deepMerge(existing, value);
    else target[key] = isPlain(value) ? deepMerge({}, value) : value;
  }
  return target;
}

function isPlain(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function flattenErrors(error: ValidationError, parent: string): string[] {
  const path = parent ? `${parent}.${error.property}` : error.property;
  const own = Object.values(error.constraints ?? {}).map((m) => `${path}: ${m}`);
  return [...own, ...(error.children ?? []).flatMap((c) => flattenErrors(c, path))];
}
