/**
 * The application works as `bangfu_app` (src/database/app-role.ts): whatever login DATABASE_URL names,
 * the DataSource the app is built with cannot switch off or get around the audit tables' protections.
 * With DATABASE_MIGRATION_URL the app's login may be a member-only role, and migrations run as the owner.
 */
import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ConfigModule } from '../../../src/config';
import { APP_ROLE } from '../../../src/database/app-role';
import { dataSourceOptions } from '../../../src/database/data-source-options';
import { DatabaseModule } from '../../../src/database/database.module';
import { createTestDatabase, TestDatabase } from '../../helpers/test-database';
import { testConfig } from '../../helpers/test-env';

async function appDataSource(database: Record<string, unknown>): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(testConfig({ database })), DatabaseModule.forRoot()],
  }).compile();
  await moduleRef.init();
  return moduleRef;
}

const userOf = async (ds: DataSource) =>
  ((await ds.query('SELECT current_user AS u, session_user AS s')) as { u: string; s: string }[])[0];

describe('the application database role', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('the app built from DATABASE_URL works as bangfu_app and cannot disable the audit triggers', async () => {
    const moduleRef = await appDataSource({ url: db.url });
    try {
      const ds = moduleRef.get(DataSource);
      expect((await userOf(ds)).u).toBe(APP_ROLE);
      await expect(ds.query('ALTER TABLE audit_logs DISABLE TRIGGER USER')).rejects.toThrow(
        /must be owner of table audit_logs/,
      );
      await expect(ds.query('DELETE FROM audit_chain')).rejects.toThrow(/permission denied/);
      // It still does its work: reads and appends.
      await ds.query(
        `INSERT INTO audit_logs (occurred_at, actor_kind, action, outcome, xid, details)
         VALUES (now(), 'system', 'job.run', 'success', pg_current_xact_id()::text::bigint, '{}')`,
      );
    } finally {
      await moduleRef.close();
    }
  });

  it('a transaction opened without naming a level is READ COMMITTED even where the server defaults to another', async () => {
    // The archive repository opens its transactions without SET TRANSACTION: the connections' startup
    // options make READ COMMITTED the default (dataSourceOptions).
    await db.owner.query(`ALTER DATABASE "${db.name}" SET default_transaction_isolation = 'serializable'`);
    const plain = new DataSource({ ...db.dataSource.options, extra: { max: 1 } } as DataSourceOptions);
    const app = new DataSource(dataSourceOptions(db.url, 1, APP_ROLE));
    await Promise.all([plain.initialize(), app.initialize()]);
    const level = (ds: DataSource) =>
      ds.transaction(
        async (m) =>
          ((await m.query('SHOW transaction_isolation')) as { transaction_isolation: string }[])[0],
      );
    try {
      expect((await level(plain)).transaction_isolation).toBe('serializable');
      expect((await level(app)).transaction_isolation).toBe('read committed');
      expect((await userOf(app)).u).toBe(APP_ROLE);
    } finally {
      await Promise.all([plain.destroy(), app.destroy()]);
      await db.owner.query(`ALTER DATABASE "${db.name}" RESET default_transaction_isolation`);
    }
  });

  it('a start that cannot connect fails at once, without @nestjs/typeorm retrying (10 times, 3 s apart)', async () => {
    const refused = new URL(db.url);
    refused.username = `bangfu_test_nobody_${randomBytes(4).toString('hex')}`;
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      await expect(appDataSource({ url: refused.toString(), migrationsRun: false })).rejects.toThrow(
        /does not exist|authentication failed/,
      );
      const retries = errors.mock.calls.filter(([message]) => /Unable to connect/.test(String(message)));
      expect(retries).toEqual([]);
    } finally {
      errors.mockRestore();
    }
  });

  describe('with a member-only login and DATABASE_MIGRATION_URL', () => {
    const login = `bangfu_test_api_${randomBytes(4).toString('hex')}`;
    const password = randomBytes(12).toString('hex');
    const loginUrl = () => {
      const url = new URL(db.url);
      url.username = login;
      url.password = password;
      return url.toString();
    };
    beforeAll(() =>
      db.owner.query(`CREATE ROLE "${login}" LOGIN PASSWORD '${password}' IN ROLE "${APP_ROLE}"`),
    );
    afterAll(() => db.owner.query(`DROP ROLE IF EXISTS "${login}"`));

    it('migrates as the owner and serves as the member, which cannot take the owner’s rights back', async () => {
      const moduleRef = await appDataSource({ url: loginUrl(), migrationUrl: db.url });
      try {
        const ds = moduleRef.get(DataSource);
        expect(await userOf(ds)).toEqual({ u: APP_ROLE, s: login });
        await expect(ds.query('RESET ROLE; ALTER TABLE audit_chain DISABLE TRIGGER USER')).rejects.toThrow(
          /must be owner of table audit_chain/,
        );
        await expect(ds.query('SET ROLE postgres')).rejects.toThrow(/permission denied to set role/);
      } finally {
        await moduleRef.close();
      }
    });

    it('leaves the migrations record to the owner: the member may read it, not write it', async () => {
      const member = new DataSource({ type: 'postgres', url: loginUrl() });
      await member.initialize();
      try {
        expect(await member.query('SELECT count(*)::int AS n FROM migrations')).not.toEqual([{ n: 0 }]);
        await expect(member.query('DELETE FROM migrations')).rejects.toThrow(/permission denied/);
      } finally {
        await member.destroy();
      }
    });
  });
});
