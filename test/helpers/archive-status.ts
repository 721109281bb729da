import type { DataSource } from 'typeorm';
import type { ArchiveStatus } from '../../src/modules/archives/archive.enums';

/**
 * Puts archives straight into `status` for a fixture, past the database's transition check (the
 * archives_status_transition trigger refuses any move the workflow table does not allow). Only for
 * arranging a test: what the workflow may do is tested through the workflow.
 */
export async function forceArchiveStatus(
  dataSource: DataSource,
  ids: string | readonly string[],
  status: ArchiveStatus,
): Promise<void> {
  await dataSource.transaction(async (manager) => {
    // Test DataSources log in as the owner and work as the app role, which may not touch triggers:
    // act as the login (the owner) for this transaction only.
    await manager.query('SET LOCAL ROLE NONE');
    await manager.query('ALTER TABLE archives DISABLE TRIGGER archives_status_transition');
    await manager.query('UPDATE archives SET status = $2 WHERE id = ANY($1::uuid[])', [
      typeof ids === 'string' ? [ids] : ids,
      status,
    ]);
    await manager.query('ALTER TABLE archives ENABLE TRIGGER archives_status_transition');
  });
}
