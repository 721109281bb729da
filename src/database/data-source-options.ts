import { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

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
    extra: { max: poolSize, application_name: 'bangfu', ...(role ? { options: `-c role=${role}` } : {}) },
  };
}
