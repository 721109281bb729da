import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../app-role';

/**
 * The role the application works as (`bangfu_app`, NOLOGIN): it owns nothing, so it cannot disable a
 * trigger, drop or alter a table, or truncate; on the audit tables it may only read and append.
 * Tables created by later migrations get the same read/write grants by default (ALTER DEFAULT
 * PRIVILEGES of the migrating role); a later migration that adds an append-only table revokes UPDATE
 * and DELETE on it, as this one does for the audit tables. Roles belong to the whole server, so the
 * role is created only when missing (databases on one server, e.g. parallel test runs, share it).
 */
export class AppRole1796454906671 implements MigrationInterface {
  name = 'AppRole1796454906671';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
          CREATE ROLE "${APP_ROLE}" NOLOGIN;
        END IF;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
      END $$`);
    await queryRunner.query(`GRANT USAGE ON SCHEMA public TO "${APP_ROLE}"`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "${APP_ROLE}"`);
    await queryRunner.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "${APP_ROLE}"`);
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "${APP_ROLE}"`);
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO "${APP_ROLE}"`);
    // Append-only for the application as well as under their triggers; migrations are the owner's.
    await queryRunner.query(`REVOKE UPDATE, DELETE ON "audit_logs", "audit_chain" FROM "${APP_ROLE}"`);
    await queryRunner.query(`REVOKE INSERT, UPDATE, DELETE ON "migrations" FROM "${APP_ROLE}"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // The role itself stays: other databases on the server may still use it.
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM "${APP_ROLE}"`);
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM "${APP_ROLE}"`);
    await queryRunner.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM "${APP_ROLE}"`);
    await queryRunner.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM "${APP_ROLE}"`);
    await queryRunner.query(`REVOKE USAGE ON SCHEMA public FROM "${APP_ROLE}"`);
  }
}
