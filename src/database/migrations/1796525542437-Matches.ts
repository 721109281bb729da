import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../app-role';

/** The state moves of MATCH_TRANSITIONS (allowedMatchStatePairs()) when this migration was written. */
const PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['accepted', 'cancelled'],
  ['accepted', 'declined'],
  ['accepted', 'delivered'],
  ['accepted', 'expired'],
  ['accepted', 'in_progress'],
  ['approved', 'accepted'],
  ['approved', 'cancelled'],
  ['approved', 'declined'],
  ['approved', 'expired'],
  ['approved', 'rejected'],
  ['confirmed', 'followed_up'],
  ['delivered', 'confirmed'],
  ['followed_up', 'closed'],
  ['in_progress', 'cancelled'],
  ['in_progress', 'delivered'],
  ['in_progress', 'expired'],
  ['proposed', 'approved'],
  ['proposed', 'cancelled'],
  ['proposed', 'expired'],
  ['proposed', 'rejected'],
];

/**
 * Matches (匹配) and their history (issue 13 §1). As for offers, `match_state_transitions` lists every
 * allowed (from, to) pair: a BEFORE UPDATE trigger refuses any other change of `matches.state`, a BEFORE
 * INSERT trigger refuses a match that does not start `proposed`, and a history row must be a move of the
 * table (creation: from nothing to `proposed`; a record in place such as a consent: from a state to
 * itself), all SQLSTATE 23514. A need has at most one match on the active path (uq_matches_need_active).
 * The application's role may not delete matches, nor change or delete history.
 */
