import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The union tree allows a child at any lower level, branch unions (分工会) below grassroots unions and
 * industry unions (产业工会, flagged) at a federation's rank. TypeORM does not diff a changed CHECK
 * expression, so the level check is replaced by hand.
 */
export class OrgTreeAnyLevel1796406589502 implements MigrationInterface {
  name = 'OrgTreeAnyLevel1796406589502';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "org_units" DROP CONSTRAINT "chk_org_units_level"`);
    await queryRunner.query(`ALTER TABLE "org_units" ADD CONSTRAINT "chk_org_units_level" CHECK ("level" IN ('national', 'province', 'city', 'district', 'grassroots', 'branch'))`);
    await queryRunner.query(`ALTER TABLE "org_units" ADD "industry" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "org_units" ADD CONSTRAINT "chk_org_units_industry_level" CHECK (NOT "industry" OR "level" IN ('province', 'city', 'district'))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "org_units" DROP CONSTRAINT "chk_org_units_industry_level"`);
    await queryRunner.query(`ALTER TABLE "org_units" DROP COLUMN "industry"`);
    await queryRunner.query(`ALTER TABLE "org_units" DROP CONSTRAINT "chk_org_units_level"`);
    await queryRunner.query(`ALTER TABLE "org_units" ADD CONSTRAINT "chk_org_units_level" CHECK ("level" IN ('national', 'province', 'city', 'district', 'grassroots'))`);
  }
}
