import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../app-role';

/**
 * The aid ledger (帮扶台账). Rows are append-only, for everyone but the migrating owner: a trigger refuses
 * UPDATE, DELETE and TRUNCATE whoever runs them, and the application's role is not granted UPDATE or
 * DELETE either. A correction is a new row reversing an earlier one; a BEFORE INSERT trigger makes it one
 * of the same household, category, cause and date, with the value exactly negated, and refuses reversing
 * a reversal (the unique index on `reverses` allows one reversal per row).
 */

export class AidLedger1796525550713 implements MigrationInterface {
  name = 'AidLedger1796525550713';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "aid_ledger" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "archive_id" uuid NOT NULL, "beneficiary_key" character varying(36) NOT NULL, "offer_id" uuid, "partner_id" uuid, "menu_item_id" uuid, "category" character varying(16) NOT NULL, "cause" character varying(20) NOT NULL, "value_fen" integer NOT NULL, "aid_date" date NOT NULL, "received_via" character varying(16) NOT NULL, "match_id" uuid, "reverses" uuid, "note" character varying(200), "recorded_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_aid_ledger_value" CHECK ("value_fen" BETWEEN -1000000000 AND 1000000000), CONSTRAINT "chk_aid_ledger_sign" CHECK (("reverses" IS NULL AND "value_fen" >= 0) OR ("reverses" IS NOT NULL AND "value_fen" <= 0 AND "note" IS NOT NULL)), CONSTRAINT "chk_aid_ledger_received_via" CHECK ("received_via" IN ('in_person','on_behalf','bank_transfer','delivered','online')), CONSTRAINT "chk_aid_ledger_cause" CHECK ("cause" IN ('illness','disability','schooling','unemployment','low_income','accident','disaster','single_parent','other')), CONSTRAINT "chk_aid_ledger_category" CHECK ("category" IN ('training','employment','donation','tuition','medical','legal','counseling','relief','care','policy')), CONSTRAINT "PK_62635147c86d67e8bef2cad8e11" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_aid_ledger_offer" ON "aid_ledger"  ("offer_id") `);
    await queryRunner.query(`CREATE INDEX "idx_aid_ledger_partner" ON "aid_ledger"  ("partner_id") `);
    await queryRunner.query(`CREATE INDEX "idx_aid_ledger_date" ON "aid_ledger"  ("aid_date") `);
    await queryRunner.query(`CREATE INDEX "idx_aid_ledger_match" ON "aid_ledger"  ("match_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_aid_ledger_reverses" ON "aid_ledger"  ("reverses") `);
    await queryRunner.query(`CREATE INDEX "idx_aid_ledger_archive_date" ON "aid_ledger"  ("archive_id", "aid_date") `);
    await queryRunner.query(`ALTER TABLE "aid_ledger" ADD CONSTRAINT "fk_aid_ledger_archive" FOREIGN KEY ("archive_id") REFERENCES "archives"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "aid_ledger" ADD CONSTRAINT "fk_aid_ledger_offer" FOREIGN KEY ("offer_id") REFERENCES "offers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "aid_ledger" ADD CONSTRAINT "fk_aid_ledger_partner" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "aid_ledger" ADD CONSTRAINT "fk_aid_ledger_menu_item" FOREIGN KEY ("menu_item_id") REFERENCES "menu_items"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "aid_ledger" ADD CONSTRAINT "fk_aid_ledger_reverses" FOREIGN KEY ("reverses") REFERENCES "aid_ledger"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`CREATE FUNCTION aid_ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'aid_ledger rows are never changed or deleted: record a reversal instead (帮扶台账只增不改)'
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`CREATE TRIGGER aid_ledger_append_only BEFORE UPDATE OR DELETE ON "aid_ledger" FOR EACH ROW EXECUTE FUNCTION aid_ledger_refuse_change()`);
    await queryRunner.query(`CREATE TRIGGER aid_ledger_no_truncate BEFORE TRUNCATE ON "aid_ledger" FOR EACH STATEMENT EXECUTE FUNCTION aid_ledger_refuse_change()`);
    await queryRunner.query(`CREATE FUNCTION aid_ledger_check_reversal() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE original "aid_ledger"%ROWTYPE;
      BEGIN
        SELECT * INTO original FROM "aid_ledger" WHERE "id" = NEW."reverses";
        IF NOT FOUND THEN RETURN NEW; END IF; -- the foreign key reports it
        IF original."reverses" IS NOT NULL
           OR original."archive_id" <> NEW."archive_id"
           OR original."category" <> NEW."category"
           OR original."cause" <> NEW."cause"
           OR original."aid_date" <> NEW."aid_date"
           OR NEW."value_fen" <> -original."value_fen" THEN
          RAISE EXCEPTION 'a reversal must negate one original row of the same household, category, cause and date'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_aid_ledger_reversal';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER aid_ledger_reversal BEFORE INSERT ON "aid_ledger" FOR EACH ROW WHEN (NEW."reverses" IS NOT NULL) EXECUTE FUNCTION aid_ledger_check_reversal()`);
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON "aid_ledger" FROM "${APP_ROLE}"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER aid_ledger_reversal ON "aid_ledger"`);
    await queryRunner.query(`DROP FUNCTION aid_ledger_check_reversal()`);
    await queryRunner.query(`DROP TRIGGER aid_ledger_no_truncate ON "aid_ledger"`);
    await queryRunner.query(`DROP TRIGGER aid_ledger_append_only ON "aid_ledger"`);
    await queryRunner.query(`DROP FUNCTION aid_ledger_refuse_change()`);
    await queryRunner.query(`ALTER TABLE "aid_ledger" DROP CONSTRAINT "fk_aid_ledger_reverses"`);
    await queryRunner.query(`ALTER TABLE "aid_ledger" DROP CONSTRAINT "fk_aid_ledger_menu_item"`);
    await queryRunner.query(`ALTER TABLE "aid_ledger" DROP CONSTRAINT "fk_aid_ledger_partner"`);
    await queryRunner.query(`ALTER TABLE "aid_ledger" DROP CONSTRAINT "fk_aid_ledger_offer"`);
    await queryRunner.query(`ALTER TABLE "aid_ledger" DROP CONSTRAINT "fk_aid_ledger_archive"`);
    await queryRunner.query(`DROP INDEX "public"."idx_aid_ledger_archive_date"`);
    await queryRunner.query(`DROP INDEX "public"."uq_aid_ledger_reverses"`);
    await queryRunner.query(`DROP INDEX "public"."idx_aid_ledger_match"`);
    await queryRunner.query(`DROP INDEX "public"."idx_aid_ledger_date"`);
    await queryRunner.query(`DROP INDEX "public"."idx_aid_ledger_partner"`);
    await queryRunner.query(`DROP INDEX "public"."idx_aid_ledger_offer"`);
    await queryRunner.query(`DROP TABLE "aid_ledger"`);
  }
}
