import { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditLogs1795458202541 implements MigrationInterface {
  name = 'AuditLogs1795458202541';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "audit_logs" ("id" bigint NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor_id" uuid, "actor_username" character varying(64), "actor_kind" character varying(16), "actor_roles" text array NOT NULL DEFAULT '{}', "actor_org_unit_id" uuid, "action" character varying(64) NOT NULL, "target_type" character varying(64), "target_id" character varying(128), "outcome" character varying(16) NOT NULL, "client_ip" character varying(64), "request_id" character varying(64), "details" jsonb NOT NULL DEFAULT '{}', "prev_hash" character(64) NOT NULL, "hash" character(64) NOT NULL, CONSTRAINT "pk_audit_logs" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_audit_logs_occurred_at" ON "audit_logs"  ("occurred_at") `);
    await queryRunner.query(`CREATE INDEX "idx_audit_logs_actor" ON "audit_logs"  ("actor_id") `);
    // varchar_pattern_ops serves both the exact filter and the prefix filter (`auth.*` → LIKE 'auth.%') in any collation.
    await queryRunner.query(`CREATE INDEX "idx_audit_logs_action" ON "audit_logs" ("action" varchar_pattern_ops)`);
    await queryRunner.query(`CREATE INDEX "idx_audit_logs_target" ON "audit_logs"  ("target_type", "target_id") `);
    await queryRunner.query(`CREATE INDEX "idx_audit_logs_actor_org_unit" ON "audit_logs"  ("actor_org_unit_id") `);
    // Append-only: every UPDATE, DELETE and TRUNCATE is refused, whoever asks (only the table owner can
    // disable the triggers, which is why production should not run the application as the owner).
    await queryRunner.query(`CREATE FUNCTION audit_logs_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_logs is append-only: % refused (审计日志只允许追加，禁止修改、删除或清空)', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
    $$`);
    await queryRunner.query(`CREATE TRIGGER audit_logs_append_only BEFORE UPDATE OR DELETE ON "audit_logs" FOR EACH ROW EXECUTE FUNCTION audit_logs_refuse_change()`);
    await queryRunner.query(`CREATE TRIGGER audit_logs_no_truncate BEFORE TRUNCATE ON "audit_logs" FOR EACH STATEMENT EXECUTE FUNCTION audit_logs_refuse_change()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "audit_logs"`);
    await queryRunner.query(`DROP FUNCTION audit_logs_refuse_change()`);
  }
}
