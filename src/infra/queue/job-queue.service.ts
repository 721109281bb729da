import { Inject, Injectable } from '@nestjs/common';
import { JOB_QUEUE, JobName, JobPayloads } from './jobs';
import {
  EnqueueOptions,
  EnqueueResult,
  QUEUE_DRIVER,
  QueueDriver,
  QueueHealth,
  RepeatOptions,
} from './queue.port';

/** The one way application code enqueues: the job name picks the queue and the payload type. */
@Injectable()
export class JobQueue {
  constructor(@Inject(QUEUE_DRIVER) private readonly driver: QueueDriver) {}

  enqueue<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    options?: EnqueueOptions,
  ): Promise<EnqueueResult> {
    return this.driver.enqueue(JOB_QUEUE[name], name, payload, options);
  }

  /** Creates or replaces (by `repeat.key`) a repeatable job. */
  schedule<N extends JobName>(name: N, payload: JobPayloads[N], repeat: RepeatOptions): Promise<void> {
    return this.driver.schedule(JOB_QUEUE[name], name, payload, repeat);
  }

  unschedule(name: JobName, key: string): Promise<void> {
    return this.driver.unschedule(JOB_QUEUE[name], key);
  }

  health(): Promise<QueueHealth> {
    return this.driver.health();
  }
}
