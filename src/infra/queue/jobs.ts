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
  /** Batch allocations: long solves, kept off the maintenance queue (audit sealing runs every second there). */
  matching = 'matching',
}

export enum JobName {
  /** Links newly committed audit rows into the hash chain (every second). */
  AuditSeal = 'audit.seal',
  /** Relays pending outbox rows to the search engine. */
  OutboxRelay = 'search.relay-outbox',
  /** Deletes processed outbox rows older than the configured age (daily). */
  OutboxPurge = 'search.purge-outbox',
  /** Disables temporary accounts whose expiresAt has passed (daily). */
  UsersDisableExpired = 'users.disable-expired',
  /** Archives whose public notice ended without an open objection become active, numbered (daily). */
  ArchivesActivatePublicized = 'archives.activate-publicized',
  /** Temporary archives past their maximum age are cancelled (daily). */
  ArchivesCancelExpiredTemporary = 'archives.cancel-expired-temporary',
  /** Active archives not verified for too long are flagged, and unflagged once verified (daily). */
  ArchivesFlagStale = 'archives.flag-stale',
  /** Exited archives whose relapse watch (返困观察) has run out lose the `relapse_watch` flag (daily). */
  ArchivesEndRelapseWatch = 'archives.end-relapse-watch',
  /** Drafts untouched for the configured days are cancelled (daily). */
  ArchivesExpireDrafts = 'archives.expire-drafts',
  /** Open needs past their validity become expired (daily). */
  NeedsExpireOpen = 'needs.expire-open',
  /** Published or paused offers past their last valid day are closed (daily). */
  OffersExpire = 'offers.expire',
  /** Computes one batch allocation's plan (POST /allocations). */
  AllocationRun = 'matching.allocation-run',
  /** Sends pending notifications through the delivery channel (polled, and nudged after each commit). */
  NotificationsDeliver = 'notifications.deliver',
  /** One SLA step of a match's stay in a state (reminder, escalation, expiry), delayed until it is due. */
  MatchSlaStep = 'matches.sla-step',
  /** Does every SLA step a lost or early job missed (daily). */
  MatchesSlaSweep = 'matches.sla-sweep',
}

export interface JobPayloads {
  /** Reads the unsealed rows itself. */
  [JobName.AuditSeal]: Record<string, never>;
  /** Reads the outbox itself: nothing to carry. */
  [JobName.OutboxRelay]: Record<string, never>;
  /** Finds the old rows itself. */
  [JobName.OutboxPurge]: Record<string, never>;
  /** Finds the expired accounts itself. */
  [JobName.UsersDisableExpired]: Record<string, never>;
  /** Each sweep finds its archives itself. */
  [JobName.ArchivesActivatePublicized]: Record<string, never>;
  [JobName.ArchivesCancelExpiredTemporary]: Record<string, never>;
  [JobName.ArchivesFlagStale]: Record<string, never>;
  [JobName.ArchivesEndRelapseWatch]: Record<string, never>;
  [JobName.ArchivesExpireDrafts]: Record<string, never>;
  /** Finds the overdue needs itself. */
  [JobName.NeedsExpireOpen]: Record<string, never>;
  /** Finds the expired offers itself. */
  [JobName.OffersExpire]: Record<string, never>;
  /** The allocation row holds the request; a second run of a finished one does nothing. */
  [JobName.AllocationRun]: { allocationId: string };
  /** Reads the pending rows itself. */
  [JobName.NotificationsDeliver]: Record<string, never>;
  /**
   * The match's stay in `state` that began at `enteredAt` (ISO, its state_changed_at then): a job whose
   * match has moved on, or entered the state again at another time, does nothing.
   */
  [JobName.MatchSlaStep]: {
    matchId: string;
    state: string;
    enteredAt: string;
    step: 'remind-half' | 'remind' | 'escalate' | 'expire';
  };
  /** Finds the active matches itself. */
  [JobName.MatchesSlaSweep]: Record<string, never>;
}

export const JOB_QUEUE: Readonly<Record<JobName, QueueName>> = {
  [JobName.AuditSeal]: QueueName.maintenance,
  [JobName.OutboxRelay]: QueueName.search,
  [JobName.OutboxPurge]: QueueName.maintenance,
  [JobName.UsersDisableExpired]: QueueName.maintenance,
  [JobName.ArchivesActivatePublicized]: QueueName.maintenance,
  [JobName.ArchivesCancelExpiredTemporary]: QueueName.maintenance,
  [JobName.ArchivesFlagStale]: QueueName.maintenance,
  [JobName.ArchivesEndRelapseWatch]: QueueName.maintenance,
  [JobName.ArchivesExpireDrafts]: QueueName.maintenance,
  [JobName.NeedsExpireOpen]: QueueName.maintenance,
  [JobName.OffersExpire]: QueueName.maintenance,
  [JobName.AllocationRun]: QueueName.matching,
  [JobName.NotificationsDeliver]: QueueName.maintenance,
  [JobName.MatchSlaStep]: QueueName.maintenance,
  [JobName.MatchesSlaSweep]: QueueName.maintenance,
};

/**
 * Queues whose jobs may not run as many at once as `worker.concurrency` allows: one batch allocation at a
 * time per worker process (a 100k × 10k solve holds ~250 MB and a core).
 */
export const QUEUE_MAX_CONCURRENCY: Readonly<Partial<Record<string, number>>> = {
  [QueueName.matching]: 1,
};
