import { Inject, Injectable } from '@nestjs/common';
import { HolidayCalendar } from '../../common/calendar/holiday-calendar';
import { Clock } from '../../common/clock/clock';
import { AppConfig } from '../../config';
import { DatabaseProbe } from '../../database/database-probe';
import { QUEUE_DRIVER, QueueDriver } from '../../infra/queue/queue.port';
import { SEARCH_ENGINE, SearchEngine } from '../../infra/search/search-engine';
import { searchStatus } from '../../infra/search/search.module';

export interface DependencyHealth {
  ok: boolean;
  detail?: string;
  [key: string]: unknown;
}

export interface HealthReport {
  /**
   * `ok`: all up; `degraded`: serving, but on the search fallback or without this year's holiday
   * calendar (working days unreliable); `down`: cannot serve.
   */
  status: 'ok' | 'degraded' | 'down';
  /** When the dependencies were probed (a ready report is reused for `health.readyCacheMs`). */
  checkedAt: string;
  checks: {
    database: DependencyHealth;
    queue: DependencyHealth;
    search: DependencyHealth;
    /**
     * The official holiday calendar (config/holidays.yml): not ok from 1 December while next year's
     * notice is missing (a warning: still serving) and whenever this year's is (degraded).
     */
    calendar: DependencyHealth;
  };
}

/** What anyone may see: the states, never error messages, hosts or engine names. */
export function publicHealthView(report: HealthReport): HealthReport {
  const state = (check: DependencyHealth): DependencyHealth => ({ ok: check.ok });
  return {
    status: report.status,
    checkedAt: report.checkedAt,
    checks: {
      database: state(report.checks.database),
      queue: state(report.checks.queue),
      search: state(report.checks.search),
      calendar: state(report.checks.calendar),
    },
  };
}

const CHECK_TIMEOUT_MS = 3_000;

/**
 * Liveness (the process answers: no I/O, so a slow database never gets a healthy process restarted) and
 * readiness (every dependency probed, the report reused for `health.readyCacheMs` and shared by
 * concurrent callers, so polling it costs the dependencies at most one probe per period).
 */
@Injectable()
export class HealthService {
  private cached?: { report: HealthReport; at: number };
  private probing?: Promise<HealthReport>;

  constructor(
    private readonly database: DatabaseProbe,
    @Inject(QUEUE_DRIVER) private readonly queue: QueueDriver,
    @Inject(SEARCH_ENGINE) private readonly search: SearchEngine,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly calendar: HolidayCalendar,
  ) {}

  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  async ready(): Promise<HealthReport> {
    const ttl = this.config.health.readyCacheMs;
    if (ttl <= 0) return this.report();
    if (this.cached && performance.now() - this.cached.at < ttl) return this.cached.report;
    this.probing ??= this.report()
      .then((report) => {
        this.cached = { report, at: performance.now() };
        return report;
      })
      .finally(() => {
        this.probing = undefined;
      });
    return this.probing;
  }

  async report(): Promise<HealthReport> {
    const checkedAt = this.clock.now().toISOString();
    const [database, queue, search] = await Promise.all([
      this.databaseHealth(),
      this.queueHealth(),
      this.searchHealth(),
    ]);
    const calendar = this.calendarHealth();
    const serving = database.ok && queue.ok && search.ok;
    const status = !serving
      ? 'down'
      : search.fallbackActive || calendar.coverage === 'fail'
        ? 'degraded'
        : 'ok';
    return { status, checkedAt, checks: { database, queue, search, calendar } };
  }

  /** No I/O: the calendar was loaded and validated at start; only today's date moves. */
  private calendarHealth(): DependencyHealth {
    const coverage = this.calendar.coverage();
    return {
      ok: coverage.status === 'ok',
      coverage: coverage.status,
      ...(coverage.problems.length ? { detail: coverage.problems.join('；') } : {}),
    };
  }

  private async databaseHealth(): Promise<DependencyHealth> {
    return guard({ kind: this.database.kind }, async () => {
      await this.database.ping();
      return { ok: true };
    });
  }

  private async queueHealth(): Promise<DependencyHealth> {
    return guard({ driver: this.queue.name }, async () => {
      const { ok, detail } = await this.queue.health();
      return { ok, ...(detail ? { detail } : {}) };
    });
  }

  private async searchHealth(): Promise<DependencyHealth> {
    return guard({ engine: this.search.name }, async () => {
      const { ok, detail } = await this.search.health();
      const status = searchStatus(this.search);
      return {
        ok,
        engine: status.active,
        primary: status.primary,
        fallbackActive: status.fallbackActive,
        ...(detail ? { detail } : {}),
        ...(status.downSince ? { downSince: status.downSince } : {}),
      };
    });
  }
}

async function guard(
  base: Record<string, unknown>,
  check: () => Promise<DependencyHealth>,
): Promise<DependencyHealth> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<DependencyHealth>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, detail: `检查超时 (${CHECK_TIMEOUT_MS} ms)` }),
      CHECK_TIMEOUT_MS,
    );
  });
  try {
    const result = await Promise.race([check(), timeout]);
    return { ...base, ...result };
  } catch (error) {
    return { ...base, ok: false, detail: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
