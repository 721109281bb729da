import { MigrationInterface, QueryRunner } from 'typeorm';

export class OrgUnitsAndUsers1795457900344 implements MigrationInterface {
  name = 'OrgUnitsAndUsers1795457900344';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "org_units" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "parent_id" uuid, "name" character varying(100) NOT NULL, "level" character varying(16) NOT NULL, "region_code" character varying(6) NOT NULL, "path" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_de6d94b4fec4ec249f3246420b6" UNIQUE ("path"), CONSTRAINT "PK_b4a19b7f3756560cd75643be5a7" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_org_units_parent" ON "org_units"  ("parent_id") `);
    // Subtree queries are prefix matches on the materialized path: text_pattern_ops makes LIKE 'x%' indexable.
    await queryRunner.query(`CREATE INDEX "idx_org_units_path" ON "org_units" ("path" text_pattern_ops)`);
    await queryRunner.query(`CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "username" character varying(64) NOT NULL, "display_name" character varying(64) NOT NULL, "kind" character varying(16) NOT NULL, "roles" text array NOT NULL DEFAULT '{}', "org_unit_id" uuid, "partner_id" uuid, "phone_ciphertext" text, "phone_blind_index" character varying(64), "password_hash" text NOT NULL, "password_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "must_change_password" boolean NOT NULL DEFAULT false, "failed_login_count" integer NOT NULL DEFAULT '0', "locked_until" TIMESTAMP WITH TIME ZONE, "token_version" integer NOT NULL DEFAULT '0', "disabled_at" TIMESTAMP WITH TIME ZONE, "disabled_reason" character varying(200), "expires_at" TIMESTAMP WITH TIME ZONE, "totp_secret_ciphertext" text, "totp_enabled_at" TIMESTAMP WITH TIME ZONE, "totp_last_step" bigint, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, CONSTRAINT "UQ_fe0bb3f6520ee0469504521e710" UNIQUE ("username"), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_users_org_unit" ON "users"  ("org_unit_id") `);
    await queryRunner.query(`CREATE INDEX "idx_users_phone_bidx" ON "users"  ("phone_blind_index") `);
    await queryRunner.query(`ALTER TABLE "org_units" ADD CONSTRAINT "fk_org_units_parent" FOREIGN KEY ("parent_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "users" ADD CONSTRAINT "fk_users_org_unit" FOREIGN KEY ("org_unit_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "fk_users_org_unit"`);
    await queryRunner.query(`ALTER TABLE "org_units" DROP CONSTRAINT "fk_org_units_parent"`);
    await queryRunner.query(`DROP INDEX "public"."idx_users_phone_bidx"`);
    await queryRunner.query(`DROP INDEX "public"."idx_users_org_unit"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP INDEX "public"."idx_org_units_path"`);
    await queryRunner.query(`DROP INDEX "public"."idx_org_units_parent"`);
    await queryRunner.query(`DROP TABLE "org_units"`);
  }
}
