import { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationCipher } from '../migration-cipher';

/** Every encrypted column when this migration was written (FieldCipher tokens). */
const ENCRYPTED_COLUMNS: ReadonlyArray<{ table: string; column: string }> = [
  { table: 'users', column: 'phone_ciphertext' },
  { table: 'users', column: 'totp_secret_ciphertext' },
  { table: 'archives', column: 'head_id_number_ciphertext' },
  { table: 'archives', column: 'head_phone_ciphertext' },
  { table: 'archives', column: 'bank_account_ciphertext' },
  { table: 'archive_members', column: 'id_number_ciphertext' },
  { table: 'archive_objections', column: 'contact_ciphertext' },
];
const BATCH = 500;

/**
 * Binds every stored ciphertext to its place: `v1` tokens (authenticated data = their header only, so a
 * token copied to another row or column decrypted there) are re-encrypted as `v2`, whose authenticated
 * data also names the table, column and row id. Uses the keyring and active key of the configuration
 * (runMigrations(dataSource, config.crypto)); a database with no v1 token needs no key. Rows are read in
 * id order, BATCH at a time, inside the migration's transaction.
 *
 * Not reversible: the code before it cannot read v2 tokens, and this code writes no v1 token.
 */
export class BindEncryptedFields1796459479268 implements MigrationInterface {
  name = 'BindEncryptedFields1796459479268';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const { table, column } of ENCRYPTED_COLUMNS) {
      let after = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const rows = (await queryRunner.query(
          `SELECT id, "${column}" AS token FROM "${table}"
            WHERE "${column}" LIKE 'v1:%' AND id > $1 ORDER BY id LIMIT ${BATCH}`,
          [after],
        )) as { id: string; token: string }[];
        if (rows.length === 0) break;
        const cipher = migrationCipher();
        const rebound = rows.map((r) => cipher.rotate(r.token, { table, column, rowId: r.id }));
        await queryRunner.query(
          `UPDATE "${table}" t SET "${column}" = v.token
             FROM unnest($1::uuid[], $2::text[]) AS v(id, token) WHERE t.id = v.id`,
          [rows.map((r) => r.id), rebound],
        );
        after = rows[rows.length - 1].id;
      }
    }
  }

  public async down(): Promise<void> {
    throw new Error('BindEncryptedFields cannot be reverted: the code before it cannot read v2 tokens');
  }
}
