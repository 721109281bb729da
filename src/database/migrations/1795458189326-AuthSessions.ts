import { MigrationInterface, QueryRunner } from 'typeorm';

export class AuthSessions1795458189326 implements MigrationInterface {
  name = 'AuthSessions1795458189326';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "auth_mfa_challenges" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "consumed_at" TIMESTAMP WITH TIME ZONE, "failed_attempts" integer NOT NULL DEFAULT '0', "ip" character varying(64), CONSTRAINT "PK_6ae1d7f50bf893ae624726b9307" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_auth_mfa_challenges_user" ON "auth_mfa_challenges"  ("user_id") `);
    await queryRunner.query(`CREATE TABLE "auth_sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "restriction" character varying(32), "token_version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "revoke_reason" character varying(32), "ip" character varying(64), "user_agent" character varying(256), CONSTRAINT "PK_641507381f32580e8479efc36cd" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_auth_sessions_user" ON "auth_sessions"  ("user_id") `);
    await queryRunner.query(`CREATE TABLE "auth_refresh_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "session_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "replaced_by_id" uuid, CONSTRAINT "PK_df6893d2063a4ea7bbf1eda31e5" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_auth_refresh_tokens_session" ON "auth_refresh_tokens"  ("session_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_auth_refresh_tokens_hash" ON "auth_refresh_tokens"  ("token_hash") `);
    await queryRunner.query(`CREATE TABLE "auth_recovery_codes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "code_hash" character(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_fefeaa6d8e2483fa5af309302ba" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_auth_recovery_codes_user" ON "auth_recovery_codes"  ("user_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_auth_recovery_codes_hash" ON "auth_recovery_codes"  ("code_hash") `);
    await queryRunner.query(`ALTER TABLE "auth_mfa_challenges" ADD CONSTRAINT "fk_auth_mfa_challenges_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "auth_sessions" ADD CONSTRAINT "fk_auth_sessions_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "auth_refresh_tokens" ADD CONSTRAINT "fk_auth_refresh_tokens_session" FOREIGN KEY ("session_id") REFERENCES "auth_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "auth_recovery_codes" ADD CONSTRAINT "fk_auth_recovery_codes_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "auth_recovery_codes" DROP CONSTRAINT "fk_auth_recovery_codes_user"`);
    await queryRunner.query(`ALTER TABLE "auth_refresh_tokens" DROP CONSTRAINT "fk_auth_refresh_tokens_session"`);
    await queryRunner.query(`ALTER TABLE "auth_sessions" DROP CONSTRAINT "fk_auth_sessions_user"`);
    await queryRunner.query(`ALTER TABLE "auth_mfa_challenges" DROP CONSTRAINT "fk_auth_mfa_challenges_user"`);
    await queryRunner.query(`DROP INDEX "public"."uq_auth_recovery_codes_hash"`);
    await queryRunner.query(`DROP INDEX "public"."idx_auth_recovery_codes_user"`);
    await queryRunner.query(`DROP TABLE "auth_recovery_codes"`);
    await queryRunner.query(`DROP INDEX "public"."uq_auth_refresh_tokens_hash"`);
    await queryRunner.query(`DROP INDEX "public"."idx_auth_refresh_tokens_session"`);
    await queryRunner.query(`DROP TABLE "auth_refresh_tokens"`);
    await queryRunner.query(`DROP INDEX "public"."idx_auth_sessions_user"`);
    await queryRunner.query(`DROP TABLE "auth_sessions"`);
    await queryRunner.query(`DROP INDEX "public"."idx_auth_mfa_challenges_user"`);
    await queryRunner.query(`DROP TABLE "auth_mfa_challenges"`);
  }
}
