import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../src/database/embedded-postgres';
import { processEnv } from '../../src/config/load-config';

const ROOT = resolve(__dirname, '..', '..');

/** What `npm start` does on a bare machine: no DATABASE_URL, REDIS_URL or MEILI_URL. */
function startApp(dataDir: string, port: number): ChildProcess {
  const env: Record<string, string | undefined> = {
    ...processEnv(),
    PG_DATA_DIR: dataDir,
    PORT: String(port),
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
  };
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'MEILI_URL', 'MEILI_API_KEY']) delete env[name];
  return spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
    cwd: ROOT,
    env,
    stdio: 'pipe',
  });
}

function capture(child: ChildProcess): { text: string } {
  const out = { text: '' };
  child.stdout?.on('data', (c) => (out.text += c));
  child.stderr?.on('data', (c) => (out.text += c));
  return out;
}

async function waitForHealth(port: number, child: ChildProcess, out: { text: string }) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`app exited ${child.exitCode}: ${out.text}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      return { status: res.status, body: await res.json() };
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`no /health within 60 s: ${out.text}`);
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((r) =>
    child.exitCode !== null ? r(child.exitCode) : child.on('exit', (code) => r(code)),
  );
}

describe('npm start on embedded defaults', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bangfu-start-'));
  // mkdtemp makes a 0700 directory; as root the server runs as `postgres`, which must be able to enter it.
  chmodSync(dataDir, 0o755);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts embedded PostgreSQL, answers /health, stops cleanly on SIGTERM and keeps data across restarts', async () => {
    for (const round of [1, 2]) {
      const port = await freePort();
      const child = startApp(join(dataDir, 'pg'), port);
      const out = capture(child);
      try {
        const health = await waitForHealth(port, child, out);
        expect(health.status).toBe(200);
        expect(health.body).toMatchObject({
          status: 'ok',
          // Anonymous: states only (an admin token shows kind, driver, engine and fallback).
          checks: { database: { ok: true }, queue: { ok: true }, search: { ok: true } },
        });
      } finally {
        child.kill('SIGTERM');
      }
      expect(await exitOf(child)).toBe(0);
      // PostgreSQL removes its pid file only on a clean shutdown: the cluster stopped with the app.
      expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
      // The first start creates the cluster and migrates it; the second finds both already there.
      expect(out.text.includes('已执行迁移')).toBe(round === 1);
    }
  }, 150_000);
});
