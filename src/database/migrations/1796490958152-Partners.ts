import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../app-role';

/** Every menu category: a union partner runs programmes in all of them. */
const ALL_CATEGORIES = `ARRAY['training','employment','donation','tuition','medical','legal','counseling','relief','care','policy']::varchar[]`;

/**
 * Partner organisations (合作方). Besides the table:
 * - exactly one `union` partner per org unit (a partial unique index), one created here for every
 *   existing unit, and one for every unit created later by the AFTER INSERT trigger
 *   `org_units_union_partner`, in the transaction that inserts the unit — whatever inserts it (the
 *   org-units service, the seeds, imports, tests);
 * - `users.partner_id` gets its foreign key. Partner accounts that name no existing partner (possible
 *   before this migration: the id was not checked) are disabled and detached first, so the key can hold;
 * - partners are never deleted (offers and accounts refer to them): the application's role may not.
 */
export class Partners1796490958152 implements MigrationInterface {
  name = 'Partners1796490958152';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "partners" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" character varying(16) NOT NULL, "name" character varying(100) NOT NULL, "credit_code" character varying(18), "org_unit_id" uuid NOT NULL, "contact_name" character varying(50), "mobile_ciphertext" text, "mobile_blind_index" character varying(64), "region_codes" character varying(6) array NOT NULL DEFAULT '{}', "categories" character varying(16) array NOT NULL DEFAULT '{}', "status" character varying(16) NOT NULL, "status_reason" character varying(200), "reviewed_by" uuid, "reviewed_at" TIMESTAMP WITH TIME ZONE, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_partners_name" CHECK (length(btrim("name")) > 0), CONSTRAINT "chk_partners_categories" CHECK ("categories" <@ ARRAY['training','employment','donation','tuition','medical','legal','counseling','relief','care','policy']::varchar[]), CONSTRAINT "chk_partners_region_codes" CHECK (array_to_string("region_codes", ',') ~ '^([0-9]{6}(,[0-9]{6})*)?$'), CONSTRAINT "chk_partners_contact" CHECK ("kind" = 'union' OR ("contact_name" IS NOT NULL AND "mobile_ciphertext" IS NOT NULL AND "mobile_blind_index" IS NOT NULL)), CONSTRAINT "chk_partners_credit_code_required" CHECK ("credit_code" IS NOT NULL OR "kind" IN ('volunteer','union')), CONSTRAINT "chk_partners_credit_code" CHECK ("credit_code" ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'), CONSTRAINT "chk_partners_status" CHECK ("status" IN ('pending','approved','rejected','suspended')), CONSTRAINT "chk_partners_kind" CHECK ("kind" IN ('government','ngo','company','volunteer','union')), CONSTRAINT "PK_998645b20820e4ab99aeae03b41" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_partners_org_unit" ON "partners"  ("org_unit_id") `);
    await queryRunner.query(`CREATE INDEX "idx_partners_mobile_bidx" ON "partners"  ("mobile_blind_index") `);
    await queryRunner.query(`CREATE INDEX "idx_partners_status" ON "partners"  ("status") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_partners_credit_code" ON "partners"  ("credit_code") `);
    await queryRunner.query(`CREATE INDEX "idx_users_partner" ON "users"  ("partner_id") `);
    await queryRunner.query(`ALTER TABLE "partners" ADD CONSTRAINT "fk_partners_org_unit" FOREIGN KEY ("org_unit_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_partners_union_unit" ON "partners" ("org_unit_id") WHERE "kind" = 'union'`);
    await queryRunner.query(`INSERT INTO "partners" ("kind", "name", "org_unit_id", "region_codes", "categories", "status")
      SELECT 'union', u."name", u."id", ARRAY[u."region_code"]::varchar[], ${ALL_CATEGORIES}, 'approved' FROM "org_units" u`);
    await queryRunner.query(`CREATE FUNCTION org_units_create_union_partner() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO "partners" ("kind", "name", "org_unit_id", "region_codes", "categories", "status")
          VALUES ('union', NEW."name", NEW."id", ARRAY[NEW."region_code"]::varchar[], ${ALL_CATEGORIES}, 'approved');
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER org_units_union_partner AFTER INSERT ON "org_units" FOR EACH ROW EXECUTE FUNCTION org_units_create_union_partner()`);
    await queryRunner.query(`REVOKE DELETE ON "partners" FROM "${APP_ROLE}"`);
    await queryRunner.query(`UPDATE "users" u SET "partner_id" = NULL, "disabled_at" = COALESCE(u."disabled_at", now()),
        "disabled_reason" = COALESCE(u."disabled_reason", '所属合作方不存在（迁移时停用）'), "token_version" = u."token_version" + 1
      WHERE u."partner_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "partners" p WHERE p."id" = u."partner_id")`);
    await queryRunner.query(`ALTER TABLE "users" ADD CONSTRAINT "fk_users_partner" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "fk_users_partner"`);
    await queryRunner.query(`DROP TRIGGER org_units_union_partner ON "org_units"`);
    await queryRunner.query(`DROP FUNCTION org_units_create_union_partner()`);
    await queryRunner.query(`DROP INDEX "public"."uq_partners_union_unit"`);
    await queryRunner.query(`ALTER TABLE "partners" DROP CONSTRAINT "fk_partners_org_unit"`);
    await queryRunner.query(`DROP INDEX "public"."idx_users_partner"`);
    await queryRunner.query(`DROP INDEX "public"."uq_partners_credit_code"`);
    await queryRunner.query(`DROP INDEX "public"."idx_partners_status"`);
    await queryRunner.query(`DROP INDEX "public"."idx_partners_mobile_bidx"`);
    await queryRunner.query(`DROP INDEX "public"."idx_partners_org_unit"`);
    await queryRunner.query(`DROP TABLE "partners"`);
  }
}
