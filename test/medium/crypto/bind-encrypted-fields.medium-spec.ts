import {
  archiveField,
  FieldCipher,
  memberField,
  parseKeyring,
  userPhoneField,
} from '../../../src/common/crypto';
import { fieldCipherOptionsFrom } from '../../../src/config/crypto-config.check';
import { withMigrationCipher } from '../../../src/database/migration-cipher';
import { BindEncryptedFields1796459479268 } from '../../../src/database/migrations/1796459479268-BindEncryptedFields';
import { createArchive } from '../../helpers/factories/archives.factory';
import { createOrgUnit, createUser } from '../../helpers/factories/users.factory';
import { legacyV1Token } from '../../helpers/legacy-token';
import { createTestDatabase, TestDatabase } from '../../helpers/test-database';
import { testConfig } from '../../helpers/test-env';

/**
 * The migration that binds stored ciphertexts to their table, column and row: v1 tokens written before it
 * are re-encrypted as v2 with the configured keyring, and afterwards a token copied elsewhere fails.
 */
describe('BindEncryptedFields migration (real PostgreSQL)', () => {
  let db: TestDatabase;
  const crypto = testConfig().crypto;
  const cipher = new FieldCipher(fieldCipherOptionsFrom(crypto));
  const key = parseKeyring(crypto.keys)[crypto.activeKeyId]!;
  const v1 = (plaintext: string) => legacyV1Token(key, crypto.activeKeyId, plaintext);

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  async function runUp(withCipher: FieldCipher | null): Promise<void> {
    const runner = db.dataSource.createQueryRunner();
    try {
      await withMigrationCipher(withCipher, () => new BindEncryptedFields1796459479268().up(runner));
    } finally {
      await runner.release();
    }
  }

  it('re-encrypts every v1 token as v2 bound to its place, with the keyring from the configuration', async () => {
    const unit = await createOrgUnit(db.dataSource, { name: '南京某某厂工会', regionCode: '320102' });
    const { archive, memberIds } = await createArchive(db.dataSource, {
      orgUnitId: unit.id,
      members: [{ relation: 'spouse' }],
    });
    const { user } = await createUser(db.dataSource, { orgUnit: unit });
    // As the code before the migration stored them.
    await db.dataSource.query(
      `UPDATE archives SET head_phone_ciphertext = $2, bank_account_ciphertext = $3 WHERE id = $1`,
      [archive.id, v1('13812342210'), v1('6222021234567890128')],
    );
    await db.dataSource.query(`UPDATE archive_members SET id_number_ciphertext = $2 WHERE id = $1`, [
      memberIds[0],
      v1('110101199003074514'),
    ]);
    await db.dataSource.query(`UPDATE users SET phone_ciphertext = $2 WHERE id = $1`, [
      user.id,
      v1('13900001111'),
    ]);

    await expect(runUp(null)).rejects.toThrow(/runMigrations\(dataSource, config\.crypto\)/);
    await runUp(cipher);

    const [row] = await db.dataSource.query(
      `SELECT head_phone_ciphertext, bank_account_ciphertext FROM archives WHERE id = $1`,
      [archive.id],
    );
    const [member] = await db.dataSource.query(
      `SELECT id_number_ciphertext FROM archive_members WHERE id = $1`,
      [memberIds[0]],
    );
    const [userRow] = await db.dataSource.query(`SELECT phone_ciphertext FROM users WHERE id = $1`, [
      user.id,
    ]);
    for (const token of [row.head_phone_ciphertext, row.bank_account_ciphertext, member.id_number_ciphertext])
      expect(token).toMatch(new RegExp(`^v2:${crypto.activeKeyId}:`));
    expect(cipher.decrypt(row.head_phone_ciphertext, archiveField(archive, 'head_phone_ciphertext'))).toBe(
      '13812342210',
    );
    expect(
      cipher.decrypt(row.bank_account_ciphertext, archiveField(archive, 'bank_account_ciphertext')),
    ).toBe('6222021234567890128');
    expect(cipher.decrypt(member.id_number_ciphertext, memberField({ id: memberIds[0]! }))).toBe(
      '110101199003074514',
    );
    expect(cipher.decrypt(userRow.phone_ciphertext, userPhoneField(user.id))).toBe('13900001111');
    // Bound: the same token read as another column or row fails.
    expect(() =>
      cipher.decrypt(row.head_phone_ciphertext, archiveField(archive, 'bank_account_ciphertext')),
    ).toThrow(expect.objectContaining({ code: 'authentication_failed' }));
    expect(() => cipher.decrypt(row.head_phone_ciphertext, userPhoneField(user.id))).toThrow(
      expect.objectContaining({ code: 'authentication_failed' }),
    );

    // Nothing left to do: a second run changes nothing and needs no key.
    await runUp(null);
    const [again] = await db.dataSource.query(`SELECT head_phone_ciphertext FROM archives WHERE id = $1`, [
      archive.id,
    ]);
    expect(again.head_phone_ciphertext).toBe(row.head_phone_ciphertext);
  });
});
