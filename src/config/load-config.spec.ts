import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FieldCipher } from '../common/crypto/field-cipher';
import { DEVELOPMENT_CRYPTO, fieldCipherOptionsFrom } from './crypto-config.check';
import { ConfigError, loadConfig } from './load-config';
import { MENU_CATEGORIES } from '../modules/menu/menu.enums';

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

const OWN_KEY_1 = Buffer.alloc(32, 0x11).toString('base64');
const OWN_KEY_2 = Buffer.alloc(32, 0x22).toString('base64');
const OWN_BLIND_KEY = Buffer.alloc(32, 0x33).toString('base64');
/** What a production deployment sets besides the crypto keys (kept minimal so the tests fail on crypto only). */
const PRODUCTION_BASE = { NODE_ENV: 'production', AUTH_TOKEN_SECRET: 'x'.repeat(48) };
const OWN_CRYPTO_ENV = {
  BANGFU__CRYPTO__KEYS: `k1:${OWN_KEY_1},k2:${OWN_KEY_2}`,
  BANGFU__CRYPTO__ACTIVE_KEY_ID: 'k2',
  BANGFU__CRYPTO__BLIND_INDEX_KEY: OWN_BLIND_KEY,
};

/** A day the shipped holiday calendar covers, so these tests do not start failing on 1 January. */
const COVERED_DAY = new Date('2026-06-01T09:00:00+08:00');

/** The problems loadConfig reports for `env`, or [] when it accepts the configuration. */
function problemsFor(env: Record<string, string>): string[] {
  try {
    loadConfig({ env, configDir: CONFIG_DIR, now: COVERED_DAY });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('loadConfig: crypto keys', () => {
  it.each(['development', 'test'])('%s runs on the built-in development keyring, which works', (nodeEnv) => {
    const config = loadConfig({ env: { NODE_ENV: nodeEnv }, configDir: CONFIG_DIR });
    expect(config.crypto).toEqual(DEVELOPMENT_CRYPTO);
    const cipher = new FieldCipher(fieldCipherOptionsFrom(config.crypto));
    const where = { table: 'archives', column: 'head_id_number_ciphertext', rowId: 'a1' };
    expect(cipher.decrypt(cipher.encrypt('110101199003074514', where), where)).toBe('110101199003074514');
  });

  it('reads the three settings from BANGFU__CRYPTO__* variables', () => {
    const config = loadConfig({ env: OWN_CRYPTO_ENV, configDir: CONFIG_DIR });
    expect(config.crypto).toEqual({
      keys: OWN_CRYPTO_ENV.BANGFU__CRYPTO__KEYS,
      activeKeyId: 'k2',
      blindIndexKey: OWN_BLIND_KEY,
    });
  });

  it('keeps a numeric-looking key id a string', () => {
    const config = loadConfig({
      env: { BANGFU__CRYPTO__KEYS: `7:${OWN_KEY_1}`, BANGFU__CRYPTO__ACTIVE_KEY_ID: '7' },
      configDir: CONFIG_DIR,
    });
    expect(config.crypto.activeKeyId).toBe('7');
  });

  it('production with its own keys starts', () => {
    expect(problemsFor({ ...PRODUCTION_BASE, ...OWN_CRYPTO_ENV })).toEqual([]);
  });

  it('production without its own keys refuses to start, naming both settings', () => {
    const problems = problemsFor(PRODUCTION_BASE);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^crypto\.keys: 生产环境不能使用开发密钥/),
        expect.stringMatching(/^crypto\.blindIndexKey: 生产环境不能使用开发盲索引密钥/),
      ]),
    );
  });

  it('production with empty key settings refuses to start', () => {
    const problems = problemsFor({
      ...PRODUCTION_BASE,
      BANGFU__CRYPTO__KEYS: '',
      BANGFU__CRYPTO__BLIND_INDEX_KEY: '',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^crypto\.keys: 生产环境必须通过 BANGFU__CRYPTO__KEYS/),
        expect.stringMatching(/^crypto\.blindIndexKey: 生产环境必须通过 BANGFU__CRYPTO__BLIND_INDEX_KEY/),
      ]),
    );
  });

  it('production refuses a development key under another id, beside its own keys', () => {
    const devKey = DEVELOPMENT_CRYPTO.keys.split(':')[1];
    const problems = problemsFor({
      ...PRODUCTION_BASE,
      ...OWN_CRYPTO_ENV,
      BANGFU__CRYPTO__KEYS: `k1:${OWN_KEY_1}, old : ${devKey}`,
      BANGFU__CRYPTO__ACTIVE_KEY_ID: 'k1',
    });
    expect(problems).toEqual([expect.stringMatching(/^crypto\.keys: 生产环境不能使用开发密钥（密钥 old）/)]);
  });

  it('production refuses the development blind index key with its own encryption keys', () => {
    const problems = problemsFor({
      ...PRODUCTION_BASE,
      ...OWN_CRYPTO_ENV,
      BANGFU__CRYPTO__BLIND_INDEX_KEY: DEVELOPMENT_CRYPTO.blindIndexKey,
    });
    expect(problems).toEqual([expect.stringMatching(/^crypto\.blindIndexKey: /)]);
  });

  it.each([
    [
      'a keyring that does not parse',
      { BANGFU__CRYPTO__KEYS: `k1:${OWN_KEY_1.slice(4)}` },
      /^crypto: keyring: /,
    ],
    [
      'an active key outside the keyring',
      { BANGFU__CRYPTO__ACTIVE_KEY_ID: 'k9' },
      /^crypto: .*'k9' is not in the keyring/,
    ],
    [
      'a short blind index key',
      { BANGFU__CRYPTO__BLIND_INDEX_KEY: Buffer.alloc(16, 1).toString('base64') },
      /^crypto: blind index key: .*at least 32 bytes/,
    ],
    [
      'a blind index key equal to an encryption key',
      { BANGFU__CRYPTO__BLIND_INDEX_KEY: OWN_KEY_1 },
      /^crypto: .*differ from every encryption key/,
    ],
  ])('any environment refuses %s, without quoting key material', (_case, env, expected) => {
    const problems = problemsFor({ ...OWN_CRYPTO_ENV, ...env });
    expect(problems).toEqual([expect.stringMatching(expected)]);
    for (const key of [OWN_KEY_1, OWN_KEY_2, OWN_BLIND_KEY])
      expect(problems.join('\n')).not.toContain(key.slice(0, 12));
  });

  it('the development keyring is what config/default.yml ships (so production can recognise it)', () => {
    const shipped = loadConfig({ env: {}, configDir: CONFIG_DIR }).crypto;
    expect(shipped.keys).toBe(DEVELOPMENT_CRYPTO.keys);
    expect(shipped.blindIndexKey).toBe(DEVELOPMENT_CRYPTO.blindIndexKey);
  });
});

