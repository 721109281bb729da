import { Injectable } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { ConfigModule } from '../../config';
import { testConfig } from '../../../test/helpers/test-env';
import { InProcessDriver } from './in-process.driver';
import { JOB_CATALOG, JobHandler, JobHandlerRegistrationError } from './job-handler';
import { JobQueue } from './job-queue.service';
import { JobWorkerService } from './job-worker.service';
import { JOB_QUEUE, JobName, QueueName } from './jobs';
import { QueueModule } from './queue.module';
import { JobContext, QUEUE_DRIVER, QueueDriver } from './queue.port';

const config = testConfig({ redis: { url: undefined }, worker: { concurrency: 2 } });

/** Test job names, outside the production catalogue so these tests do not change when jobs are added. */
const A = 'test.a' as JobName;
const B = 'test.b' as JobName;
const TEST_CATALOG = { 'test.a': 'test-q', 'test.b': 'test-q' };

async function boot(
  providers: (new (...args: never[]) => unknown)[],
  options: { catalog?: Record<string, string>; driver?: QueueDriver } = {},
): Promise<TestingModule> {
  let builder = Test.createTestingModule({
    imports: [ConfigModule.forRoot(config), QueueModule.forRoot()],
    providers,
  });
  if (options.catalog) builder = builder.overrideProvider(JOB_CATALOG).useValue(options.catalog);
  if (options.driver) builder = builder.overrideProvider(QUEUE_DRIVER).useValue(options.driver);
  const moduleRef = await builder.compile();
  try {
    await moduleRef.init();
  } catch (error) {
    await moduleRef.close();
    throw error;
  }
  return moduleRef;
}

