import { MigrationInterface, QueryRunner } from 'typeorm';

export class MatchCauseCode1796537253622 implements MigrationInterface {
  name = 'MatchCauseCode1796537253622';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "matches" ADD "cause_code" character varying(20)`);
    await queryRunner.query(`ALTER TABLE "matches" ADD CONSTRAINT "chk_matches_cause_code" CHECK ("cause_code" IS NULL OR "cause_code" IN ('illness','disability','schooling','unemployment','low_income','accident','disaster','single_parent','other'))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "matches" DROP CONSTRAINT "chk_matches_cause_code"`);
    await queryRunner.query(`ALTER TABLE "matches" DROP COLUMN "cause_code"`);
  }
}