describe('loadConfig: http.cors', () => {
  it('allows no cross-origin caller by default', () => {
    expect(loadConfig({ env: {}, configDir: CONFIG_DIR }).http.cors.origins).toEqual([]);
  });

  it('reads a comma-separated origin list from BANGFU__HTTP__CORS__ORIGINS', () => {
    const config = loadConfig({
      env: { BANGFU__HTTP__CORS__ORIGINS: 'https://portal.example.cn, http://localhost:5173' },
      configDir: CONFIG_DIR,
    });
    expect(config.http.cors.origins).toEqual(['https://portal.example.cn', 'http://localhost:5173']);
  });

  it.each(['*', 'https://portal.example.cn/', 'https://*.example.cn', 'portal.example.cn'])(
    'refuses %s as an origin',
    (origin) => {
      expect(problemsFor({ BANGFU__HTTP__CORS__ORIGINS: origin })).toEqual([
        expect.stringMatching(/^http\.cors\.origins\.?\d*: /),
      ]);
    },
  );
});

describe('loadConfig: the official holiday calendar (config/holidays.yml)', () => {
  /** A config folder with the shipped files, the calendar replaced by `calendar` (YAML). */
  function dirWithCalendar(calendar: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'bangfu-calendar-'));
    writeFileSync(join(dir, 'default.yml'), readFileSync(join(CONFIG_DIR, 'default.yml')));
    for (const file of ['menu.yml', 'matching.yml'])
      writeFileSync(join(dir, file), readFileSync(join(CONFIG_DIR, file)));
    writeFileSync(join(dir, 'holidays.yml'), calendar);
    return dir;
  }
  const year = (y: number, holidays: string[], makeUpWorkdays: string[] = []): string =>
    `  - year: ${y}\n    source: 国务院办公厅关于${y}年部分节假日安排的通知\n` +
    `    holidays: [${holidays.join(', ')}]\n    makeUpWorkdays: [${makeUpWorkdays.join(', ')}]\n`;

  it('loads both shipped years with their sources', () => {
    const { calendar } = loadConfig({ env: {}, configDir: CONFIG_DIR });
    expect(calendar.years.map((y) => y.year)).toEqual([2025, 2026]);
    const y2026 = calendar.years.find((y) => y.year === 2026)!;
    expect(y2026.source).toContain('国务院办公厅关于2026年部分节假日安排的通知');
    expect(y2026.holidays).toEqual(expect.arrayContaining(['2026-10-01', '2026-10-07', '2026-02-15']));
    expect(y2026.makeUpWorkdays).toEqual(
      expect.arrayContaining([
        '2026-01-04',
        '2026-02-14',
        '2026-02-28',
        '2026-05-09',
        '2026-09-20',
        '2026-10-10',
      ]),
    );
  });

  it('refuses impossible dates, dates of another year and a weekday listed as a make-up working day', () => {
    const dir = dirWithCalendar(
      `years:\n${year(2026, ['2026-02-30', '2027-01-01', '2026-10-01'], ['2026-10-08', '2026-10-01'])}`,
    );
    const { problems } = configErrorOf({ env: {}, configDir: dir });
    expect(problems).toEqual(
      expect.arrayContaining([
        'calendar 2026.holidays: 2026-02-30 不是有效日期',
        'calendar 2026.holidays: 2027-01-01 不在 2026 年',
        'calendar 2026.makeUpWorkdays: 2026-10-08 不是周六或周日，调休上班日只能是周末',
        'calendar 2026: 2026-10-01 同时列为放假日和调休上班日',
      ]),
    );
  });

  it('refuses a missing data file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bangfu-calendar-'));
    writeFileSync(join(dir, 'default.yml'), readFileSync(join(CONFIG_DIR, 'default.yml')));
    for (const file of ['menu.yml', 'matching.yml'])
      writeFileSync(join(dir, file), readFileSync(join(CONFIG_DIR, file)));
    const { problems } = configErrorOf({ env: {}, configDir: dir });
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^缺少节假日数据文件 .*holidays\.yml$/)]),
    );
  });

  it('production refuses to start when the current year is missing, and starts when it is there', () => {
    const production = { ...PRODUCTION_BASE, ...OWN_CRYPTO_ENV };
    const missing = configErrorOf({
      env: production,
      configDir: CONFIG_DIR,
      now: new Date('2027-01-04T09:00:00+08:00'),
    });
    expect(missing.problems).toEqual([expect.stringContaining('缺少本年度（2027 年）的法定节假日安排')]);
    expect(() =>
      loadConfig({ env: production, configDir: CONFIG_DIR, now: new Date('2026-12-31T23:00:00+08:00') }),
    ).not.toThrow();
  });

  it('development starts without the current year (the readiness check reports it)', () => {
    expect(() =>
      loadConfig({ env: {}, configDir: CONFIG_DIR, now: new Date('2027-01-04T09:00:00+08:00') }),
    ).not.toThrow();
  });

  it('refuses an impossible local extra day off', () => {
    const { problems } = configErrorOf({
      env: {},
      configDir: CONFIG_DIR,
      overrides: { archives: { publicHolidays: ['2026-11-11', '2026-02-29'] } },
    });
    expect(problems).toEqual(['archives.publicHolidays: 2026-02-29 不是有效日期']);
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

describe('loadConfig: outbox purge', () => {
  it('purges processed rows daily, keeping a week by default', () => {
    const { outbox } = loadConfig({ env: {}, configDir: CONFIG_DIR });
    expect(outbox).toMatchObject({ purgeCron: '15 4 * * *', retainProcessedDays: 7 });
  });

  it.each([
    ['a cron with too few fields', { BANGFU__OUTBOX__PURGE_CRON: '15 4 *' }, /outbox\.purgeCron/],
    ['a retention of zero days', { BANGFU__OUTBOX__RETAIN_PROCESSED_DAYS: '0' }, /retainProcessedDays/],
    [
      'a retention that is not a number',
      { BANGFU__OUTBOX__RETAIN_PROCESSED_DAYS: 'x' },
      /retainProcessedDays/,
    ],
  ])('refuses %s', (_case, env, expected) => {
    expect(() => loadConfig({ env, configDir: CONFIG_DIR })).toThrow(expected);
  });
});

describe('loadConfig: the Meilisearch key file', () => {
  it('reads the key from MEILI_API_KEY_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meili-key-'));
    const file = join(dir, 'api-key');
    writeFileSync(file, 'scoped-key-value\n');
    const config = loadConfig({
      env: { MEILI_URL: 'http://meili:7700', MEILI_API_KEY_FILE: file },
      configDir: CONFIG_DIR,
    });
    expect(config.search.meili.apiKey).toBe('scoped-key-value');
  });

  it('refuses a missing or empty key file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meili-key-'));
    const empty = join(dir, 'empty');
    writeFileSync(empty, '\n');
    expect(() =>
      loadConfig({ env: { MEILI_API_KEY_FILE: join(dir, 'none') }, configDir: CONFIG_DIR }),
    ).toThrow(/apiKeyFile: 无法读取/);
    expect(() => loadConfig({ env: { MEILI_API_KEY_FILE: empty }, configDir: CONFIG_DIR })).toThrow(/为空/);
  });

  it('never takes the master key as the application key', () => {
    const config = loadConfig({ env: { MEILI_MASTER_KEY: 'the-master-key-0000' }, configDir: CONFIG_DIR });
    expect(config.search.meili.apiKey).toBeUndefined();
  });
});

