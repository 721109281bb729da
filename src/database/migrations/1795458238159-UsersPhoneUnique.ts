import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A phone number may belong to only one enabled account (users.phone_blind_index is its HMAC blind
 * index). Partial, so a disabled account keeps its number without blocking a new account.
 */
export class UsersPhoneUnique1795458238159 implements MigrationInterface {
  name = 'UsersPhoneUnique1795458238159';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_users_phone_active" ON "users" ("phone_blind_index") WHERE "phone_blind_index" IS NOT NULL AND "disabled_at" IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_users_phone_active"`);
  }
}
