import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../app-role';

/** The state moves of OFFER_TRANSITIONS (allowedOfferStatePairs()) when this migration was written. */
const PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['draft', 'closed'],
  ['draft', 'pending_review'],
  ['paused', 'closed'],
  ['paused', 'pending_review'],
  ['paused', 'published'],
  ['pending_review', 'closed'],
  ['pending_review', 'draft'],
  ['pending_review', 'published'],
  ['published', 'closed'],
  ['published', 'paused'],
  ['published', 'pending_review'],
];

/**
 * Offers (供给), the menu items each serves, and their history. As for needs, `offer_state_transitions`
 * lists every allowed (from, to) pair: a BEFORE UPDATE trigger refuses any other change of `offers.state`,
 * a BEFORE INSERT trigger refuses an offer that does not start `draft`, and a history row must be a move
 * of the table (creation: from nothing to `draft`; an edit in place: from a state to itself), all
 * SQLSTATE 23514. Capacity is kept by CHECKs: remaining = capacity − reserved − used, remaining ≥ 0.
 *
 * A partner's vetting status is part of every offer document (partnerActive): when it changes, a trigger
 * on partners queues the partner's offers in the outbox in the same transaction (the partners module does
 * not know offers exist). The application's role may not delete offers, nor change or delete history.
 */

