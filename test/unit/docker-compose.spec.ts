import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

/**
 * Static checks of the container setup: docker-compose.yml and the Dockerfile are parsed (no Docker
 * engine needed) and held to what DESIGN.md §4/§6 and the deployment notes promise.
 */

const ROOT = resolve(__dirname, '..', '..');
const STORES = ['postgres', 'redis', 'meilisearch'] as const;
const APPS = ['api', 'worker'] as const;
const SERVICES = [...STORES, ...APPS];
/** What a developer must provide (compose refuses to start without it); everything else has a default. */
const REQUIRED_ENV = {
  BANGFU_CRYPTO_KEYS: 'test-only-key',
  BANGFU_CRYPTO_BLIND_INDEX_KEY: 'test-only-blind-key',
  BANGFU_AUTH_TOKEN_SECRET: 'test-only-token-secret-of-enough-length',
};

type Dict = Record<string, unknown>;

function asDict(value: unknown, what: string): Dict {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${what} should be a mapping, got ${JSON.stringify(value)}`);
  }
  return value as Dict;
}

// ---- Compose helpers ---------------------------------------------------------------------------

/**
 * Compose variable interpolation as `docker compose config` applies it: ${VAR}, ${VAR:-default},
 * ${VAR-default}, ${VAR:?error}, ${VAR?error}, ${VAR:+alt}, $VAR and the $$ escape.
 */
function interpolate(text: string, env: Record<string, string> = {}): string {
  return text.replace(
    /\$(\$|[A-Za-z_][A-Za-z0-9_]*|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\})/g,
    (whole, bare: string, name: string | undefined, op: string | undefined, arg: string | undefined) => {
      if (bare === '$') return '$';
      if (name === undefined) return env[bare] ?? '';
      const value = env[name];
      const set = value !== undefined;
      const nonEmpty = set && value !== '';
      switch (op) {
        case undefined:
          return value ?? '';
        case ':-':
          return nonEmpty ? value : (arg ?? '');
        case '-':
          return set ? value : (arg ?? '');
        case ':?':
        case '?':
          if (op === ':?' ? nonEmpty : set) return value ?? '';
          throw new Error(`required variable ${name} is missing a value: ${arg ?? ''}`);
        case ':+':
          return nonEmpty ? (arg ?? '') : '';
        case '+':
          return set ? (arg ?? '') : '';
        default:
          throw new Error(`unsupported interpolation ${whole}`);
      }
    },
  );
}

/** `environment:` as a map of raw (uninterpolated) strings, from either the map or the list form. */
function environmentOf(service: Dict): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry: string) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(asDict(env, 'environment')).map(([k, v]) => [k, String(v ?? '')]));
}

/** `depends_on:` as name → condition; the list form means service_started. */
function dependsOn(service: Dict): Record<string, string> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name: string) => [name, 'service_started']));
  return Object.fromEntries(
    Object.entries(asDict(deps, 'depends_on')).map(([name, spec]) => [
      name,
      String(asDict(spec ?? {}, `depends_on.${name}`).condition ?? 'service_started'),
    ]),
  );
}

/** `build:` in its long form, with Compose's defaults filled in. */
function buildOf(service: Dict): { context: string; dockerfile: string; target?: string } {
  if (service.build === undefined) throw new Error('service has no build section');
  if (typeof service.build === 'string') return { context: service.build, dockerfile: 'Dockerfile' };
  const build = asDict(service.build, 'build');
  return {
    context: String(build.context ?? '.'),
    dockerfile: String(build.dockerfile ?? 'Dockerfile'),
    ...(build.target === undefined ? {} : { target: String(build.target) }),
  };
}

/** Published ports as {published, target}, from the short ("[ip:][host:]container[/proto]") or long form. */
function portsOf(service: Dict, env: Record<string, string> = {}): { published?: number; target: number }[] {
  return ((service.ports ?? []) as unknown[]).map((port) => {
    if (typeof port === 'object' && port !== null) {
      const long = port as Dict;
      return {
        target: Number(long.target),
        published: long.published === undefined ? undefined : Number(long.published),
      };
    }
    const parts = interpolate(String(port), env)
      .replace(/\/(tcp|udp)$/, '')
      .split(':');
    const target = Number(parts[parts.length - 1]);
    return parts.length === 1 ? { target } : { target, published: Number(parts[parts.length - 2]) };
  });
}

/** The tag of an image reference, or undefined when it has none (a registry port is not a tag). */
function imageTag(image: string): string | undefined {
  if (image.includes('@sha256:')) return image.split('@')[1];
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastPart.lastIndexOf(':');
  return colon < 0 ? undefined : lastPart.slice(colon + 1);
}

// ---- Dockerfile helpers ------------------------------------------------------------------------

interface Instruction {
  keyword: string;
  args: string;
}
interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

/** Splits a Dockerfile into instructions (continuations joined, comments dropped) grouped by stage. */
function parseDockerfile(text: string): Stage[] {
  const instructions: Instruction[] = [];
  let pending = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (pending !== '' && line.startsWith('#')) continue; // comments inside a continuation
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trimEnd()} `;
      continue;
    }
    const full = `${pending}${line}`.trim();
    pending = '';
    if (full === '') continue;
    const space = full.search(/\s/);
    instructions.push({
      keyword: (space < 0 ? full : full.slice(0, space)).toUpperCase(),
      args: space < 0 ? '' : full.slice(space + 1).trim(),
    });
  }
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const words = instruction.args.split(/\s+/).filter((w) => !w.startsWith('--'));
      const as = words.findIndex((w) => w.toUpperCase() === 'AS');
      stages.push({ from: words[0], name: as < 0 ? undefined : words[as + 1], instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return stages;
}

/** The stage itself followed by the stages it is built FROM, nearest first. */
function lineage(stages: Stage[], index: number): Stage[] {
  const stage = stages[index];
  const parent = stages.findIndex((s, i) => i < index && s.name === stage.from);
  return parent < 0 ? [stage] : [stage, ...lineage(stages, parent)];
}

/** The user a stage runs as: its last USER, else its parent stage's, else the base image's root. */
function effectiveUser(stages: Stage[], index: number): string {
  for (const stage of lineage(stages, index)) {
    const users = stage.instructions.filter((i) => i.keyword === 'USER');
    if (users.length > 0) return users[users.length - 1].args.split(':')[0];
  }
  return 'root';
}

function instructionsOf(stages: Stage[], index: number, keyword: string): Instruction[] {
  return lineage(stages, index)
    .reverse()
    .flatMap((s) => s.instructions.filter((i) => i.keyword === keyword));
}

// ---- The files under test ----------------------------------------------------------------------

const compose = asDict(
  parse(readFileSync(resolve(ROOT, 'docker-compose.yml'), 'utf8')),
  'docker-compose.yml',
);
const services = asDict(compose.services, 'services');
const service = (name: string): Dict => asDict(services[name], `services.${name}`);
const dockerfileText = readFileSync(resolve(ROOT, 'Dockerfile'), 'utf8');
const stages = parseDockerfile(dockerfileText);
const finalIndex = stages.length - 1;

describe('the test helpers', () => {
  it.each([
    ['${A:-x}', {}, 'x'],
    ['${A:-x}', { A: 'y' }, 'y'],
    ['${A:-x}', { A: '' }, 'x'],
    ['${A-x}', { A: '' }, ''],
    ['$$A ${B}', { B: 'b' }, '$A b'],
    ['a:${P:-3000}:3000', {}, 'a:3000:3000'],
  ] as [string, Record<string, string>, string][])('interpolates %s with %j as %s', (text, env, expected) => {
    expect(interpolate(text, env)).toBe(expected);
  });

  it('rejects a missing required variable as compose does', () => {
    expect(() => interpolate('${K:?set K}', {})).toThrow('required variable K');
    expect(() => interpolate('${K:?set K}', { K: '' })).toThrow('required variable K');
    expect(interpolate('${K:?set K}', { K: 'v' })).toBe('v');
  });

  it.each([
    ['postgres', undefined],
    ['postgres:latest', 'latest'],
    ['postgres:17', '17'],
    ['localhost:5000/bangfu', undefined],
    ['getmeili/meilisearch:v1.56', 'v1.56'],
  ])('reads the tag of %s as %s', (image, tag) => {
    expect(imageTag(image)).toBe(tag);
  });

  it('finds the effective user through stage inheritance and defaults to root', () => {
    const parsed = parseDockerfile(
      'FROM node AS a\nUSER node\nFROM a AS b\nRUN x \\\n  y\nFROM node\nCMD ["x"]',
    );
    expect(parsed.map((s) => s.name)).toEqual(['a', 'b', undefined]);
    expect(parsed[1].instructions).toEqual([{ keyword: 'RUN', args: 'x y' }]);
    expect(effectiveUser(parsed, 1)).toBe('node');
    expect(effectiveUser(parsed, 2)).toBe('root');
  });

  it('reads short and long port syntax', () => {
    expect(
      portsOf({
        ports: ['3000', '8080:3000', '127.0.0.1:${P:-9}:3000/tcp', { target: 3000, published: 80 }],
      }),
    ).toEqual([
      { target: 3000 },
      { target: 3000, published: 8080 },
      { target: 3000, published: 9 },
      { target: 3000, published: 80 },
    ]);
  });
});

describe('docker-compose.yml', () => {
  it('defines the five services', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(SERVICES));
  });

  it.each([
    ['postgres', /^postgres:\d+(\.\d+)?(-[a-z0-9.]+)?$/],
    ['redis', /^redis:\d+\.\d+(\.\d+)?(-[a-z0-9.]+)?$/],
    // A Meilisearch database is tied to the minor version that wrote it.
    ['meilisearch', /^getmeili\/meilisearch:v1\.\d+(\.\d+)?$/],
  ])('pins the %s image to a version', (name, pattern) => {
    const image = String(service(name).image);
    expect(imageTag(image)).toBeDefined();
    expect(imageTag(image)).not.toBe('latest');
    expect(image).not.toContain('$');
    expect(image).toMatch(pattern);
  });

  it.each(SERVICES)('gives %s a healthcheck with a test command', (name) => {
    const healthcheck = asDict(service(name).healthcheck, `${name}.healthcheck`);
    expect(healthcheck.disable).not.toBe(true);
    const test = healthcheck.test;
    if (Array.isArray(test)) {
      expect(['CMD', 'CMD-SHELL']).toContain(test[0]);
      expect(test.length).toBeGreaterThan(1);
      expect(test.slice(1).join(' ').trim()).not.toBe('');
    } else {
      expect(typeof test).toBe('string');
      expect(String(test).trim()).not.toBe('');
    }
  });

  it('checks each store with its own tool', () => {
    const testOf = (name: string) => [asDict(service(name).healthcheck, name).test].flat().join(' ');
    expect(testOf('postgres')).toContain('pg_isready');
    expect(testOf('redis')).toMatch(/redis-cli\b.*\bping/);
    expect(testOf('meilisearch')).toMatch(/(curl|wget).*:7700\/health/);
    expect(testOf('api')).toMatch(/\/health\b/);
    expect(testOf('worker')).toContain('dist/worker.js');
  });

  it('keeps the stores on named volumes declared at the top level', () => {
    const declared = Object.keys(asDict(compose.volumes, 'volumes'));
    for (const [name, path] of [
      ['postgres', '/var/lib/postgresql/data'],
      ['redis', '/data'],
      ['meilisearch', '/meili_data'],
    ]) {
      const mounts = (service(name).volumes ?? []) as unknown[];
      const named = mounts.map(String).find((m) => m.split(':')[1] === path);
      expect(named).toBeDefined();
      expect(declared).toContain(String(named).split(':')[0]);
    }
  });

  it('shares one named volume for evidence files between api and worker, where the image stores them', () => {
    const declared = Object.keys(asDict(compose.volumes, 'volumes'));
    const dockerfile = readFileSync(resolve(ROOT, 'Dockerfile'), 'utf8');
    const storeDir = /ENV BANGFU__STORAGE__LOCAL_DIR=(\S+)/.exec(dockerfile)?.[1];
    expect(storeDir).toBeDefined();
    expect(dockerfile).toContain(`chown node:node ${storeDir}`);
    const mountOf = (name: string) =>
      ((service(name).volumes ?? []) as unknown[]).map(String).find((m) => m.split(':')[1] === storeDir);
    expect(mountOf('api')).toBeDefined();
    expect(mountOf('worker')).toBe(mountOf('api'));
    expect(declared).toContain(String(mountOf('api')).split(':')[0]);
  });

  describe.each(APPS)('%s', (name) => {
    const app = () => service(name);
    const env = () => environmentOf(app());
    const url = (variable: string) => new URL(interpolate(env()[variable] ?? '', REQUIRED_ENV));

    it('is built from the repository Dockerfile, up to its final stage', () => {
      const build = buildOf(app());
      expect(build.context).toBe('.');
      expect(build.dockerfile).toBe('Dockerfile');
      expect(existsSync(resolve(ROOT, build.context, build.dockerfile))).toBe(true);
      if (build.target !== undefined) expect(build.target).toBe(stages[finalIndex].name);
    });

    it('runs in production mode', () => {
      expect(env().NODE_ENV).toBe('production');
    });

    it('reaches PostgreSQL at postgres:5432 with the credentials the postgres service is created with', () => {
      const db = url('DATABASE_URL');
      const pg = environmentOf(service('postgres'));
      expect(db.protocol).toMatch(/^postgres(ql)?:$/);
      expect(db.hostname).toBe('postgres');
      expect(db.port).toBe('5432');
      expect(decodeURIComponent(db.username)).toBe(interpolate(pg.POSTGRES_USER, REQUIRED_ENV));
      expect(decodeURIComponent(db.password)).toBe(interpolate(pg.POSTGRES_PASSWORD, REQUIRED_ENV));
      expect(db.pathname).toBe(`/${interpolate(pg.POSTGRES_DB, REQUIRED_ENV)}`);
    });

    it('reaches Redis at redis:6379', () => {
      const redis = url('REDIS_URL');
      expect(redis.protocol).toBe('redis:');
      expect(redis.hostname).toBe('redis');
      expect(redis.port).toBe('6379');
    });

    it('reaches Meilisearch at meilisearch:7700 with the scoped key meili-key wrote, never the master key', () => {
      const meili = url('MEILI_URL');
      expect(meili.protocol).toBe('http:');
      expect(meili.hostname).toBe('meilisearch');
      expect(meili.port).toBe('7700');
      const masterKey = environmentOf(service('meilisearch')).MEILI_MASTER_KEY;
      expect(masterKey).toBeTruthy();
      const values = Object.values(env());
      expect(values).not.toContain(masterKey);
      expect(env().MEILI_MASTER_KEY).toBeUndefined();
      expect(env().MEILI_API_KEY).toBeUndefined();
      // The key file lies in the volume meili-key writes, mounted read-only here.
      const keyFile = env().MEILI_API_KEY_FILE;
      expect(keyFile).toBe(environmentOf(service('meili-key')).MEILI_API_KEY_FILE);
      const mount = ((app().volumes ?? []) as unknown[])
        .map(String)
        .find((m) => keyFile.startsWith(`${m.split(':')[1]}/`));
      expect(mount?.split(':')).toEqual(['meili-key', '/run/bangfu-meili', 'ro']);
    });

    it('starts only after meili-key created the key', () => {
      expect(dependsOn(app())['meili-key']).toBe('service_completed_successfully');
    });

    it('requires the personal-data encryption key from the environment, with no default', () => {
      const raw = env().BANGFU__CRYPTO__KEYS;
      expect(raw).toMatch(/^\$\{BANGFU_CRYPTO_KEYS:\?[^}]+\}$/);
      expect(() => interpolate(raw, {})).toThrow('BANGFU_CRYPTO_KEYS');
      expect(interpolate(raw, REQUIRED_ENV)).toBe(REQUIRED_ENV.BANGFU_CRYPTO_KEYS);
    });

    it('requires the blind-index key from the environment, with no default', () => {
      const raw = env().BANGFU__CRYPTO__BLIND_INDEX_KEY;
      expect(raw).toMatch(/^\$\{BANGFU_CRYPTO_BLIND_INDEX_KEY:\?[^}]+\}$/);
      expect(() => interpolate(raw, { BANGFU_CRYPTO_KEYS: 'k' })).toThrow('BANGFU_CRYPTO_BLIND_INDEX_KEY');
      expect(interpolate(raw, REQUIRED_ENV)).toBe(REQUIRED_ENV.BANGFU_CRYPTO_BLIND_INDEX_KEY);
    });

    it('requires the access-token secret from the environment, with no default', () => {
      const raw = env().AUTH_TOKEN_SECRET;
      expect(raw).toMatch(/^\$\{BANGFU_AUTH_TOKEN_SECRET:\?[^}]+\}$/);
      expect(() => interpolate(raw, { BANGFU_CRYPTO_KEYS: 'k', BANGFU_CRYPTO_BLIND_INDEX_KEY: 'b' })).toThrow(
        'BANGFU_AUTH_TOKEN_SECRET',
      );
      expect(interpolate(raw, REQUIRED_ENV)).toBe(REQUIRED_ENV.BANGFU_AUTH_TOKEN_SECRET);
    });

    it('encrypts under key k1 unless BANGFU_CRYPTO_ACTIVE_KEY_ID names another keyring entry', () => {
      const raw = env().BANGFU__CRYPTO__ACTIVE_KEY_ID;
      expect(interpolate(raw, REQUIRED_ENV)).toBe('k1');
      expect(interpolate(raw, { ...REQUIRED_ENV, BANGFU_CRYPTO_ACTIVE_KEY_ID: 'k2' })).toBe('k2');
    });

    it('starts only once postgres, redis and meilisearch are healthy', () => {
      const deps = dependsOn(app());
      expect(Object.keys(deps)).toEqual(expect.arrayContaining([...STORES]));
      for (const [dependency, condition] of Object.entries(deps)) {
        expect(Object.keys(services)).toContain(dependency);
        if (dependency === 'meili-key') continue; // a one-shot: completed, not healthy
        expect({ dependency, condition }).toEqual({ dependency, condition: 'service_healthy' });
      }
    });
  });

  describe('meili-key (one-shot)', () => {
    const keyService = () => service('meili-key');

    it('runs the key command of the app image once, with the master key, after meilisearch is healthy', () => {
      expect(buildOf(keyService())).toEqual(buildOf(service('api')));
      expect(keyService().command).toEqual(['node', 'dist/infra/search/meilisearch/meili-key.cli.js']);
      expect(existsSync(resolve(ROOT, 'src/infra/search/meilisearch/meili-key.cli.ts'))).toBe(true);
      expect(keyService().restart).toBe('no');
      const env = environmentOf(keyService());
      expect(env.MEILI_MASTER_KEY).toBe(environmentOf(service('meilisearch')).MEILI_MASTER_KEY);
      expect(new URL(env.MEILI_URL).hostname).toBe('meilisearch');
      expect(dependsOn(keyService())).toEqual({ meilisearch: 'service_healthy' });
      expect(keyService().ports).toBeUndefined();
    });

    it('writes into a named volume declared at the top level, in a directory the image gives the app user', () => {
      const mount = ((keyService().volumes ?? []) as unknown[]).map(String);
      expect(mount).toEqual(['meili-key:/run/bangfu-meili']);
      expect(Object.keys(compose.volumes as Dict)).toContain('meili-key');
      expect(dockerfileText).toMatch(/mkdir -p \/run\/bangfu-meili && chown node:node \/run\/bangfu-meili/);
    });
  });

  it('runs the api and the worker from one image with the same settings', () => {
    expect(buildOf(service('worker'))).toEqual(buildOf(service('api')));
    expect(service('api').image).toBeDefined();
    expect(service('worker').image).toBe(service('api').image);
    expect(environmentOf(service('worker'))).toEqual(environmentOf(service('api')));
  });

  it('starts the HTTP API in the api and the job consumers in the worker', () => {
    const command = (name: string) => [service(name).command].flat().join(' ');
    expect(command('api')).toBe('node dist/main.js');
    expect(command('worker')).toBe('node dist/worker.js');
  });

  it('publishes the API on port 3000 and no store (their default credentials are for the compose network only)', () => {
    expect(portsOf(service('api'), REQUIRED_ENV)).toContainEqual({ target: 3000, published: 3000 });
    for (const name of [...STORES, 'worker']) expect(service(name).ports).toBeUndefined();
  });
});

