import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../app-role';

/** The state moves of NEED_TRANSITIONS (allowedNeedStatePairs()) when this migration was written. */
const PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['fulfilled', 'closed'],
  ['matched', 'fulfilled'],
  ['matched', 'open'],
  ['open', 'expired'],
  ['open', 'matched'],
  ['open', 'withdrawn'],
  ['screening', 'open'],
  ['screening', 'rejected'],
  ['screening', 'withdrawn'],
  ['submitted', 'rejected'],
  ['submitted', 'screening'],
  ['submitted', 'withdrawn'],
];

/**
 * Needs (需求/点单) and their history. As for archives (issue 9 item 2), `need_state_transitions` lists
 * every allowed (from, to) pair: a BEFORE UPDATE trigger refuses any other change of `needs.state`, a
 * BEFORE INSERT trigger refuses a need that does not start `submitted` and a history row whose move is
 * not in the table (creation: from nothing to `submitted`), all SQLSTATE 23514. The partial unique index
 * keeps one need per household, item and beneficiary until it reaches a final state. The application's
 * role may not delete needs, nor change or delete history.
 */

export class Needs1796491012504 implements MigrationInterface {
  name = 'Needs1796491012504';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "needs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "archive_id" uuid NOT NULL, "menu_item_id" uuid NOT NULL, "beneficiary_key" character varying(36) NOT NULL, "quantity" integer NOT NULL, "urgency" character varying(16) NOT NULL, "tags" character varying(20) array NOT NULL DEFAULT '{}', "description" character varying(1000), "preferred_mode" character varying(8) NOT NULL, "region_code" character varying(6) NOT NULL, "contact_preference" character varying(16) NOT NULL, "state" character varying(16) NOT NULL, "reject_reasons" character varying(40) array NOT NULL DEFAULT '{}', "created_by" uuid NOT NULL, "on_behalf" boolean NOT NULL DEFAULT false, "opened_at" TIMESTAMP WITH TIME ZONE, "expires_at" TIMESTAMP WITH TIME ZONE, "state_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, CONSTRAINT "chk_needs_open_window" CHECK ("state" NOT IN ('open','matched','fulfilled','closed','expired') OR ("opened_at" IS NOT NULL AND "expires_at" > "opened_at")), CONSTRAINT "chk_needs_reject_reasons" CHECK (("state" = 'rejected') = (cardinality("reject_reasons") > 0)), CONSTRAINT "chk_needs_beneficiary" CHECK ("beneficiary_key" = 'head' OR "beneficiary_key" ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'), CONSTRAINT "chk_needs_region" CHECK ("region_code" ~ '^[0-9]{6}$'), CONSTRAINT "chk_needs_quantity" CHECK ("quantity" BETWEEN 1 AND 5000000), CONSTRAINT "chk_needs_contact" CHECK ("contact_preference" IN ('phone','sms','visit','via_union')), CONSTRAINT "chk_needs_mode" CHECK ("preferred_mode" IN ('onsite','online','any')), CONSTRAINT "chk_needs_urgency" CHECK ("urgency" IN ('normal','urgent','emergency')), CONSTRAINT "chk_needs_state" CHECK ("state" IN ('submitted','screening','open','matched','fulfilled','closed','rejected','withdrawn','expired')), CONSTRAINT "PK_fdb71d393bc390a1a09ac047dd1" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_needs_archive" ON "needs"  ("archive_id") `);
    await queryRunner.query(`CREATE INDEX "idx_needs_state_expiry" ON "needs"  ("state", "expires_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_needs_open_per_beneficiary" ON "needs"  ("archive_id", "menu_item_id", "beneficiary_key") WHERE state NOT IN ('closed','rejected','withdrawn','expired')`);
    await queryRunner.query(`CREATE TABLE "need_history" ("id" BIGSERIAL NOT NULL, "need_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor_id" uuid, "actor_kind" character varying(8) NOT NULL, "command" character varying(16) NOT NULL, "from_state" character varying(16), "to_state" character varying(16) NOT NULL, "reasons" character varying(40) array NOT NULL DEFAULT '{}', "note" character varying(500), CONSTRAINT "chk_need_history_actor" CHECK ("actor_kind" IN ('worker','staff','system')), CONSTRAINT "PK_f2007440e3d682a8a80074a95dc" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_need_history_need" ON "need_history"  ("need_id", "id") `);
    await queryRunner.query(`ALTER TABLE "needs" ADD CONSTRAINT "fk_needs_archive" FOREIGN KEY ("archive_id") REFERENCES "archives"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "needs" ADD CONSTRAINT "fk_needs_menu_item" FOREIGN KEY ("menu_item_id") REFERENCES "menu_items"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "need_history" ADD CONSTRAINT "fk_need_history_need" FOREIGN KEY ("need_id") REFERENCES "needs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(
      `CREATE TABLE "need_state_transitions" ("from_state" character varying(16) NOT NULL, "to_state" character varying(16) NOT NULL, CONSTRAINT "PK_need_state_transitions" PRIMARY KEY ("from_state", "to_state"), CONSTRAINT "chk_need_state_transitions_moves" CHECK (from_state <> to_state))`,
    );
    await queryRunner.query(
      `INSERT INTO "need_state_transitions" (from_state, to_state) SELECT * FROM unnest($1::text[], $2::text[])`,
      [PAIRS.map(([from]) => from), PAIRS.map(([, to]) => to)],
    );
    await queryRunner.query(`CREATE FUNCTION needs_refuse_illegal_state() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          IF NEW.state <> 'submitted' THEN
            RAISE EXCEPTION 'need % must start submitted, not %', NEW.id, NEW.state
              USING ERRCODE = 'check_violation', CONSTRAINT = 'need_state_transition';
          END IF;
        ELSIF NOT EXISTS (SELECT 1 FROM need_state_transitions
                           WHERE from_state = OLD.state AND to_state = NEW.state) THEN
          RAISE EXCEPTION 'need % may not move from state % to %', OLD.id, OLD.state, NEW.state
            USING ERRCODE = 'check_violation', CONSTRAINT = 'need_state_transition';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER needs_state_transition BEFORE UPDATE OF state ON "needs" FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION needs_refuse_illegal_state()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER needs_state_initial BEFORE INSERT ON "needs" FOR EACH ROW EXECUTE FUNCTION needs_refuse_illegal_state()`,
    );
    await queryRunner.query(`CREATE FUNCTION need_history_refuse_illegal_move() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (NEW.from_state IS NULL AND NEW.to_state <> 'submitted')
           OR (NEW.from_state IS NOT NULL AND NOT EXISTS (SELECT 1 FROM need_state_transitions
                WHERE from_state = NEW.from_state AND to_state = NEW.to_state)) THEN
          RAISE EXCEPTION 'need history: no move from % to %', NEW.from_state, NEW.to_state
            USING ERRCODE = 'check_violation', CONSTRAINT = 'need_history_transition';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER need_history_transition BEFORE INSERT ON "need_history" FOR EACH ROW EXECUTE FUNCTION need_history_refuse_illegal_move()`,
    );
    await queryRunner.query(`REVOKE DELETE ON "needs" FROM "${APP_ROLE}"`);
    await queryRunner.query(`REVOKE UPDATE, DELETE ON "need_history" FROM "${APP_ROLE}"`);
    await queryRunner.query(`REVOKE INSERT, UPDATE, DELETE ON "need_state_transitions" FROM "${APP_ROLE}"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER need_history_transition ON "need_history"`);
    await queryRunner.query(`DROP FUNCTION need_history_refuse_illegal_move()`);
    await queryRunner.query(`DROP TRIGGER needs_state_initial ON "needs"`);
    await queryRunner.query(`DROP TRIGGER needs_state_transition ON "needs"`);
    await queryRunner.query(`DROP FUNCTION needs_refuse_illegal_state()`);
    await queryRunner.query(`DROP TABLE "need_state_transitions"`);
    await queryRunner.query(`ALTER TABLE "need_history" DROP CONSTRAINT "fk_need_history_need"`);
    await queryRunner.query(`ALTER TABLE "needs" DROP CONSTRAINT "fk_needs_menu_item"`);
    await queryRunner.query(`ALTER TABLE "needs" DROP CONSTRAINT "fk_needs_archive"`);
    await queryRunner.query(`DROP INDEX "public"."idx_need_history_need"`);
    await queryRunner.query(`DROP TABLE "need_history"`);
    await queryRunner.query(`DROP INDEX "public"."uq_needs_open_per_beneficiary"`);
    await queryRunner.query(`DROP INDEX "public"."idx_needs_state_expiry"`);
    await queryRunner.query(`DROP INDEX "public"."idx_needs_archive"`);
    await queryRunner.query(`DROP TABLE "needs"`);
  }
}
