import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Category facts (低保证 number, the accident's date, income cut and expense), the application date the
 * 低保 line is taken on, and two backfills: the application date of archives already submitted (their
 * first submission, China time) and the household income without 低保金, which no longer counts (the other
 * excluded kinds are new, so no stored item has them).
 */
export class ArchiveCategoryFacts1796409000000 implements MigrationInterface {
  name = 'ArchiveCategoryFacts1796409000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "archives" ADD "dibao_certificate_no" character varying(40)`);
    await queryRunner.query(`ALTER TABLE "archives" ADD "incident_on" date`);
    await queryRunner.query(`ALTER TABLE "archives" ADD "incident_income_loss_fen" integer`);
    await queryRunner.query(`ALTER TABLE "archives" ADD "incident_expense_fen" integer`);
    await queryRunner.query(`ALTER TABLE "archives" ADD "applied_on" date`);
    await queryRunner.query(
      `ALTER TABLE "archives" ADD CONSTRAINT "chk_archives_incident_amounts" CHECK ((incident_income_loss_fen IS NULL OR incident_income_loss_fen >= 0) AND (incident_expense_fen IS NULL OR incident_expense_fen >= 0))`,
    );
    await queryRunner.query(
      `UPDATE archives a
          SET applied_on = COALESCE(
                (SELECT min(e.at) FROM archive_events e WHERE e.archive_id = a.id AND e.command = 'submit'),
                a.submitted_at) AT TIME ZONE 'Asia/Shanghai'
        WHERE a.submitted_at IS NOT NULL AND a.applied_on IS NULL`,
    );
    await queryRunner.query(
      `UPDATE archives a
          SET monthly_income_fen = a.monthly_income_fen - x.excluded,
              per_capita_income_fen = (a.monthly_income_fen - x.excluded) / a.household_size
         FROM (SELECT archive_id, sum(monthly_amount_fen) AS excluded FROM archive_income_items
                WHERE kind = 'dibao_benefit' GROUP BY archive_id) x
        WHERE x.archive_id = a.id`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE archives a
          SET monthly_income_fen = a.monthly_income_fen + x.excluded,
              per_capita_income_fen = (a.monthly_income_fen + x.excluded) / a.household_size
         FROM (SELECT archive_id, sum(monthly_amount_fen) AS excluded FROM archive_income_items
                WHERE kind = 'dibao_benefit' GROUP BY archive_id) x
        WHERE x.archive_id = a.id`,
    );
    await queryRunner.query(`ALTER TABLE "archives" DROP CONSTRAINT "chk_archives_incident_amounts"`);
    await queryRunner.query(`ALTER TABLE "archives" DROP COLUMN "applied_on"`);
    await queryRunner.query(`ALTER TABLE "archives" DROP COLUMN "incident_expense_fen"`);
    await queryRunner.query(`ALTER TABLE "archives" DROP COLUMN "incident_income_loss_fen"`);
    await queryRunner.query(`ALTER TABLE "archives" DROP COLUMN "incident_on"`);
    await queryRunner.query(`ALTER TABLE "archives" DROP COLUMN "dibao_certificate_no"`);
  }
}