describe('Dockerfile', () => {
  it('is multi-stage', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(dockerfileText.match(/^\s*FROM\s/gim)?.length).toBe(stages.length);
  });

  it('builds every stage on node:24-bookworm-slim (the current LTS)', () => {
    const external = stages.map((s) => s.from).filter((from) => !stages.some((s) => s.name === from));
    expect(new Set(external)).toEqual(new Set(['node:24-bookworm-slim']));
  });

  it('ends on a non-root user', () => {
    const user = effectiveUser(stages, finalIndex);
    expect(user).not.toBe('root');
    expect(user).not.toBe('0');
    const lastUser = stages[finalIndex].instructions.filter((i) => i.keyword === 'USER').pop();
    expect(lastUser?.args).toBe('node');
  });

  it('has a HEALTHCHECK on /health in the final stage', () => {
    const checks = stages[finalIndex].instructions.filter((i) => i.keyword === 'HEALTHCHECK');
    expect(checks).toHaveLength(1);
    expect(checks[0].args).toMatch(/\bCMD\b/);
    expect(checks[0].args).not.toMatch(/^NONE\b/);
    expect(checks[0].args).toContain('/health');
  });

  it('copies config/ and the compiled dist/ into the final stage', () => {
    const copies = stages[finalIndex].instructions.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD');
    const sources = copies
      .filter((c) => !/--from=/.test(c.args))
      .flatMap((c) => {
        const words: string[] = c.args.startsWith('[')
          ? JSON.parse(c.args)
          : c.args.split(/\s+/).filter((w) => !w.startsWith('--'));
        return words.slice(0, -1).map((w) => w.replace(/^\.\//, '').replace(/\/$/, ''));
      });
    expect(sources).toContain('config');
    const buildStages = stages.slice(0, finalIndex).map((s) => s.name);
    const dist = copies.find((c) => /--from=(\S+)/.test(c.args) && /\/dist\b/.test(c.args));
    expect(dist).toBeDefined();
    expect(buildStages).toContain(/--from=(\S+)/.exec(String(dist?.args))?.[1]);
  });

  it('installs production dependencies only in the final image and builds in an earlier stage', () => {
    const runs = instructionsOf(stages, finalIndex, 'RUN').map((r) => r.args);
    const installs = runs.filter((r) => /\bnpm (ci|install)\b(?!\s+--global)/.test(r));
    expect(installs.length).toBeGreaterThan(0);
    for (const install of installs) expect(install).toMatch(/npm ci\b.*--omit=dev/);
    expect(runs.some((r) => r.includes('npm run build'))).toBe(false);
    const earlier = stages.slice(0, finalIndex).flatMap((s) => s.instructions.map((i) => i.args));
    expect(earlier.some((a) => /npm ci(?!.*--omit)/.test(a))).toBe(true);
    expect(earlier.some((a) => a.includes('npm run build'))).toBe(true);
  });

  it('sets NODE_ENV=production and starts the HTTP API by default', () => {
    const envs = instructionsOf(stages, finalIndex, 'ENV').map((e) => e.args);
    expect(envs.some((e) => /\bNODE_ENV=production\b/.test(e))).toBe(true);
    const cmd = stages[finalIndex].instructions.filter((i) => i.keyword === 'CMD').pop();
    expect(JSON.parse(String(cmd?.args))).toEqual(['node', 'dist/main.js']);
  });

  it('runs in China time (TZ), the zone the cron schedules are read in by default', () => {
    const envs = instructionsOf(stages, finalIndex, 'ENV').map((e) => e.args);
    expect(envs.some((e) => /\bTZ=Asia\/Shanghai\b/.test(e))).toBe(true);
  });
});