export class Offers1796515767265 implements MigrationInterface {
  name = 'Offers1796515767265';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "offers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "partner_id" uuid NOT NULL, "title" character varying(100) NOT NULL, "description" character varying(2000), "kind" character varying(8) NOT NULL, "capacity" integer NOT NULL, "amount_per_beneficiary_fen" integer, "reserved" integer NOT NULL DEFAULT '0', "used" integer NOT NULL DEFAULT '0', "remaining" integer NOT NULL, "elig_categories" character varying(16) array NOT NULL DEFAULT '{}', "elig_causes" character varying(16) array NOT NULL DEFAULT '{}', "elig_employment" character varying(24) array NOT NULL DEFAULT '{}', "age_min" smallint, "age_max" smallint, "income_factor" numeric(4,2), "requires_active_archive" boolean NOT NULL DEFAULT true, "scope_org_unit_id" uuid, "scope_region_prefix" character varying(6), "online" boolean NOT NULL DEFAULT false, "region_code" character varying(6) NOT NULL, "address" character varying(200), "valid_from" date NOT NULL, "valid_until" date NOT NULL, "per_household_limit" smallint NOT NULL DEFAULT '1', "cooldown_days" smallint NOT NULL DEFAULT '0', "contact_name" character varying(50) NOT NULL, "contact_phone_ciphertext" text NOT NULL, "state" character varying(16) NOT NULL, "closed_reason" character varying(20), "return_reasons" character varying(32) array NOT NULL DEFAULT '{}', "created_by" uuid NOT NULL, "submitted_by" uuid, "published_at" TIMESTAMP WITH TIME ZONE, "state_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, CONSTRAINT "chk_offers_return_reasons" CHECK ("state" = 'draft' OR cardinality("return_reasons") = 0), CONSTRAINT "chk_offers_title" CHECK (length(btrim("title")) > 0), CONSTRAINT "chk_offers_eligibility_sets" CHECK ("elig_categories" <@ ARRAY['dibao','marginal','accident']::varchar[] AND "elig_causes" <@ ARRAY['illness','disability','schooling','unemployment','low_income','accident','disaster','single_parent','other']::varchar[] AND "elig_employment" <@ ARRAY['employed','retired','laid_off','contract_terminated','migrant_worker']::varchar[]), CONSTRAINT "chk_offers_scope" CHECK ("scope_org_unit_id" IS NOT NULL OR "scope_region_prefix" IS NOT NULL), CONSTRAINT "chk_offers_scope_region" CHECK ("scope_region_prefix" IS NULL OR "scope_region_prefix" ~ '^([0-9]{2}){1,3}$'), CONSTRAINT "chk_offers_region" CHECK ("region_code" ~ '^[0-9]{6}$'), CONSTRAINT "chk_offers_limits" CHECK ("per_household_limit" BETWEEN 1 AND 100 AND "cooldown_days" BETWEEN 0 AND 3650), CONSTRAINT "chk_offers_income_factor" CHECK ("income_factor" IS NULL OR ("income_factor" > 0 AND "income_factor" <= 5)), CONSTRAINT "chk_offers_age" CHECK (("age_min" IS NULL OR "age_min" BETWEEN 0 AND 120) AND ("age_max" IS NULL OR "age_max" BETWEEN 0 AND 120) AND ("age_min" IS NULL OR "age_max" IS NULL OR "age_min" <= "age_max")), CONSTRAINT "chk_offers_validity" CHECK ("valid_until" >= "valid_from" AND "valid_until" - "valid_from" <= 731), CONSTRAINT "chk_offers_cash_amount" CHECK (("kind" = 'cash') = ("amount_per_beneficiary_fen" IS NOT NULL) AND ("amount_per_beneficiary_fen" IS NULL OR "amount_per_beneficiary_fen" BETWEEN 1 AND 500000000)), CONSTRAINT "chk_offers_remaining" CHECK ("remaining" = "capacity" - "reserved" - "used"), CONSTRAINT "chk_offers_remaining_non_negative" CHECK ("remaining" >= 0), CONSTRAINT "chk_offers_capacity" CHECK ("capacity" BETWEEN 1 AND 1000000 AND "reserved" >= 0 AND "used" >= 0), CONSTRAINT "chk_offers_closed_reason" CHECK (("state" = 'closed') = ("closed_reason" IS NOT NULL) AND ("closed_reason" IS NULL OR "closed_reason" IN ('exhausted','expired','withdrawn','partner_suspended'))), CONSTRAINT "chk_offers_kind" CHECK ("kind" IN ('slots','goods','cash')), CONSTRAINT "chk_offers_state" CHECK ("state" IN ('draft','pending_review','published','paused','closed')), CONSTRAINT "PK_4c88e956195bba85977da21b8f4" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_offers_partner" ON "offers"  ("partner_id") `);
    await queryRunner.query(`CREATE INDEX "idx_offers_state_until" ON "offers"  ("state", "valid_until") `);
    await queryRunner.query(`CREATE TABLE "offer_items" ("offer_id" uuid NOT NULL, "menu_item_id" uuid NOT NULL, "position" smallint NOT NULL, CONSTRAINT "PK_601b0612b40a8e907854c58c169" PRIMARY KEY ("offer_id", "menu_item_id"))`);
    await queryRunner.query(`CREATE INDEX "idx_offer_items_item" ON "offer_items"  ("menu_item_id") `);
    await queryRunner.query(`CREATE TABLE "offer_history" ("id" BIGSERIAL NOT NULL, "offer_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor_id" uuid, "actor_kind" character varying(8) NOT NULL, "command" character varying(16) NOT NULL, "from_state" character varying(16), "to_state" character varying(16) NOT NULL, "reasons" character varying(32) array NOT NULL DEFAULT '{}', "note" character varying(500), CONSTRAINT "chk_offer_history_actor" CHECK ("actor_kind" IN ('partner','staff','system')), CONSTRAINT "PK_f37fc79f8b462f53fe1f64a9044" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_offer_history_offer" ON "offer_history"  ("offer_id", "id") `);
    await queryRunner.query(`ALTER TABLE "offers" ADD CONSTRAINT "fk_offers_partner" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "offers" ADD CONSTRAINT "fk_offers_scope_org_unit" FOREIGN KEY ("scope_org_unit_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "offer_items" ADD CONSTRAINT "fk_offer_items_offer" FOREIGN KEY ("offer_id") REFERENCES "offers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "offer_items" ADD CONSTRAINT "fk_offer_items_menu_item" FOREIGN KEY ("menu_item_id") REFERENCES "menu_items"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "offer_history" ADD CONSTRAINT "fk_offer_history_offer" FOREIGN KEY ("offer_id") REFERENCES "offers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(
      `CREATE TABLE "offer_state_transitions" ("from_state" character varying(16) NOT NULL, "to_state" character varying(16) NOT NULL, CONSTRAINT "PK_offer_state_transitions" PRIMARY KEY ("from_state", "to_state"), CONSTRAINT "chk_offer_state_transitions_moves" CHECK (from_state <> to_state))`,
    );
    await queryRunner.query(
      `INSERT INTO "offer_state_transitions" (from_state, to_state) SELECT * FROM unnest($1::text[], $2::text[])`,
      [PAIRS.map(([from]) => from), PAIRS.map(([, to]) => to)],
    );
    await queryRunner.query(`CREATE FUNCTION offers_refuse_illegal_state() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          IF NEW.state <> 'draft' THEN
            RAISE EXCEPTION 'offer % must start draft, not %', NEW.id, NEW.state
              USING ERRCODE = 'check_violation', CONSTRAINT = 'offer_state_transition';
          END IF;
        ELSIF NOT EXISTS (SELECT 1 FROM offer_state_transitions
                           WHERE from_state = OLD.state AND to_state = NEW.state) THEN
          RAISE EXCEPTION 'offer % may not move from state % to %', OLD.id, OLD.state, NEW.state
            USING ERRCODE = 'check_violation', CONSTRAINT = 'offer_state_transition';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER offers_state_transition BEFORE UPDATE OF state ON "offers" FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION offers_refuse_illegal_state()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER offers_state_initial BEFORE INSERT ON "offers" FOR EACH ROW EXECUTE FUNCTION offers_refuse_illegal_state()`,
    );
    await queryRunner.query(`CREATE FUNCTION offer_history_refuse_illegal_move() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (NEW.from_state IS NULL AND NEW.to_state <> 'draft')
           OR (NEW.from_state IS NOT NULL AND NEW.from_state <> NEW.to_state
               AND NOT EXISTS (SELECT 1 FROM offer_state_transitions
                                WHERE from_state = NEW.from_state AND to_state = NEW.to_state)) THEN
          RAISE EXCEPTION 'offer history: no move from % to %', NEW.from_state, NEW.to_state
            USING ERRCODE = 'check_violation', CONSTRAINT = 'offer_history_transition';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER offer_history_transition BEFORE INSERT ON "offer_history" FOR EACH ROW EXECUTE FUNCTION offer_history_refuse_illegal_move()`,
    );
    await queryRunner.query(`CREATE FUNCTION partners_queue_offer_documents() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO outbox (index_name, document_id, operation)
          SELECT 'offers', o.id::text, 'upsert' FROM offers o WHERE o.partner_id = NEW.id;
        RETURN NEW;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER partners_offer_documents AFTER UPDATE OF status ON "partners" FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION partners_queue_offer_documents()`,
    );
    await queryRunner.query(`REVOKE DELETE ON "offers" FROM "${APP_ROLE}"`);
    await queryRunner.query(`REVOKE UPDATE, DELETE ON "offer_history" FROM "${APP_ROLE}"`);
    await queryRunner.query(`REVOKE INSERT, UPDATE, DELETE ON "offer_state_transitions" FROM "${APP_ROLE}"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER partners_offer_documents ON "partners"`);
    await queryRunner.query(`DROP FUNCTION partners_queue_offer_documents()`);
    await queryRunner.query(`DROP TRIGGER offer_history_transition ON "offer_history"`);
    await queryRunner.query(`DROP FUNCTION offer_history_refuse_illegal_move()`);
    await queryRunner.query(`DROP TRIGGER offers_state_initial ON "offers"`);
    await queryRunner.query(`DROP TRIGGER offers_state_transition ON "offers"`);
    await queryRunner.query(`DROP FUNCTION offers_refuse_illegal_state()`);
    await queryRunner.query(`DROP TABLE "offer_state_transitions"`);
    await queryRunner.query(`ALTER TABLE "offer_history" DROP CONSTRAINT "fk_offer_history_offer"`);
    await queryRunner.query(`ALTER TABLE "offer_items" DROP CONSTRAINT "fk_offer_items_menu_item"`);
    await queryRunner.query(`ALTER TABLE "offer_items" DROP CONSTRAINT "fk_offer_items_offer"`);
    await queryRunner.query(`ALTER TABLE "offers" DROP CONSTRAINT "fk_offers_scope_org_unit"`);
    await queryRunner.query(`ALTER TABLE "offers" DROP CONSTRAINT "fk_offers_partner"`);
    await queryRunner.query(`DROP INDEX "public"."idx_offer_history_offer"`);
    await queryRunner.query(`DROP TABLE "offer_history"`);
    await queryRunner.query(`DROP INDEX "public"."idx_offer_items_item"`);
    await queryRunner.query(`DROP TABLE "offer_items"`);
    await queryRunner.query(`DROP INDEX "public"."idx_offers_state_until"`);
    await queryRunner.query(`DROP INDEX "public"."idx_offers_partner"`);
    await queryRunner.query(`DROP TABLE "offers"`);
  }
}
