import { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/**
 * Settings every connection starts with (libpq `options`, spaces escaped): READ COMMITTED as the default
 * isolation level, whatever the server's default, so a transaction the app opens without naming a level
 * is READ COMMITTED without a `SET TRANSACTION` round trip of its own (TypeORM sends one when a level is
 * named); with `role`, SET ROLE before the first query.
 */
function startupOptions(role?: string): string {
  return ['-c default_transaction_isolation=read\\ committed', ...(role ? [`-c role=${role}`] : [])].join(
    ' ',
  );
}

/**
 * Connections to `url`; with `role`, every connection works as that role (the startup option
 * `-c role=…`, i.e. SET ROLE before the first query), so the application never acts as the owner.
 */
export function dataSourceOptions(url: string, poolSize = 10, role?: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    namingStrategy: new SnakeNamingStrategy(),
    // PostgreSQL ≥ 13 has gen_random_uuid() built in: no extension to install (the app role need not own any).
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: { max: poolSize, application_name: 'bangfu', options: startupOptions(role) },
  };
}
