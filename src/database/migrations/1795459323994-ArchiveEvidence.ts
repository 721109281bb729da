import { MigrationInterface, QueryRunner } from 'typeorm';

export class ArchiveEvidence1795459323994 implements MigrationInterface {
  name = 'ArchiveEvidence1795459323994';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "archive_evidence" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "archive_id" uuid NOT NULL, "kind" character varying(32) NOT NULL, "file_name" character varying(100) NOT NULL, "mime_type" character varying(32) NOT NULL, "size_bytes" integer NOT NULL, "sha256" character(64) NOT NULL, "storage_key" character varying(200) NOT NULL, "uploaded_by" uuid NOT NULL, "uploaded_at" TIMESTAMP WITH TIME ZONE NOT NULL, "deleted_at" TIMESTAMP WITH TIME ZONE, "deleted_by" uuid, CONSTRAINT "UQ_1afb2df81bb04e0130d2d3c7223" UNIQUE ("storage_key"), CONSTRAINT "PK_96959312665f28e39f664f28284" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_archive_evidence_archive_sha256" ON "archive_evidence"  ("archive_id", "sha256") WHERE deleted_at IS NULL`);
    await queryRunner.query(`ALTER TABLE "archive_evidence" ADD CONSTRAINT "fk_archive_evidence_archive" FOREIGN KEY ("archive_id") REFERENCES "archives"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "archive_evidence" DROP CONSTRAINT "fk_archive_evidence_archive"`);
    await queryRunner.query(`DROP INDEX "public"."uq_archive_evidence_archive_sha256"`);
    await queryRunner.query(`DROP TABLE "archive_evidence"`);
  }
}