describe('loadConfig: the service menu (config/menu.yml)', () => {
  /** A config folder with the shipped files, the menu replaced by `menu` (YAML). */
  function dirWithMenu(menu: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'bangfu-menu-'));
    for (const file of ['default.yml', 'holidays.yml'])
      writeFileSync(join(dir, file), readFileSync(join(CONFIG_DIR, file)));
    // Without per-item SLA days: they name items of the shipped menu.
    const matching = readFileSync(join(CONFIG_DIR, 'matching.yml'), 'utf8').replace(
      /\n {2}items:[\s\S]*$/,
      '\n  items: {}\n',
    );
    writeFileSync(join(dir, 'matching.yml'), matching);
    writeFileSync(join(dir, 'menu.yml'), menu);
    return dir;
  }
  const item = (fields: Record<string, unknown>) =>
    JSON.stringify({
      code: 'training_forklift',
      category: 'training',
      name: '叉车司机培训',
      description: '场内机动车辆（叉车）司机培训与考证',
      unit: 'slots',
      maxPerNeed: 1,
      requiresActiveArchive: true,
      acceptsTemporaryArchive: false,
      beneficiary: 'any_member',
      slaDays: 30,
      validityDays: 120,
      documents: ['身份证'],
      tags: ['叉车'],
      sortOrder: 10,
      ...fields,
    });

  it('ships about thirty items over all ten categories, each consistent', () => {
    const { menu } = loadConfig({ env: {}, configDir: CONFIG_DIR });
    expect(menu.items.length).toBeGreaterThanOrEqual(30);
    expect(new Set(menu.items.map((i) => i.category))).toEqual(new Set(MENU_CATEGORIES));
    expect(new Set(menu.items.map((i) => i.code)).size).toBe(menu.items.length);
    const tuition = menu.items.find((i) => i.code === 'tuition_college')!;
    expect(tuition).toMatchObject({ unit: 'yuan', beneficiary: 'member_in_stage', stages: ['college'] });
    expect(menu.items.filter((i) => i.acceptsTemporaryArchive).map((i) => i.category)).toContain('relief');
    expect(menu.items.every((i) => i.active)).toBe(true);
  });

  it('refuses a missing file, a bad field, a duplicate code and an inconsistent item, naming each', () => {
    const dir = dirWithMenu(
      `items:\n` +
        [
          item({}),
          item({ name: '叉车司机复训' }),
          item({ code: 'Bad-Code', name: '错误代码' }),
          item({ code: 'tuition_any', name: '助学', category: 'tuition', beneficiary: 'member_in_stage' }),
          item({ code: 'cash_too_much', name: '过大金额', unit: 'yuan', maxPerNeed: 5_000_001 }),
        ]
          .map((line) => `  - ${line}\n`)
          .join(''),
    );
    expect(configErrorOf({ env: {}, configDir: dir }).problems).toEqual([
      expect.stringMatching(/^menu\.items\.2\.code: /),
    ]);
    const fixed = dirWithMenu(
      `items:\n` +
        [
          item({}),
          item({ name: '叉车司机复训' }),
          item({ code: 'tuition_any', name: '助学', category: 'tuition', beneficiary: 'member_in_stage' }),
          item({ code: 'cash_too_much', name: '过大金额', unit: 'yuan', maxPerNeed: 5_000_001 }),
        ]
          .map((line) => `  - ${line}\n`)
          .join(''),
    );
    expect(configErrorOf({ env: {}, configDir: fixed }).problems).toEqual([
      'menu training_forklift: 代码重复',
      'menu tuition_any.stages: 受助对象为“在读家庭成员”时须列出适用的学段',
      'menu cash_too_much.maxPerNeed: 每次申请的金额上限不能超过 50000 元（以分计）',
    ]);
    const missing = mkdtempSync(join(tmpdir(), 'bangfu-menu-'));
    for (const file of ['default.yml', 'holidays.yml', 'matching.yml'])
      writeFileSync(join(missing, file), readFileSync(join(CONFIG_DIR, file)));
    expect(configErrorOf({ env: {}, configDir: missing }).problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^缺少服务菜单数据文件 .*menu\.yml$/)]),
    );
  });
});

