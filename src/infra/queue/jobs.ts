/**
 * The typed job catalogue. Adding a job: a JobName, its payload in JobPayloads, its queue in
 * JOB_QUEUE, and one `@JobHandler(JobName.X)` method; the compiler insists on the first three
 * (JobQueue indexes JobPayloads by JobName), start-up insists on the handler.
 *
 * Payloads carry ids and an operation only, never records or personal data: handlers re-read
 * PostgreSQL and must be idempotent (a job can run more than once).
 */

export enum QueueName {
  search = 'search',
  maintenance = 'maintenance',
}

export enum JobName {
  /** Relays pending outbox rows to the search engine. */
  OutboxRelay = 'search.relay-outbox',
}

export interface JobPayloads {
  /** Reads the outbox itself: nothing to carry. */
  [JobName.OutboxRelay]: Record<string, never>;
}

export const JOB_QUEUE: Readonly<Record<JobName, QueueName>> = {
  [JobName.OutboxRelay]: QueueName.search,
};
