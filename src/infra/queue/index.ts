export * from './queue.port';
export * from './jobs';
export { JobHandler, JobHandlerRegistrationError } from './job-handler';
export type { JobHandlerMethod } from './job-handler';
export { JobQueue } from './job-queue.service';
export { JobWorkerService } from './job-worker.service';
export { QueueModule, createQueueDriver } from './queue.module';
