import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DatabaseServer } from '../../database/database-server';
import { QUEUE_DRIVER, QueueDriver } from '../../infra/queue/queue.port';
import { SEARCH_ENGINE, SearchEngine } from '../../infra/search/search-engine';
import { searchStatus } from '../../infra/search/search.module';

export interface DependencyHealth {
  ok: boolean;
  detail?: string;
  [key: string]: unknown;
}

export interface HealthReport {
  /** `ok`: all up; `degraded`: serving, but on the search fallback; `down`: cannot serve. */
  status: 'ok' | 'degraded' | 'down';
  checks: { database: DependencyHealth; queue: DependencyHealth; search: DependencyHealth };
}

const CHECK_TIMEOUT_MS = 3_000;

@Injectable()
export class HealthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly server: DatabaseServer,
    @Inject(QUEUE_DRIVER) private readonly queue: QueueDriver,
    @Inject(SEARCH_ENGINE) private readonly search: SearchEngine,
  ) {}

  async report(): Promise<HealthReport> {
    const [database, queue, search] = await Promise.all([
      this.database(),
      this.queueHealth(),
      this.searchHealth(),
    ]);
    const serving = database.ok && queue.ok && search.ok;
    const status = !serving ? 'down' : search.fallbackActive ? 'degraded' : 'ok';
    return { status, checks: { database, queue, search } };
  }

  private async database(): Promise<DependencyHealth> {
    return guard({ kind: this.server.kind }, async () => {
      await this.dataSource.query('SELECT 1');
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
