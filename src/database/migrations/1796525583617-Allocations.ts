import { MigrationInterface, QueryRunner } from 'typeorm';

export class Allocations1796525583617 implements MigrationInterface {
  name = 'Allocations1796525583617';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "allocations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "org_unit_id" uuid NOT NULL, "strategy" character varying(16) NOT NULL, "max_candidates_per_need" integer NOT NULL, "offer_ids" uuid array, "offer_filter" jsonb NOT NULL DEFAULT '{}', "need_filter" jsonb NOT NULL DEFAULT '{}', "state" character varying(16) NOT NULL, "phase" character varying(16), "progress_done" integer NOT NULL DEFAULT '0', "progress_total" integer NOT NULL DEFAULT '0', "need_count" integer, "offer_count" integer, "edge_count" integer, "total" bigint, "bound" bigint, "optimal_total" bigint, "greedy_total" bigint, "assigned" integer, "solve_ms" integer, "error_code" character varying(64), "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "started_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, "discarded_at" TIMESTAMP WITH TIME ZONE, "discarded_by" uuid, "version" integer NOT NULL, CONSTRAINT "chk_allocations_discarded" CHECK (("state" = 'discarded') = ("discarded_at" IS NOT NULL)), CONSTRAINT "chk_allocations_failed" CHECK (("state" = 'failed') = ("error_code" IS NOT NULL)), CONSTRAINT "chk_allocations_done" CHECK (("state" = 'done') <= ("total" IS NOT NULL AND "finished_at" IS NOT NULL)), CONSTRAINT "chk_allocations_progress" CHECK ("progress_done" >= 0 AND "progress_total" >= 0), CONSTRAINT "chk_allocations_k" CHECK ("max_candidates_per_need" BETWEEN 1 AND 200), CONSTRAINT "chk_allocations_strategy" CHECK ("strategy" IN ('optimal','greedy')), CONSTRAINT "chk_allocations_phase" CHECK ("phase" IS NULL OR "phase" IN ('candidates','solving','saving')), CONSTRAINT "chk_allocations_state" CHECK ("state" IN ('queued','running','done','failed','discarded')), CONSTRAINT "PK_ca63099fc248466264af0fa6f1f" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_allocations_unit_created" ON "allocations"  ("org_unit_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "allocation_lines" ("allocation_id" uuid NOT NULL, "need_id" uuid NOT NULL, "offer_id" uuid, "score" integer, "breakdown" jsonb, "reason" character varying(32), CONSTRAINT "chk_allocation_lines_score" CHECK (("offer_id" IS NULL) = ("score" IS NULL) AND ("score" IS NULL OR "score" > 0)), CONSTRAINT "chk_allocation_lines_reason" CHECK (("offer_id" IS NULL) = ("reason" IS NOT NULL) AND ("reason" IS NULL OR "reason" IN ('no_eligible_offer','capacity_taken','changed_during_run'))), CONSTRAINT "PK_5550c7018d3c9b21323b04ed842" PRIMARY KEY ("allocation_id", "need_id"))`);
    await queryRunner.query(`CREATE INDEX "idx_allocation_lines_offer" ON "allocation_lines"  ("allocation_id", "offer_id") `);
    await queryRunner.query(`ALTER TABLE "allocations" ADD CONSTRAINT "FK_5959969776baf23f02af9c5d896" FOREIGN KEY ("org_unit_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "allocations" ADD CONSTRAINT "FK_4c4408d2c6c0a075aae3deb3727" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "allocation_lines" ADD CONSTRAINT "FK_ff846d47b2d5f157f9827a1fb7e" FOREIGN KEY ("allocation_id") REFERENCES "allocations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "allocation_lines" ADD CONSTRAINT "FK_ba1c88b0023052427f7d6f03b34" FOREIGN KEY ("need_id") REFERENCES "needs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "allocation_lines" ADD CONSTRAINT "FK_4ebb6daf46a4defb5b7fc74ce94" FOREIGN KEY ("offer_id") REFERENCES "offers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "allocation_lines" DROP CONSTRAINT "FK_4ebb6daf46a4defb5b7fc74ce94"`);
    await queryRunner.query(`ALTER TABLE "allocation_lines" DROP CONSTRAINT "FK_ba1c88b0023052427f7d6f03b34"`);
    await queryRunner.query(`ALTER TABLE "allocation_lines" DROP CONSTRAINT "FK_ff846d47b2d5f157f9827a1fb7e"`);
    await queryRunner.query(`ALTER TABLE "allocations" DROP CONSTRAINT "FK_4c4408d2c6c0a075aae3deb3727"`);
    await queryRunner.query(`ALTER TABLE "allocations" DROP CONSTRAINT "FK_5959969776baf23f02af9c5d896"`);
    await queryRunner.query(`DROP INDEX "public"."idx_allocation_lines_offer"`);
    await queryRunner.query(`DROP TABLE "allocation_lines"`);
    await queryRunner.query(`DROP INDEX "public"."idx_allocations_unit_created"`);
    await queryRunner.query(`DROP TABLE "allocations"`);
  }
}
