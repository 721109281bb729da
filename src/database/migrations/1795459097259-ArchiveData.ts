import { MigrationInterface, QueryRunner } from 'typeorm';

export class ArchiveData1795459097259 implements MigrationInterface {
  name = 'ArchiveData1795459097259';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "archive_consents" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "archive_id" uuid NOT NULL, "subject" character varying(8) NOT NULL, "member_id" uuid, "purpose" character varying(32) NOT NULL, "kind" character varying(16) NOT NULL, "text_version" character varying(20) NOT NULL, "granted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "recorded_by" uuid NOT NULL, "by_guardian" boolean NOT NULL DEFAULT false, "guardian_name" character varying(50), "withdrawn_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_archive_consents_subject" CHECK (("subject" = 'head') = ("member_id" IS NULL)), CONSTRAINT "chk_archive_consents_guardian" CHECK (NOT "by_guardian" OR "guardian_name" IS NOT NULL), CONSTRAINT "PK_299ba1ad46ed57841dc9513e24c" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_archive_consents_archive" ON "archive_consents"  ("archive_id", "subject", "member_id") `);
    await queryRunner.query(`CREATE TABLE "dibao_lines" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "region_code" character varying(6) NOT NULL, "effective_from" date NOT NULL, "monthly_amount_fen" integer NOT NULL, "source" character varying(200), "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_dibao_lines_region_from" UNIQUE ("region_code", "effective_from"), CONSTRAINT "chk_dibao_lines_amount" CHECK ("monthly_amount_fen" > 0), CONSTRAINT "chk_dibao_lines_region" CHECK ("region_code" ~ '^[1-9][0-9]{5}$'), CONSTRAINT "PK_36fe69d554fd48ee8061479fdca" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "archive_versions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "archive_id" uuid NOT NULL, "version" integer NOT NULL, "changed_by" uuid, "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "action" character varying(32) NOT NULL, "diff" jsonb NOT NULL, CONSTRAINT "PK_3cd0007703c85f449dff6742b9a" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_archive_versions_archive_version" ON "archive_versions"  ("archive_id", "version") `);
    await queryRunner.query(`ALTER TABLE "archive_consents" ADD CONSTRAINT "fk_archive_consents_archive" FOREIGN KEY ("archive_id") REFERENCES "archives"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "archive_consents" ADD CONSTRAINT "fk_archive_consents_member" FOREIGN KEY ("member_id") REFERENCES "archive_members"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "archive_versions" ADD CONSTRAINT "fk_archive_versions_archive" FOREIGN KEY ("archive_id") REFERENCES "archives"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "archive_versions" DROP CONSTRAINT "fk_archive_versions_archive"`);
    await queryRunner.query(`ALTER TABLE "archive_consents" DROP CONSTRAINT "fk_archive_consents_member"`);
    await queryRunner.query(`ALTER TABLE "archive_consents" DROP CONSTRAINT "fk_archive_consents_archive"`);
    await queryRunner.query(`DROP INDEX "public"."uq_archive_versions_archive_version"`);
    await queryRunner.query(`DROP TABLE "archive_versions"`);
    await queryRunner.query(`DROP TABLE "dibao_lines"`);
    await queryRunner.query(`DROP INDEX "public"."idx_archive_consents_archive"`);
    await queryRunner.query(`DROP TABLE "archive_consents"`);
  }
}
