import { MigrationInterface, QueryRunner } from 'typeorm';

export class OfferDeclaredValue1796538726895 implements MigrationInterface {
  name = 'OfferDeclaredValue1796538726895';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "offers" ADD "declared_value_fen" integer`);
    await queryRunner.query(`ALTER TABLE "offers" ADD CONSTRAINT "chk_offers_declared_value" CHECK ("declared_value_fen" IS NULL OR ("kind" <> 'cash' AND "declared_value_fen" BETWEEN 1 AND 500000000))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "offers" DROP CONSTRAINT "chk_offers_declared_value"`);
    await queryRunner.query(`ALTER TABLE "offers" DROP COLUMN "declared_value_fen"`);
  }
}
