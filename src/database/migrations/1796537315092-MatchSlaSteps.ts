import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../app-role';

/**
 * Match SLA steps done (issue 13 §4): one row per (match, state entry, step). Its primary key is the claim
 * the delayed job and the daily sweeper race for (insert … on conflict do nothing); rows are never
 * changed, so the application's role may only insert and read them.
 */

export class MatchSlaSteps1796537315092 implements MigrationInterface {
  name = 'MatchSlaSteps1796537315092';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "match_sla_steps" ("match_id" uuid NOT NULL, "state" character varying(16) NOT NULL, "entered_at" TIMESTAMP WITH TIME ZONE NOT NULL, "step" character varying(12) NOT NULL, "done_by" character varying(8) NOT NULL, "done_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "chk_match_sla_steps_step" CHECK ("step" IN ('remind-half','remind','escalate','expire')), CONSTRAINT "PK_96c0d60a3f261443677893930c0" PRIMARY KEY ("match_id", "state", "entered_at", "step"))`);
    await queryRunner.query(`ALTER TABLE "match_sla_steps" ADD CONSTRAINT "fk_match_sla_steps_match" FOREIGN KEY ("match_id") REFERENCES "matches"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`REVOKE UPDATE, DELETE ON "match_sla_steps" FROM "${APP_ROLE}"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "match_sla_steps" DROP CONSTRAINT "fk_match_sla_steps_match"`);
    await queryRunner.query(`DROP TABLE "match_sla_steps"`);
  }
}