describe('loadConfig: the matcher’s weights (config/matching.yml)', () => {
  /** A config folder with the shipped files, matching.yml changed by `edit`. */
  function dirWithMatching(edit: (text: string) => string): string {
    const dir = mkdtempSync(join(tmpdir(), 'bangfu-matching-'));
    for (const file of ['default.yml', 'holidays.yml', 'menu.yml'])
      writeFileSync(join(dir, file), readFileSync(join(CONFIG_DIR, file)));
    writeFileSync(join(dir, 'matching.yml'), edit(readFileSync(join(CONFIG_DIR, 'matching.yml'), 'utf8')));
    return dir;
  }

  it('loads the shipped weights and tables', () => {
    const { matching } = loadConfig({ env: {}, configDir: CONFIG_DIR });
    expect(Object.keys(matching.weights).sort()).toEqual([
      'capacity',
      'fairness',
      'hardship',
      'item',
      'proximity',
      'text',
      'waiting',
    ]);
    expect(matching.proximity.district).toBe(1);
    expect(matching.hardship.urgency.emergency).toBeGreaterThan(matching.hardship.urgency.normal);
  });

  it.each([
    [
      'a negative weight',
      (s: string) => s.replace(/^ {2}text: 1\b/m, '  text: -1'),
      /^matching\.weights\.text: /,
    ],
    [
      'all weights zero',
      (s: string) =>
        s.replace(/^( {2}(text|item|proximity|hardship|waiting|fairness|capacity)): [0-9.]+/gm, '$1: 0'),
      /^matching\.weights: 至少要有一个权重大于 0$/,
    ],
    [
      'a table value above 1',
      (s: string) => s.replace(/^ {2}city: 0\.6/m, '  city: 1.5'),
      /^matching\.proximity\.city: /,
    ],
    [
      'a missing cause',
      (s: string) => s.replace(/^ {4}disaster: 0\.9\n/m, ''),
      /^matching\.hardship\.cause\.disaster: /,
    ],
    [
      'a weight that is text',
      (s: string) => s.replace(/^ {2}item: 3\b/m, '  item: high'),
      /^matching\.weights\.item: /,
    ],
    [
      'a default K above the allocation maximum',
      (s: string) => s.replace(/^ {2}candidatesPerNeed: 30\b/m, '  candidatesPerNeed: 201'),
      /^matching\.allocation\.candidatesPerNeed: /,
    ],
    [
      'a default K above maxCandidatesPerNeed',
      (s: string) => s.replace(/^ {2}maxCandidatesPerNeed: 200\b/m, '  maxCandidatesPerNeed: 20'),
      /^matching\.allocation\.candidatesPerNeed: 不能大于 maxCandidatesPerNeed$/,
    ],
  ])('refuses to start with %s', (_, edit, problem) => {
    const dir = dirWithMatching(edit);
    expect(readFileSync(join(dir, 'matching.yml'), 'utf8')).not.toBe(
      readFileSync(join(CONFIG_DIR, 'matching.yml'), 'utf8'),
    );
    const { problems } = configErrorOf({ env: {}, configDir: dir });
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
  });

  it('refuses a missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bangfu-matching-'));
    for (const file of ['default.yml', 'holidays.yml', 'menu.yml'])
      writeFileSync(join(dir, file), readFileSync(join(CONFIG_DIR, file)));
    const { problems } = configErrorOf({ env: {}, configDir: dir });
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^缺少匹配评分配置文件 .*matching\.yml$/)]),
    );
  });
});