function capture(): {
  lines: string[];
  logger: { log(m: string): void; warn(m: string): void; error(m: string): void };
} {
  const lines: string[] = [];
  const push = (m: string): void => void lines.push(m);
  return { lines, logger: { log: push, warn: push, error: push } };
}

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('waitFor timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('JobWorkerService', () => {
  it('refuses to start when a declared job has no handler', async () => {
    await expect(boot([])).rejects.toThrow(JobHandlerRegistrationError);
    await expect(boot([])).rejects.toThrow(`任务 ${JobName.OutboxRelay} 没有处理器`);
  });

  it('refuses to start when a job has two handlers', async () => {
    @Injectable()
    class First {
      @JobHandler(A)
      async run(): Promise<void> {}
      @JobHandler(B)
      async other(): Promise<void> {}
    }
    @Injectable()
    class Second {
      @JobHandler(A)
      async again(): Promise<void> {}
    }
    await expect(boot([First, Second], { catalog: TEST_CATALOG })).rejects.toThrow(
      /任务 test\.a 有多个处理器 \(duplicate handlers\): First\.run, Second\.again/,
    );
  });

  it('dispatches each job to its handler by name, retrying a failing handler per policy', async () => {
    const calls: { handler: string; payload: unknown; context: JobContext; started: boolean }[] = [];
    let started = false;
    @Injectable()
    class Handlers {
      @JobHandler(A)
      async handleA(payload: unknown, context: JobContext): Promise<void> {
        calls.push({ handler: 'A', payload, context, started });
      }
      @JobHandler(B)
      async handleB(payload: unknown, context: JobContext): Promise<void> {
        calls.push({ handler: 'B', payload, context, started });
        if (context.attempt === 1) throw new Error('首次失败');
      }
    }
    const { logger } = capture();
    const driver = new InProcessDriver(logger);
    const moduleRef = await boot([Handlers], { catalog: TEST_CATALOG, driver });
    try {
      const worker = moduleRef.get(JobWorkerService);
      expect(worker.consuming).toBe(false);
      await driver.enqueue('test-q', A, { id: 'a-1' });
      // Every handler run records whether startConsumers() had been called: nothing runs before it,
      // shown without waiting for a moment in which it might have.
      started = true;
      await worker.startConsumers();
      await worker.startConsumers(); // idempotent
      await driver.enqueue('test-q', B, { id: 'b-1' }, { retry: { attempts: 2 } });
      await waitFor(() => calls.length === 3);
      expect(calls.map((c) => [c.handler, c.payload, c.context.attempt, c.started])).toEqual([
        ['A', { id: 'a-1' }, 1, true],
        ['B', { id: 'b-1' }, 1, true],
        ['B', { id: 'b-1' }, 2, true],
      ]);
    } finally {
      await moduleRef.close();
    }
  });

  it('consumes the matching queue one job at a time, the others at worker.concurrency', async () => {
    @Injectable()
    class Handlers {
      @JobHandler(A)
      async a(): Promise<void> {}
      @JobHandler(B)
      async b(): Promise<void> {}
    }
    const { logger } = capture();
    const driver = new InProcessDriver(logger);
    const consumed: [string, number][] = [];
    const consume = driver.consume.bind(driver);
    driver.consume = (queue, processor, concurrency) => {
      consumed.push([queue, concurrency]);
      return consume(queue, processor, concurrency);
    };
    const catalog = { 'test.a': QueueName.matching, 'test.b': 'test-q' };
    const moduleRef = await boot([Handlers], { catalog, driver });
    try {
      await moduleRef.get(JobWorkerService).startConsumers();
      expect(consumed.sort()).toEqual([
        [QueueName.matching, 1],
        ['test-q', 2],
      ]);
    } finally {
      await moduleRef.close();
    }
  });

  it('fails an unknown job name for good, loudly', async () => {
    let runs = 0;
    @Injectable()
    class Handlers {
      @JobHandler(A)
      async a(): Promise<void> {
        runs += 1;
      }
      @JobHandler(B)
      async b(): Promise<void> {
        runs += 1;
      }
    }
    const { lines, logger } = capture();
    const driver = new InProcessDriver(logger);
    const moduleRef = await boot([Handlers], { catalog: TEST_CATALOG, driver });
    try {
      await moduleRef.get(JobWorkerService).startConsumers();
      await driver.enqueue('test-q', 'test.unknown', {}, { jobId: 'unknown', retry: { attempts: 5 } });
      await waitFor(() => lines.some((line) => line.includes('没有处理器')));
      // Over for good, not waiting for a retry: its jobId is free again (a pending retry would hold it).
      expect((await driver.enqueue('test-q', 'test.a', {}, { jobId: 'unknown' })).duplicate).toBe(false);
      await waitFor(() => runs === 1);
      expect(lines.filter((line) => line.includes('test.unknown'))).toEqual([
        expect.stringMatching(
          /队列 test-q 中的任务 test\.unknown 没有处理器 \(unknown job name\); 不再重试 \(giving up\)$/,
        ),
      ]);
      expect(runs).toBe(1);
    } finally {
      await moduleRef.close();
    }
  });

  it('uses the in-process driver without redis.url, and closes it on shutdown', async () => {
    @Injectable()
    class Relay {
      @JobHandler(JobName.OutboxRelay)
      async relay(): Promise<void> {}
    }
    const moduleRef = await boot([Relay], { catalog: { [JobName.OutboxRelay]: QueueName.search } });
    const driver = moduleRef.get<QueueDriver>(QUEUE_DRIVER);
    expect(driver.name).toBe('in-process');
    await expect(moduleRef.get(JobQueue).health()).resolves.toEqual({ ok: true, driver: 'in-process' });
    await moduleRef.close();
    expect((await driver.health()).ok).toBe(false);
  });
});

describe('JobQueue', () => {
  it('routes each job name to its queue', async () => {
    const calls: unknown[][] = [];
    const driver = {
      enqueue: async (...args: unknown[]) => {
        calls.push(['enqueue', ...args]);
        return { id: '1', duplicate: false };
      },
      schedule: async (...args: unknown[]) => void calls.push(['schedule', ...args]),
      unschedule: async (...args: unknown[]) => void calls.push(['unschedule', ...args]),
    } as unknown as QueueDriver;
    const jobs = new JobQueue(driver);
    await jobs.enqueue(JobName.OutboxRelay, {}, { jobId: 'relay' });
    await jobs.schedule(JobName.OutboxRelay, {}, { key: 'relay-poll', everyMs: 1000 });
    await jobs.unschedule(JobName.OutboxRelay, 'relay-poll');
    const queue = JOB_QUEUE[JobName.OutboxRelay];
    expect(queue).toBe(QueueName.search);
    expect(calls).toEqual([
      ['enqueue', queue, JobName.OutboxRelay, {}, { jobId: 'relay' }],
      ['schedule', queue, JobName.OutboxRelay, {}, { key: 'relay-poll', everyMs: 1000 }],
      ['unschedule', queue, 'relay-poll'],
    ]);
  });
});
