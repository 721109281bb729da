import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../app-role';

/**
 * Delivery evidence of matches (交付凭证, issue 13 §1): files in ObjectStorage, one row each. Kept for the
 * record: the application's role may insert and read them, never update or delete.
 */

export class MatchEvidence1796538000264 implements MigrationInterface {
  name = 'MatchEvidence1796538000264';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "match_evidence" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "match_id" uuid NOT NULL, "file_name" character varying(100) NOT NULL, "mime_type" character varying(32) NOT NULL, "size_bytes" integer NOT NULL, "sha256" character(64) NOT NULL, "storage_key" character varying(200) NOT NULL, "uploaded_by" uuid NOT NULL, "uploaded_by_kind" character varying(8) NOT NULL, "uploaded_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "UQ_ef38086637f5bbf1d67980f1248" UNIQUE ("storage_key"), CONSTRAINT "PK_02ca0eb0d9f5688432ae798a1b0" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_match_evidence_match_sha256" ON "match_evidence"  ("match_id", "sha256") `);
    await queryRunner.query(`ALTER TABLE "match_evidence" ADD CONSTRAINT "fk_match_evidence_match" FOREIGN KEY ("match_id") REFERENCES "matches"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON "match_evidence" FROM "${APP_ROLE}"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "match_evidence" DROP CONSTRAINT "fk_match_evidence_match"`);
    await queryRunner.query(`DROP INDEX "public"."uq_match_evidence_match_sha256"`);
    await queryRunner.query(`DROP TABLE "match_evidence"`);
  }
}