describe('loadConfig: match SLAs (config/matching.yml `sla`)', () => {
  function dirWithMatching(edit: (text: string) => string): string {
    const dir = mkdtempSync(join(tmpdir(), 'bangfu-sla-'));
    for (const file of ['default.yml', 'holidays.yml', 'menu.yml'])
      writeFileSync(join(dir, file), readFileSync(join(CONFIG_DIR, file)));
    writeFileSync(join(dir, 'matching.yml'), edit(readFileSync(join(CONFIG_DIR, 'matching.yml'), 'utf8')));
    return dir;
  }

  it('loads the shipped days, with the per-item overrides', () => {
    const { matching } = loadConfig({ env: {}, configDir: CONFIG_DIR });
    expect(matching.sla.days.proposed).toBe(3);
    expect(matching.sla.items.relief_temporary).toEqual({ approved: 2, accepted: 2 });
  });

  it.each([
    [
      'an unknown menu item',
      (s: string) => s.replace('    relief_temporary:', '    relief_nonexistent:'),
      /^matching\.sla\.items\.relief_nonexistent: 服务菜单中没有此项目$/,
    ],
    [
      'a state without SLA',
      (s: string) => s.replace('      accepted: 2', '      closed: 2'),
      /^matching\.sla\.items\.relief_temporary\.closed: /,
    ],
    [
      'fractional days',
      (s: string) => s.replace('      accepted: 2', '      accepted: 2.5'),
      /^matching\.sla\.items\.relief_temporary\.accepted: /,
    ],
    [
      'zero days for a state',
      (s: string) => s.replace('    proposed: 3 #', '    proposed: 0 #'),
      /^matching\.sla\.days\.proposed: /,
    ],
    [
      'a hard limit below the deadline',
      (s: string) => s.replace('  hardLimitFactor: 2', '  hardLimitFactor: 0.5'),
      /^matching\.sla\.hardLimitFactor: /,
    ],
  ])('refuses %s', (_, edit, problem) => {
    const { problems } = configErrorOf({ env: {}, configDir: dirWithMatching(edit) });
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
  });
});

