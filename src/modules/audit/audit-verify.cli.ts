/**
 * `npm run audit:verify [-- --batch-size=N]`: seals what can be sealed, then recomputes the audit log's
 * whole hash chain on the configured database (DATABASE_URL, or the embedded one). Prints `audit chain
 * ok: N rows` and exits 0, or lists the first broken links — and rows left unsealed longer than
 * `audit.unsealedFaultSeconds` — and exits 1. Exit 2: bad usage or the database cannot be read.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '../../config';
import { DatabaseServer } from '../../database/database-server';
import { APP_ROLE } from '../../database/app-role';
import { dataSourceOptions } from '../../database/data-source-options';
import { Clock } from '../../common/clock/clock';
import { AuditSealer } from './audit-sealer';
import { AuditService } from './audit.service';
import { AuditRepository } from './audit.repository';

/** PostgreSQL's SQLSTATE for a missing table. */
const UNDEFINED_TABLE = '42P01';

async function main(args: string[]): Promise<number> {
  let batchSize = 1000;
  for (const arg of args) {
    const match = /^--batch-size=(\d+)$/.exec(arg);
    if (!match || Number(match[1]) < 1) {
      console.error('用法: npm run audit:verify [-- --batch-size=N]');
      return 2;
    }
    batchSize = Number(match[1]);
  }
  const config = loadConfig({ overrides: { log: { level: 'silent' } } });
  const server = await DatabaseServer.start(config.database);
  const dataSource = new DataSource(dataSourceOptions(server.url, 2, APP_ROLE));
  try {
    await dataSource.initialize();
    const repository = new AuditRepository(dataSource);
    const clock = new Clock();
    const audit = new AuditService(repository, new AuditSealer(repository, clock, config), clock, config);
    const report = await audit.verifyChain({ batchSize });
    const unsealed = report.unsealed;
    if (report.ok) {
      console.log(`audit chain ok: ${report.rows} rows`);
      if (report.head)
        console.log(`head: seq=${report.head.seq} id=${report.head.id} hash=${report.head.hash}`);
      return 0;
    }
    if (report.problems.length > 0) {
      console.error(`audit chain BROKEN: ${report.rows} rows read, problems:`);
      for (const problem of report.problems) {
        console.error(`  seq=${problem.seq} id=${problem.id} ${problem.kind}: ${problem.detail}`);
      }
      if (report.truncated) console.error(`  … (only the first ${report.problems.length} are listed)`);
    }
    if (unsealed && unsealed.count > 0) {
      console.error(
        `audit chain UNSEALED: ${unsealed.count} rows older than ${config.audit.unsealedFaultSeconds} s are not in the chain ` +
          `(oldest id=${unsealed.oldestId} at ${unsealed.oldestAt?.toISOString()}); a transaction may be holding the horizon back`,
      );
    }
    return 1;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await server.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if ((error as { driverError?: { code?: string } }).driverError?.code === UNDEFINED_TABLE) {
      console.error('audit:verify 失败: 数据库中没有 audit_logs 表，请先执行 npm run migration:run');
    } else {
      console.error(error instanceof ConfigError ? error.message : `audit:verify 失败: ${String(error)}`);
    }
    process.exit(2);
  },
);
