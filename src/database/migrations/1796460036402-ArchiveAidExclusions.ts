import { MigrationInterface, QueryRunner } from 'typeorm';

/** 本年度不纳入帮扶: one mark per archive and year, with its reason (the archive is not cancelled). */
export class ArchiveAidExclusions1796460036402 implements MigrationInterface {
  name = 'ArchiveAidExclusions1796460036402';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "archive_aid_exclusions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "archive_id" uuid NOT NULL, "year" integer NOT NULL, "reason" character varying(500) NOT NULL, "marked_by" uuid NOT NULL, "marked_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_archive_aid_exclusions_year" UNIQUE ("archive_id", "year"), CONSTRAINT "chk_archive_aid_exclusions_year" CHECK ("year" BETWEEN 2000 AND 2100), CONSTRAINT "PK_321b22b216604607daad2766b49" PRIMARY KEY ("id"))`);
    await queryRunner.query(`ALTER TABLE "archive_aid_exclusions" ADD CONSTRAINT "fk_archive_aid_exclusions_archive" FOREIGN KEY ("archive_id") REFERENCES "archives"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "archive_aid_exclusions" DROP CONSTRAINT "fk_archive_aid_exclusions_archive"`);
    await queryRunner.query(`DROP TABLE "archive_aid_exclusions"`);
  }
}
