import { MigrationInterface, QueryRunner } from 'typeorm';

export class OrgUnitConstraints1795458240506 implements MigrationInterface {
  name = 'OrgUnitConstraints1795458240506';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // One index on path serves both uniqueness and prefix scans (text_pattern_ops equality is text equality).
    await queryRunner.query(`ALTER TABLE "org_units" DROP CONSTRAINT "UQ_de6d94b4fec4ec249f3246420b6"`);
    await queryRunner.query(`DROP INDEX "public"."idx_org_units_path"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "idx_org_units_path" ON "org_units" ("path" text_pattern_ops)`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_org_units_parent_name" ON "org_units" ("parent_id", "name") `);
    // One national root: every parentless row indexes the same constant, so a second one collides.
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_org_units_single_root" ON "org_units" ((true)) WHERE "parent_id" IS NULL`);
    await queryRunner.query(`ALTER TABLE "org_units" ADD CONSTRAINT "chk_org_units_level" CHECK ("level" IN ('national', 'province', 'city', 'district', 'grassroots'))`);
    await queryRunner.query(`ALTER TABLE "org_units" ADD CONSTRAINT "chk_org_units_region_code" CHECK ("region_code" ~ '^[0-9]{6}$')`);
    await queryRunner.query(`ALTER TABLE "org_units" ADD CONSTRAINT "chk_org_units_root_is_national" CHECK (("parent_id" IS NULL) = ("level" = 'national'))`);
    await queryRunner.query(`ALTER TABLE "org_units" ADD CONSTRAINT "chk_org_units_path_ends_with_id" CHECK ("path" LIKE '%/' || "id"::text || '/')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "org_units" DROP CONSTRAINT "chk_org_units_path_ends_with_id"`);
    await queryRunner.query(`ALTER TABLE "org_units" DROP CONSTRAINT "chk_org_units_root_is_national"`);
    await queryRunner.query(`ALTER TABLE "org_units" DROP CONSTRAINT "chk_org_units_region_code"`);
    await queryRunner.query(`ALTER TABLE "org_units" DROP CONSTRAINT "chk_org_units_level"`);
    await queryRunner.query(`DROP INDEX "public"."uq_org_units_single_root"`);
    await queryRunner.query(`DROP INDEX "public"."uq_org_units_parent_name"`);
    await queryRunner.query(`DROP INDEX "public"."idx_org_units_path"`);
    await queryRunner.query(`CREATE INDEX "idx_org_units_path" ON "org_units" ("path" text_pattern_ops)`);
    await queryRunner.query(`ALTER TABLE "org_units" ADD CONSTRAINT "UQ_de6d94b4fec4ec249f3246420b6" UNIQUE ("path")`);
  }
}
