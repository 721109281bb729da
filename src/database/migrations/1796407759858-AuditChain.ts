import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Takes the hash chain off the request path: audit rows are appended without a lock (id from a
 * sequence, the writer's transaction id in `xid`), and the chain moves to its own append-only table,
 * `audit_chain`, written only by the sealer. Existing rows keep their links: each becomes the chain
 * entry of the same number (the hash format is unchanged, so they verify as before), with xid 0 so the
 * sealer resumes after them.
 */
export class AuditChain1796407759858 implements MigrationInterface {
  name = 'AuditChain1796407759858';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "audit_chain" ("seq" bigint NOT NULL, "audit_log_id" bigint NOT NULL, "audit_xid" bigint NOT NULL, "prev_hash" character(64) NOT NULL, "hash" character(64) NOT NULL, "sealed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_audit_chain" PRIMARY KEY ("seq"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_audit_chain_audit_log_id" ON "audit_chain"  ("audit_log_id") `);
    await queryRunner.query(`INSERT INTO "audit_chain" ("seq", "audit_log_id", "audit_xid", "prev_hash", "hash", "sealed_at")
      SELECT "id", "id", 0, "prev_hash", "hash", now() FROM "audit_logs"`);
    await queryRunner.query(`CREATE TRIGGER audit_chain_append_only BEFORE UPDATE OR DELETE ON "audit_chain" FOR EACH ROW EXECUTE FUNCTION audit_logs_refuse_change()`);
    await queryRunner.query(`CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON "audit_chain" FOR EACH STATEMENT EXECUTE FUNCTION audit_logs_refuse_change()`);
    // The trigger function names the table it guards.
    await queryRunner.query(`CREATE OR REPLACE FUNCTION audit_logs_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused (审计日志只允许追加，禁止修改、删除或清空)', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
    $$`);

    // ALTER TABLE … DROP/ADD COLUMN fires no row trigger: the rows themselves are not changed.
    await queryRunner.query(`ALTER TABLE "audit_logs" DROP COLUMN "prev_hash"`);
    await queryRunner.query(`ALTER TABLE "audit_logs" DROP COLUMN "hash"`);
    await queryRunner.query(`ALTER TABLE "audit_logs" ADD "xid" bigint NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE "audit_logs" ALTER COLUMN "xid" DROP DEFAULT`);
    await queryRunner.query(`CREATE SEQUENCE IF NOT EXISTS "audit_logs_id_seq" OWNED BY "audit_logs"."id"`);
    await queryRunner.query(`SELECT setval('"audit_logs_id_seq"', coalesce((SELECT max("id") FROM "audit_logs"), 0) + 1, false)`);
    await queryRunner.query(`ALTER TABLE "audit_logs" ALTER COLUMN "id" SET DEFAULT nextval('"audit_logs_id_seq"')`);
    await queryRunner.query(`CREATE INDEX "idx_audit_logs_xid_id" ON "audit_logs"  ("xid", "id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Only rows that were sealed can go back into the single-table chain; unsealed ones are lost links.
    await queryRunner.query(`DROP INDEX "public"."idx_audit_logs_xid_id"`);
    await queryRunner.query(`ALTER TABLE "audit_logs" ALTER COLUMN "id" DROP DEFAULT`);
    await queryRunner.query(`DROP SEQUENCE "audit_logs_id_seq"`);
    await queryRunner.query(`ALTER TABLE "audit_logs" DROP COLUMN "xid"`);
    await queryRunner.query(`ALTER TABLE "audit_logs" ADD "hash" character(64) NOT NULL DEFAULT ''`);
    await queryRunner.query(`ALTER TABLE "audit_logs" ADD "prev_hash" character(64) NOT NULL DEFAULT ''`);
    await queryRunner.query(`ALTER TABLE "audit_logs" DISABLE TRIGGER audit_logs_append_only`);
    await queryRunner.query(`UPDATE "audit_logs" a SET "hash" = c."hash", "prev_hash" = c."prev_hash" FROM "audit_chain" c WHERE c."audit_log_id" = a."id"`);
    await queryRunner.query(`ALTER TABLE "audit_logs" ENABLE TRIGGER audit_logs_append_only`);
    await queryRunner.query(`ALTER TABLE "audit_logs" ALTER COLUMN "hash" DROP DEFAULT`);
    await queryRunner.query(`ALTER TABLE "audit_logs" ALTER COLUMN "prev_hash" DROP DEFAULT`);
    await queryRunner.query(`DROP TABLE "audit_chain"`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION audit_logs_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_logs is append-only: % refused (审计日志只允许追加，禁止修改、删除或清空)', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
    $$`);
  }
}
