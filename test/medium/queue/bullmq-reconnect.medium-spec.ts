import { randomUUID } from 'node:crypto';
import { createConnection, createServer, Server, Socket } from 'node:net';
import { Redis } from 'ioredis';
import { BullMqDriver } from '../../../src/infra/queue/bullmq.driver';
import { testConfig } from '../../helpers/test-env';

/**
 * Redis going away while the app runs: the driver must log, report unhealthy, fail enqueue fast, and
 * carry on by itself once Redis is back. Redis is reached through a TCP proxy we can cut.
 */

const config = testConfig();
const redisUrl = config.redis.url;

if (redisUrl) {
  describe('bullmq driver when Redis goes away', () => {
    const prefix = `${config.redis.prefix}-reconnect-${randomUUID()}`;
    const logs: string[] = [];
    let proxy: TcpProxy;
    let driver: BullMqDriver;

    beforeAll(async () => {
      const target = new URL(redisUrl);
      proxy = new TcpProxy(target.hostname, Number(target.port || 6379));
      await proxy.open();
      const url = new URL(redisUrl);
      url.hostname = '127.0.0.1';
      url.port = String(proxy.port);
      const log = (message: string): void => void logs.push(message);
      driver = new BullMqDriver({ url: url.toString(), prefix, logger: { log, warn: log, error: log } });
    });

    afterAll(async () => {
      await driver.close();
      await proxy.close();
      const admin = new Redis(redisUrl);
      const keys = await admin.keys(`${prefix}:*`);
      if (keys.length > 0) await admin.del(...keys);
      await admin.quit();
    });

    it('logs, reports unhealthy, and resumes once Redis is back', async () => {
      const seen: unknown[] = [];
      await driver.consume('reconnect', async (payload) => void seen.push(payload), 1);
      await driver.enqueue('reconnect', 'reconnect.job', { n: 1 });
      await waitFor(() => seen.length === 1);
      expect((await driver.health()).ok).toBe(true);

      await proxy.cut();
      const down = await driver.health();
      expect(down.ok).toBe(false);
      expect(down.detail).toBeTruthy();
      await expect(driver.enqueue('reconnect', 'reconnect.job', { n: 2 })).rejects.toThrow();
      await waitFor(() => logs.some((line) => line.includes('ECONNREFUSED')));

      await proxy.open();
      await waitFor(async () => (await driver.health()).ok, 10_000);
      await driver.enqueue('reconnect', 'reconnect.job', { n: 3 });
      await waitFor(() => seen.length === 2, 10_000);
      expect(seen).toEqual([{ n: 1 }, { n: 3 }]);
      expect(logs.some((line) => line.includes('已恢复连接'))).toBe(true);
    }, 30_000);
  });
} else {
  describe.skip('bullmq driver when Redis goes away (skipped: REDIS_URL not set)', () => {
    it('logs, reports unhealthy, and resumes once Redis is back', () => undefined);
  });
}

/** Forwards a local port to Redis; cut() closes it and drops every connection, open() resumes on the same port. */
class TcpProxy {
  port = 0;
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly host: string,
    private readonly targetPort: number,
  ) {}

  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = createConnection(this.targetPort, this.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  close(): Promise<void> {
    return this.cut();
  }
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`条件在 ${timeoutMs} 毫秒内未满足 (waitFor timed out)`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
