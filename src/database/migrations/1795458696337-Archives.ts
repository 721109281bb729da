import { MigrationInterface, QueryRunner } from 'typeorm';

export class Archives1795458696337 implements MigrationInterface {
  name = 'Archives1795458696337';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "archives" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "archive_no" character varying(32), "kind" character varying(16) NOT NULL, "category" character varying(16) NOT NULL, "status" character varying(16) NOT NULL, "org_unit_id" uuid NOT NULL, "owner_user_id" uuid, "head_name" character varying(50) NOT NULL, "head_id_number_ciphertext" text NOT NULL, "head_id_number_blind_index" character varying(64) NOT NULL, "head_birth_date" date NOT NULL, "head_gender" character varying(8) NOT NULL, "head_phone_ciphertext" text, "head_phone_blind_index" character varying(64), "employer" character varying(100), "employment_status" character varying(24) NOT NULL, "head_monthly_income_fen" integer NOT NULL DEFAULT '0', "address" character varying(200), "region_code" character varying(6) NOT NULL, "bank_account_ciphertext" text, "housing_type" character varying(20), "housing_area_sqm" numeric(7,2), "has_vehicle" boolean NOT NULL DEFAULT false, "has_second_property" boolean NOT NULL DEFAULT false, "has_business_licence" boolean NOT NULL DEFAULT false, "asset_notes" character varying(500), "causes" text array NOT NULL DEFAULT '{}', "primary_cause" character varying(20), "household_situation" text, "cause_description" text, "skills" text, "job_wishes" text, "state_of_mind" text, "household_size" integer NOT NULL DEFAULT '1', "monthly_income_fen" integer NOT NULL DEFAULT '0', "per_capita_income_fen" integer NOT NULL DEFAULT '0', "flags" text array NOT NULL DEFAULT '{}', "created_by" uuid, "submitted_by" uuid, "submitted_at" TIMESTAMP WITH TIME ZONE, "notice_starts_on" date, "notice_ends_on" date, "activated_at" TIMESTAMP WITH TIME ZONE, "last_verified_at" TIMESTAMP WITH TIME ZONE, "relapse_watch_until" date, "next_visit_due_on" date, "transfer_to_unit_id" uuid, "status_before_transfer" character varying(16), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, CONSTRAINT "UQ_c30c60b4a281462b32eec594097" UNIQUE ("archive_no"), CONSTRAINT "PK_c3ec7997b37170870ed028fe0e3" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_archives_owner" ON "archives"  ("owner_user_id") `);
    await queryRunner.query(`CREATE INDEX "idx_archives_head_id_bidx" ON "archives"  ("head_id_number_blind_index") `);
    await queryRunner.query(`CREATE INDEX "idx_archives_org_status" ON "archives"  ("org_unit_id", "status") `);
    await queryRunner.query(`CREATE TABLE "archive_members" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "archive_id" uuid NOT NULL, "relation" character varying(16) NOT NULL, "name" character varying(50) NOT NULL, "id_number_ciphertext" text NOT NULL, "id_number_blind_index" character varying(64) NOT NULL, "birth_date" date NOT NULL, "gender" character varying(8) NOT NULL, "occupation" character varying(100), "monthly_income_fen" integer NOT NULL DEFAULT '0', "health" character varying(20) NOT NULL, "schooling_stage" character varying(20) NOT NULL, "position" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_1b9e0ae00f69b69b2032d32d00a" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_archive_members_archive" ON "archive_members"  ("archive_id") `);
    await queryRunner.query(`CREATE INDEX "idx_archive_members_id_bidx" ON "archive_members"  ("id_number_blind_index") `);
    await queryRunner.query(`CREATE TABLE "archive_income_items" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "archive_id" uuid NOT NULL, "kind" character varying(24) NOT NULL, "monthly_amount_fen" integer NOT NULL, "note" character varying(200), "position" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_1d602a05d35152d3dd43fa912e5" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_archive_income_items_archive" ON "archive_income_items"  ("archive_id") `);
    await queryRunner.query(`ALTER TABLE "archives" ADD CONSTRAINT "fk_archives_org_unit" FOREIGN KEY ("org_unit_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "archive_members" ADD CONSTRAINT "fk_archive_members_archive" FOREIGN KEY ("archive_id") REFERENCES "archives"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "archive_income_items" ADD CONSTRAINT "fk_archive_income_items_archive" FOREIGN KEY ("archive_id") REFERENCES "archives"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "archive_income_items" DROP CONSTRAINT "fk_archive_income_items_archive"`);
    await queryRunner.query(`ALTER TABLE "archive_members" DROP CONSTRAINT "fk_archive_members_archive"`);
    await queryRunner.query(`ALTER TABLE "archives" DROP CONSTRAINT "fk_archives_org_unit"`);
    await queryRunner.query(`DROP INDEX "public"."idx_archive_income_items_archive"`);
    await queryRunner.query(`DROP TABLE "archive_income_items"`);
    await queryRunner.query(`DROP INDEX "public"."idx_archive_members_id_bidx"`);
    await queryRunner.query(`DROP INDEX "public"."idx_archive_members_archive"`);
    await queryRunner.query(`DROP TABLE "archive_members"`);
    await queryRunner.query(`DROP INDEX "public"."idx_archives_org_status"`);
    await queryRunner.query(`DROP INDEX "public"."idx_archives_head_id_bidx"`);
    await queryRunner.query(`DROP INDEX "public"."idx_archives_owner"`);
    await queryRunner.query(`DROP TABLE "archives"`);
  }
}
