import { DataSource, Migration } from 'typeorm';

// Any constant works; it only has to be the same in every process that migrates this database.
const MIGRATION_LOCK = 4_242_001;

/** Runs pending migrations under an advisory lock, so an API and a worker starting together take turns. */
export async function runMigrations(dataSource: DataSource): Promise<Migration[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    return await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}