export class Matches1796525542437 implements MigrationInterface {
  name = 'Matches1796525542437';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "matches" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "need_id" uuid NOT NULL, "offer_id" uuid NOT NULL, "partner_id" uuid NOT NULL, "archive_id" uuid NOT NULL, "beneficiary_key" character varying(36) NOT NULL, "state" character varying(16) NOT NULL, "proposed_by" uuid, "proposed_via" character varying(8) NOT NULL, "units" integer NOT NULL, "amount_fen" integer, "consent_at" TIMESTAMP WITH TIME ZONE, "consent_by" uuid, "consent_by_kind" character varying(12), "consent_archive_consent_id" uuid, "consent_revoked_at" TIMESTAMP WITH TIME ZONE, "decline_reason" character varying(32), "parked_until" date, "park_scope" character varying(8), "delivered_at" TIMESTAMP WITH TIME ZONE, "delivery_note" character varying(1000), "delivered_amount_fen" integer, "delivered_goods_count" integer, "confirmed_at" TIMESTAMP WITH TIME ZONE, "confirm_reason" character varying(500), "follow_up_on" date, "follow_up_channel" character varying(12), "follow_up_findings" character varying(1000), "satisfaction" smallint, "outcome" character varying(20), "close_note" character varying(1000), "exit_note" character varying(500), "state_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, CONSTRAINT "chk_matches_amounts" CHECK (("amount_fen" IS NULL OR "amount_fen" > 0) AND ("delivered_amount_fen" IS NULL OR "delivered_amount_fen" > 0) AND ("delivered_goods_count" IS NULL OR "delivered_goods_count" > 0)), CONSTRAINT "chk_matches_consent_kind" CHECK ("consent_by_kind" IS NULL OR "consent_by_kind" IN ('worker','caseworker')), CONSTRAINT "chk_matches_follow_up_channel" CHECK ("follow_up_channel" IS NULL OR "follow_up_channel" IN ('phone','visit','online','via_union')), CONSTRAINT "chk_matches_satisfaction" CHECK ("satisfaction" IS NULL OR "satisfaction" BETWEEN 1 AND 5), CONSTRAINT "chk_matches_outcome" CHECK (("state" = 'closed') = ("outcome" IS NOT NULL) AND ("outcome" IS NULL OR "outcome" IN ('resolved','partially_resolved','unresolved'))), CONSTRAINT "chk_matches_decline" CHECK (("state" = 'declined') = ("decline_reason" IS NOT NULL) AND ("decline_reason" IS NULL OR "decline_reason" IN ('no_longer_available','not_eligible_on_contact','worker_unreachable','worker_refused','duplicate','other'))), CONSTRAINT "chk_matches_units" CHECK ("units" BETWEEN 1 AND 1000000), CONSTRAINT "chk_matches_state" CHECK ("state" IN ('proposed','approved','accepted','in_progress','delivered','confirmed','followed_up','closed','rejected','declined','cancelled','expired')), CONSTRAINT "PK_8a22c7b2e0828988d51256117f4" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_matches_archive" ON "matches"  ("archive_id") `);
    await queryRunner.query(`CREATE INDEX "idx_matches_partner_state" ON "matches"  ("partner_id", "state") `);
    await queryRunner.query(`CREATE INDEX "idx_matches_offer_state" ON "matches"  ("offer_id", "state") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_matches_need_active" ON "matches"  ("need_id") WHERE state IN ('proposed','approved','accepted','in_progress','delivered','confirmed','followed_up')`);
    await queryRunner.query(`CREATE TABLE "match_history" ("id" BIGSERIAL NOT NULL, "match_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor_id" uuid, "actor_kind" character varying(8) NOT NULL, "command" character varying(16) NOT NULL, "from_state" character varying(16), "to_state" character varying(16) NOT NULL, "reason" character varying(32), "note" character varying(1000), CONSTRAINT "chk_match_history_actor" CHECK ("actor_kind" IN ('worker','partner','staff','system')), CONSTRAINT "PK_efc236c939f8248229d873f4893" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_match_history_match" ON "match_history"  ("match_id", "id") `);
    await queryRunner.query(`ALTER TABLE "matches" ADD CONSTRAINT "fk_matches_need" FOREIGN KEY ("need_id") REFERENCES "needs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "matches" ADD CONSTRAINT "fk_matches_offer" FOREIGN KEY ("offer_id") REFERENCES "offers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "matches" ADD CONSTRAINT "fk_matches_partner" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "matches" ADD CONSTRAINT "fk_matches_archive" FOREIGN KEY ("archive_id") REFERENCES "archives"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "match_history" ADD CONSTRAINT "fk_match_history_match" FOREIGN KEY ("match_id") REFERENCES "matches"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(
      `CREATE TABLE "match_state_transitions" ("from_state" character varying(16) NOT NULL, "to_state" character varying(16) NOT NULL, CONSTRAINT "PK_match_state_transitions" PRIMARY KEY ("from_state", "to_state"), CONSTRAINT "chk_match_state_transitions_moves" CHECK (from_state <> to_state))`,
    );
    await queryRunner.query(
      `INSERT INTO "match_state_transitions" (from_state, to_state) SELECT * FROM unnest($1::text[], $2::text[])`,
      [PAIRS.map(([from]) => from), PAIRS.map(([, to]) => to)],
    );
    await queryRunner.query(`CREATE FUNCTION matches_refuse_illegal_state() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          IF NEW.state <> 'proposed' THEN
            RAISE EXCEPTION 'match % must start proposed, not %', NEW.id, NEW.state
              USING ERRCODE = 'check_violation', CONSTRAINT = 'match_state_transition';
          END IF;
        ELSIF NOT EXISTS (SELECT 1 FROM match_state_transitions
                           WHERE from_state = OLD.state AND to_state = NEW.state) THEN
          RAISE EXCEPTION 'match % may not move from state % to %', OLD.id, OLD.state, NEW.state
            USING ERRCODE = 'check_violation', CONSTRAINT = 'match_state_transition';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER matches_state_transition BEFORE UPDATE OF state ON "matches" FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION matches_refuse_illegal_state()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER matches_state_initial BEFORE INSERT ON "matches" FOR EACH ROW EXECUTE FUNCTION matches_refuse_illegal_state()`,
    );
    await queryRunner.query(`CREATE FUNCTION match_history_refuse_illegal_move() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (NEW.from_state IS NULL AND NEW.to_state <> 'proposed')
           OR (NEW.from_state IS NOT NULL AND NEW.from_state <> NEW.to_state
               AND NOT EXISTS (SELECT 1 FROM match_state_transitions
                                WHERE from_state = NEW.from_state AND to_state = NEW.to_state)) THEN
          RAISE EXCEPTION 'match history: no move from % to %', NEW.from_state, NEW.to_state
            USING ERRCODE = 'check_violation', CONSTRAINT = 'match_history_transition';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER match_history_transition BEFORE INSERT ON "match_history" FOR EACH ROW EXECUTE FUNCTION match_history_refuse_illegal_move()`,
    );
    await queryRunner.query(`REVOKE DELETE ON "matches" FROM "${APP_ROLE}"`);
    await queryRunner.query(`REVOKE UPDATE, DELETE ON "match_history" FROM "${APP_ROLE}"`);
    await queryRunner.query(`REVOKE INSERT, UPDATE, DELETE ON "match_state_transitions" FROM "${APP_ROLE}"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER match_history_transition ON "match_history"`);
    await queryRunner.query(`DROP FUNCTION match_history_refuse_illegal_move()`);
    await queryRunner.query(`DROP TRIGGER matches_state_initial ON "matches"`);
    await queryRunner.query(`DROP TRIGGER matches_state_transition ON "matches"`);
    await queryRunner.query(`DROP FUNCTION matches_refuse_illegal_state()`);
    await queryRunner.query(`DROP TABLE "match_state_transitions"`);
    await queryRunner.query(`ALTER TABLE "match_history" DROP CONSTRAINT "fk_match_history_match"`);
    await queryRunner.query(`ALTER TABLE "matches" DROP CONSTRAINT "fk_matches_archive"`);
    await queryRunner.query(`ALTER TABLE "matches" DROP CONSTRAINT "fk_matches_partner"`);
    await queryRunner.query(`ALTER TABLE "matches" DROP CONSTRAINT "fk_matches_offer"`);
    await queryRunner.query(`ALTER TABLE "matches" DROP CONSTRAINT "fk_matches_need"`);
    await queryRunner.query(`DROP INDEX "public"."idx_match_history_match"`);
    await queryRunner.query(`DROP TABLE "match_history"`);
    await queryRunner.query(`DROP INDEX "public"."uq_matches_need_active"`);
    await queryRunner.query(`DROP INDEX "public"."idx_matches_offer_state"`);
    await queryRunner.query(`DROP INDEX "public"."idx_matches_partner_state"`);
    await queryRunner.query(`DROP INDEX "public"."idx_matches_archive"`);
    await queryRunner.query(`DROP TABLE "matches"`);
  }
}
