import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../app-role';

/**
 * The service menu. Items are never deleted (needs and offers will refer to them): the application's
 * role may not delete rows; an administrator deactivates an item instead.
 */
export class MenuItems1796476343816 implements MigrationInterface {
  name = 'MenuItems1796476343816';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "menu_items" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(40) NOT NULL, "category" character varying(16) NOT NULL, "name" character varying(40) NOT NULL, "description" character varying(300) NOT NULL, "unit" character varying(8) NOT NULL, "max_per_need" integer NOT NULL, "requires_active_archive" boolean NOT NULL, "accepts_temporary_archive" boolean NOT NULL, "beneficiary" character varying(16) NOT NULL, "stages" character varying(16) array NOT NULL DEFAULT '{}', "sla_days" integer NOT NULL, "validity_days" integer NOT NULL, "documents" jsonb NOT NULL DEFAULT '[]', "tags" jsonb NOT NULL DEFAULT '[]', "active" boolean NOT NULL DEFAULT true, "sort_order" integer NOT NULL DEFAULT '0', "config_hash" character varying(64), "edited_by" uuid, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_menu_items_temporary" CHECK (NOT "accepts_temporary_archive" OR "requires_active_archive"), CONSTRAINT "chk_menu_items_days" CHECK ("sla_days" BETWEEN 1 AND 365 AND "validity_days" BETWEEN 1 AND 730), CONSTRAINT "chk_menu_items_max_per_need" CHECK ("max_per_need" >= 1 AND "max_per_need" <= CASE WHEN "unit" = 'yuan' THEN 5000000 ELSE 1000 END), CONSTRAINT "chk_menu_items_stages" CHECK (("beneficiary" = 'member_in_stage') = (cardinality("stages") > 0)), CONSTRAINT "chk_menu_items_beneficiary" CHECK ("beneficiary" IN ('worker','any_member','member_in_stage')), CONSTRAINT "chk_menu_items_unit" CHECK ("unit" IN ('slots','goods','yuan')), CONSTRAINT "chk_menu_items_category" CHECK ("category" IN ('training','employment','donation','tuition','medical','legal','counseling','relief','care','policy')), CONSTRAINT "chk_menu_items_code" CHECK ("code" ~ '^[a-z][a-z0-9_]{2,39}$'), CONSTRAINT "PK_57e6188f929e5dc6919168620c8" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_menu_items_code" ON "menu_items"  ("code") `);
    await queryRunner.query(`REVOKE DELETE ON "menu_items" FROM "${APP_ROLE}"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_menu_items_code"`);
    await queryRunner.query(`DROP TABLE "menu_items"`);
  }
}
