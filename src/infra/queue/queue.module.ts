import { BeforeApplicationShutdown, DynamicModule, Global, Inject, Injectable, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AppConfig } from '../../config';
import type * as BullMq from './bullmq.driver';
import { InProcessDriver } from './in-process.driver';
import { JOB_CATALOG } from './job-handler';
import { JobQueue } from './job-queue.service';
import { JobWorkerService } from './job-worker.service';
import { JOB_QUEUE } from './jobs';
import { QUEUE_DRIVER, QueueDriver } from './queue.port';

/**
 * `redis.url` set → BullMQ; unset → in-process. The BullMQ driver (with bullmq and ioredis, about 200
 * modules) is loaded only when it is used: every start without Redis would otherwise pay for loading it.
 */
export function createQueueDriver(config: AppConfig): QueueDriver {
  const timeZone = config.worker.timeZone;
  if (!config.redis.url) return new InProcessDriver(undefined, { timeZone });
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand (see above)
  const { BullMqDriver } = require('./bullmq.driver') as typeof BullMq;
  return new BullMqDriver({ url: config.redis.url, prefix: config.redis.prefix, timeZone });
}

@Injectable()
class QueueLifecycle implements BeforeApplicationShutdown {
  constructor(@Inject(QUEUE_DRIVER) private readonly driver: QueueDriver) {}

  /** Before, not on, shutdown: running jobs still need the database, closed on application shutdown. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.driver.close();
  }
}

/** Jobs: the typed JobQueue for producers, JobWorkerService for the entry points that consume. */
@Global()
@Module({})
export class QueueModule {
  static forRoot(): DynamicModule {
    return {
      module: QueueModule,
      imports: [DiscoveryModule],
      providers: [
        { provide: QUEUE_DRIVER, inject: [AppConfig], useFactory: createQueueDriver },
        { provide: JOB_CATALOG, useValue: JOB_QUEUE },
        JobQueue,
        JobWorkerService,
        QueueLifecycle,
      ],
      exports: [QUEUE_DRIVER, JobQueue, JobWorkerService],
    };
  }
}
