import { FieldCipher } from '../common/crypto/field-cipher';

/**
 * The FieldCipher of the migration run in progress. TypeORM builds migrations without arguments, so the
 * keyring reaches the migrations that re-encrypt data this way: runMigrations(dataSource, config.crypto)
 * builds the cipher from the same configuration the app uses (keyring, active key id) and sets it here for
 * the duration of the run.
 */
let current: FieldCipher | null = null;

export async function withMigrationCipher<T>(cipher: FieldCipher | null, run: () => Promise<T>): Promise<T> {
  const previous = current;
  current = cipher;
  try {
    return await run();
  } finally {
    current = previous;
  }
}

/** The cipher of this migration run; throws when migrations were started without the crypto config. */
export function migrationCipher(): FieldCipher {
  if (!current) {
    throw new Error(
      '迁移需要加密配置 (this migration re-encrypts data: run it through runMigrations(dataSource, config.crypto))',
    );
  }
  return current;
}
