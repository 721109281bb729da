import { DataSource, Migration } from 'typeorm';
import { FieldCipher } from '../common/crypto/field-cipher';
import type { CryptoConfig } from '../config/app-config';
import { fieldCipherOptionsFrom } from '../config/crypto-config.check';
import { withMigrationCipher } from './migration-cipher';

// Any constant works; it only has to be the same in every process that migrates this database.
const MIGRATION_LOCK = 4_242_001;

/**
 * Runs pending migrations under an advisory lock, so an API and a worker starting together take turns.
 * `crypto` (the app's crypto config) gives migrations that re-encrypt data the configured keyring.
 */
export async function runMigrations(dataSource: DataSource, crypto?: CryptoConfig): Promise<Migration[]> {
  const cipher = crypto ? new FieldCipher(fieldCipherOptionsFrom(crypto)) : null;
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    return await withMigrationCipher(cipher, () => dataSource.runMigrations({ transaction: 'each' }));
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}
