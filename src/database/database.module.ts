import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config';
import { APP_ROLE } from './app-role';
import { DatabaseServer } from './database-server';
import { dataSourceOptions } from './data-source-options';
import { runMigrations } from './migrate';

@Injectable()
class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(DatabaseServer) private readonly server: DatabaseServer,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.server.stop();
  }
}

/**
 * Migrates as the owner (database.migrationUrl, or the same login), on connections of its own: two,
 * as runMigrations holds the migration lock on one and migrates on the other.
 */
async function migrate(server: DatabaseServer, config: AppConfig): Promise<void> {
  const owner = new DataSource(dataSourceOptions(server.migrationUrl, 2));
  await owner.initialize();
  try {
    const ran = await runMigrations(owner, config.crypto);
    if (ran.length) new Logger('Database').log(`已执行迁移 ${ran.map((m) => m.name).join(', ')}`);
  } finally {
    await owner.destroy();
  }
}

/**
 * Provides the PostgreSQL DataSource (embedded unless database.url is set), migrated at start; its
 * connections work as the application role, which owns nothing (app-role.ts).
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DatabaseServer,
          inject: [AppConfig],
          useFactory: (config: AppConfig) => DatabaseServer.start(config.database),
        },
        {
          provide: DataSource,
          inject: [DatabaseServer, AppConfig],
          useFactory: async (server: DatabaseServer, config: AppConfig) => {
            try {
              if (config.database.migrationsRun) await migrate(server, config);
              const dataSource = new DataSource(
                dataSourceOptions(server.url, config.database.poolSize, APP_ROLE),
              );
              await dataSource.initialize();
              return dataSource;
            } catch (error) {
              await server.stop();
              throw error;
            }
          },
        },
        DatabaseLifecycle,
      ],
      exports: [DataSource, DatabaseServer],
    };
  }
}
