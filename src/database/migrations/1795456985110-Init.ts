import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1795456985110 implements MigrationInterface {
  name = 'Init1795456985110';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "outbox" ("id" BIGSERIAL NOT NULL, "index_name" character varying(64) NOT NULL, "document_id" character varying(128) NOT NULL, "operation" character varying(16) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "available_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "attempts" integer NOT NULL DEFAULT '0', "last_error" text, "processed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_340ab539f309f03bdaa14aa7649" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_outbox_pending" ON "outbox"  ("available_at", "id") WHERE processed_at IS NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_outbox_pending"`);
    await queryRunner.query(`DROP TABLE "outbox"`);
  }
}
