import type { INestApplicationContext } from '@nestjs/common';
import { Clock } from './common/clock/clock';
import { JobWorkerService } from './infra/queue/job-worker.service';
import { AuditService } from './modules/audit/audit.service';

/** Who runs a job by hand, in the audit log: the system, as when the schedule runs it. */
export const SYSTEM_ACTOR = { kind: 'system', username: 'system' } as const;
export const JOB_RUN_AUDIT_ACTION = 'job.run';

export interface JobRunReport {
  job: string;
  outcome: 'success' | 'failure';
  durationMs: number;
  error?: string;
}

export class UnknownJobError extends Error {
  constructor(
    readonly job: string,
    readonly known: string[],
  ) {
    super(`没有名为 ${job} 的任务；可运行的任务: ${known.join(', ')}`);
    this.name = 'UnknownJobError';
  }
}

/**
 * Runs the scheduled job `name` once, now (`npm run jobs:run -- <name>`): after the holiday calendar is
 * corrected, an activation after 公示 need not wait for the night, and demos need not wait at all. The
 * job does exactly what its schedule would (each handler finds its own work and is idempotent), and
 * what it changes is audited as the scheduled run audits it, as the system. The run itself is audited
 * too (`job.run`, actor `system`), with its outcome and the operating-system account that started it.
 */
export async function runJobOnce(
  app: INestApplicationContext,
  name: string,
  operator: string,
): Promise<JobRunReport> {
  const jobs = app.get(JobWorkerService);
  const known = jobs.jobNames();
  if (!known.includes(name)) throw new UnknownJobError(name, known);
  const clock = app.get(Clock);
  const audit = app.get(AuditService);
  const started = clock.now().getTime();
  let report: JobRunReport;
  try {
    await jobs.runNow(name);
    report = { job: name, outcome: 'success', durationMs: clock.now().getTime() - started };
  } catch (error) {
    report = {
      job: name,
      outcome: 'failure',
      durationMs: clock.now().getTime() - started,
      error: error instanceof Error ? error.name : 'Error',
    };
    await audit.record({
      action: JOB_RUN_AUDIT_ACTION,
      outcome: 'failure',
      actor: SYSTEM_ACTOR,
      target: { type: 'job', id: name },
      details: { trigger: 'manual', operator, durationMs: report.durationMs, error: report.error },
    });
    throw error;
  }
  await audit.record({
    action: JOB_RUN_AUDIT_ACTION,
    outcome: 'success',
    actor: SYSTEM_ACTOR,
    target: { type: 'job', id: name },
    details: { trigger: 'manual', operator, durationMs: report.durationMs },
  });
  return report;
}
