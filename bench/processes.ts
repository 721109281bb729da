/**
 * Child processes for the benchmarks: the app under test and the bare Fastify baseline each run in a
 * process of their own, so neither shares an event loop with the load generator.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export interface Child {
  name: string;
  process: ChildProcess;
  /** Where its stdout and stderr go (read back when it fails). */
  logFile: string;
  /** Ctrl-C: SIGINT to its whole process group, then wait for it to exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
  /** Rejects once the process exits (for races against readiness). */
  exited: Promise<never>;
}

/** The environment the bench itself was started with, handed on to the processes it starts. */
export function inheritedEnv(overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
  // eslint-disable-next-line no-restricted-properties -- a child process is given the bench's environment
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** The last lines of a child's log, for an error message. */
export function logTail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Starts `command` in its own process group, stdout and stderr appended to `logFile`. */
export function startChild(
  name: string,
  command: string,
  args: string[],
  options: {
    cwd: string;
    env: NodeJS.ProcessEnv;
    logFile: string;
    /** An IPC channel to the child (for `ask`: the api bench's profiler probe). */
    ipc?: boolean;
  },
): Child {
  const fd = openSync(options.logFile, 'a');
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: options.ipc ? ['ignore', fd, fd, 'ipc'] : ['ignore', fd, fd],
    detached: true,
  });
  closeSync(fd);
  let exitCode: number | null | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exitCode = code ?? (signal ? -1 : 0);
      resolve();
    }),
  );
  const exited = exit.then(() => {
    throw new Error(
      `${name} exited (code ${exitCode}); log ${options.logFile}:\n${logTail(options.logFile)}`,
    );
  });
  exited.catch(() => undefined); // only an error for whoever races against it
  const signal = (sig: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, sig);
    } catch {
      // the group is gone already
    }
  };
  return {
    name,
    process: child,
    logFile: options.logFile,
    exited,
    async stop(graceMs = 30_000) {
      if (exitCode !== undefined) return;
      signal('SIGINT');
      const timer = setTimeout(() => signal('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
      // What the app started (the embedded PostgreSQL) may outlive it for a moment.
      for (let i = 0; i < 100 && groupAlive(child.pid); i++) await sleep(100);
      if (groupAlive(child.pid)) signal('SIGKILL');
    },
  };
}

function groupAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

let lastQuestion = 0;

/**
 * Sends `message` over the child's IPC channel with a fresh `id` and resolves with its answer (the
 * message whose `probeReply` is that id); rejects on an `error` answer, on timeout or if the child exits.
 */
export function ask<T extends object>(
  child: Child,
  message: Record<string, unknown>,
  timeoutMs = 60_000,
): Promise<T> {
  const id = ++lastQuestion;
  const process = child.process;
  return Promise.race([
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        process.off('message', onMessage);
        reject(new Error(`${child.name}: no answer to ${JSON.stringify(message)} in ${timeoutMs} ms`));
      }, timeoutMs);
      const onMessage = (reply: unknown) => {
        const answer = reply as { probeReply?: number; error?: string } & T;
        if (answer?.probeReply !== id) return;
        clearTimeout(timer);
        process.off('message', onMessage);
        if (answer.error) reject(new Error(`${child.name}: ${answer.error}`));
        else resolve(answer);
      };
      process.on('message', onMessage);
      process.send({ ...message, id });
    }),
    child.exited,
  ]);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `base + path` for each path in turn until one answers 200; a path answering 404 (not there in
 * this version of the app) is dropped and the next one is tried. Returns the path that answered.
 */
export async function waitUntilHealthy(
  base: string,
  paths: string[],
  child: Child,
  timeoutMs: number,
  intervalMs = 25,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  const candidates = [...paths];
  const poll = async (): Promise<string> => {
    while (Date.now() < deadline) {
      const path = candidates[0];
      try {
        const response = await fetch(base + path, { signal: AbortSignal.timeout(2_000) });
        await response.arrayBuffer();
        if (response.status === 200) return path;
        if (response.status === 404 && candidates.length > 1) {
          candidates.shift();
          continue;
        }
      } catch {
        // not listening yet
      }
      await sleep(intervalMs);
    }
    throw new Error(
      `${child.name}: not healthy after ${timeoutMs} ms (${paths.join(', ')}); log ${child.logFile}`,
    );
  };
  return Promise.race([poll(), child.exited]);
}
