import { MigrationInterface, QueryRunner } from 'typeorm';

/** Archive workflow: transition events, public-notice objections, archive number counters. */
export class ArchiveWorkflow1795458840343 implements MigrationInterface {
  name = 'ArchiveWorkflow1795458840343';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "archive_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "archive_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "seq" BIGSERIAL NOT NULL, "archive_version" integer NOT NULL, "actor_id" uuid, "actor_role" character varying(16) NOT NULL, "command" character varying(24) NOT NULL, "decision" character varying(16), "from_status" character varying(16) NOT NULL, "to_status" character varying(16) NOT NULL, "note" text, "reasons" jsonb NOT NULL DEFAULT '[]', "visit" jsonb, "details" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "PK_c052ebf7ed0b83789c683b0f410" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_archive_events_archive_at" ON "archive_events"  ("archive_id", "at") `);
    await queryRunner.query(`CREATE TABLE "archive_objections" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "archive_id" uuid NOT NULL, "lodged_at" TIMESTAMP WITH TIME ZONE NOT NULL, "notice_starts_on" date NOT NULL, "reason" text NOT NULL, "contact_ciphertext" text, "status" character varying(16) NOT NULL DEFAULT 'open', "resolution_note" text, "resolved_by" uuid, "resolved_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_49b9cc2644fd15017f718794dfd" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_archive_objections_archive_status" ON "archive_objections"  ("archive_id", "status") `);
    await queryRunner.query(`CREATE TABLE "archive_number_counters" ("region_code" character varying(6) NOT NULL, "year" integer NOT NULL, "last" integer NOT NULL, CONSTRAINT "PK_73b05992eae54f5d29f6adf99f5" PRIMARY KEY ("region_code", "year"))`);
    await queryRunner.query(`ALTER TABLE "archive_events" ADD CONSTRAINT "fk_archive_events_archive" FOREIGN KEY ("archive_id") REFERENCES "archives"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "archive_objections" ADD CONSTRAINT "fk_archive_objections_archive" FOREIGN KEY ("archive_id") REFERENCES "archives"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "archive_objections" DROP CONSTRAINT "fk_archive_objections_archive"`);
    await queryRunner.query(`ALTER TABLE "archive_events" DROP CONSTRAINT "fk_archive_events_archive"`);
    await queryRunner.query(`DROP TABLE "archive_number_counters"`);
    await queryRunner.query(`DROP INDEX "public"."idx_archive_objections_archive_status"`);
    await queryRunner.query(`DROP TABLE "archive_objections"`);
    await queryRunner.query(`DROP INDEX "public"."idx_archive_events_archive_at"`);
    await queryRunner.query(`DROP TABLE "archive_events"`);
  }
}