describe('loadConfig: the match lifecycle (config/matching.yml `matches`)', () => {
  function dirWithMatching(edit: (text: string) => string): string {
    const dir = mkdtempSync(join(tmpdir(), 'bangfu-matches-'));
    for (const file of ['default.yml', 'holidays.yml', 'menu.yml'])
      writeFileSync(join(dir, file), readFileSync(join(CONFIG_DIR, file)));
    writeFileSync(join(dir, 'matching.yml'), edit(readFileSync(join(CONFIG_DIR, 'matching.yml'), 'utf8')));
    return dir;
  }

  it('loads the approver threshold and the parking reasons', () => {
    const { matching } = loadConfig({ env: {}, configDir: CONFIG_DIR });
    expect(matching.matches.approverAboveFen).toBe(500_000);
    expect(matching.matches.park.worker_refused).toEqual({ scope: 'pair', days: 365 });
    expect(matching.matches.park.duplicate).toBeUndefined();
  });

  it.each([
    [
      'an unknown decline reason',
      (s: string) => s.replace('    worker_refused: {', '    worker_angry: {'),
      /^matching\.matches\.park\.worker_angry: /,
    ],
    [
      'an unknown park scope',
      (s: string) => s.replace('worker_unreachable: { scope: need', 'worker_unreachable: { scope: household'),
      /^matching\.matches\.park\.worker_unreachable: /,
    ],
    [
      'zero days',
      (s: string) => s.replace('{ scope: pair, days: 90 }', '{ scope: pair, days: 0 }'),
      /^matching\.matches\.park\.no_longer_available: /,
    ],
    [
      'a threshold that is not whole fen',
      (s: string) => s.replace('approverAboveFen: 500000', 'approverAboveFen: 12.5'),
      /^matching\.matches\.approverAboveFen: /,
    ],
  ])('refuses %s', (_, edit, problem) => {
    const { problems } = configErrorOf({ env: {}, configDir: dirWithMatching(edit) });
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
  });
});
