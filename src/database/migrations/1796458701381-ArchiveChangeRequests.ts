import { MigrationInterface, QueryRunner } from 'typeorm';

export class ArchiveChangeRequests1796458701381 implements MigrationInterface {
  name = 'ArchiveChangeRequests1796458701381';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "archive_change_requests" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "archive_id" uuid NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'pending', "base_version" integer NOT NULL, "changes" jsonb NOT NULL, "reason" text NOT NULL, "requested_by" uuid NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL, "decided_by" uuid, "decided_at" TIMESTAMP WITH TIME ZONE, "decision_note" text, CONSTRAINT "PK_0b09dcb54b13f0ec6d2a339d2e9" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_archive_change_requests_pending" ON "archive_change_requests"  ("archive_id") WHERE status = 'pending'`);
    await queryRunner.query(`ALTER TABLE "archive_change_requests" ADD CONSTRAINT "fk_archive_change_requests_archive" FOREIGN KEY ("archive_id") REFERENCES "archives"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "archive_change_requests" DROP CONSTRAINT "fk_archive_change_requests_archive"`);
    await queryRunner.query(`DROP INDEX "public"."uq_archive_change_requests_pending"`);
    await queryRunner.query(`DROP TABLE "archive_change_requests"`);
  }
}
