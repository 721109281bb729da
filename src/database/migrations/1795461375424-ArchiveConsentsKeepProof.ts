import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Consent records are proof of what a person agreed to (PIPL): removing a household member no longer
 * deletes them. The service withdraws them first (reason `member-removed`), then the member row goes and
 * the consent keeps its row with `member_id` NULL; the subject check allows that only for withdrawn ones.
 */
export class ArchiveConsentsKeepProof1795461375424 implements MigrationInterface {
  name = 'ArchiveConsentsKeepProof1795461375424';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "archive_consents" ADD "withdrawal_reason" character varying(32)`);
    await queryRunner.query(`ALTER TABLE "archive_consents" DROP CONSTRAINT "chk_archive_consents_subject"`);
    await queryRunner.query(
      `ALTER TABLE "archive_consents" ADD CONSTRAINT "chk_archive_consents_subject" CHECK (("subject" = 'head' AND "member_id" IS NULL) OR ("subject" = 'member' AND ("member_id" IS NOT NULL OR "withdrawn_at" IS NOT NULL)))`,
    );
    await queryRunner.query(`ALTER TABLE "archive_consents" DROP CONSTRAINT "fk_archive_consents_member"`);
    await queryRunner.query(
      `ALTER TABLE "archive_consents" ADD CONSTRAINT "fk_archive_consents_member" FOREIGN KEY ("member_id") REFERENCES "archive_members"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Orphaned consents cannot satisfy the old pairing of subject and member: they go, as before.
    await queryRunner.query(`DELETE FROM "archive_consents" WHERE "subject" = 'member' AND "member_id" IS NULL`);
    await queryRunner.query(`ALTER TABLE "archive_consents" DROP CONSTRAINT "fk_archive_consents_member"`);
    await queryRunner.query(
      `ALTER TABLE "archive_consents" ADD CONSTRAINT "fk_archive_consents_member" FOREIGN KEY ("member_id") REFERENCES "archive_members"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "archive_consents" DROP CONSTRAINT "chk_archive_consents_subject"`);
    await queryRunner.query(
      `ALTER TABLE "archive_consents" ADD CONSTRAINT "chk_archive_consents_subject" CHECK (("subject" = 'head') = ("member_id" IS NULL))`,
    );
    await queryRunner.query(`ALTER TABLE "archive_consents" DROP COLUMN "withdrawal_reason"`);
  }
}
