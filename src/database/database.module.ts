import { DynamicModule, Global, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource, TypeOrmModule, TypeOrmModuleOptions } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config';
import { APP_ROLE } from './app-role';
import { DatabaseProbe } from './database-probe';
import { DatabaseServer } from './database-server';
import { dataSourceOptions } from './data-source-options';
import { runMigrations } from './migrate';

/** Where the PostgreSQL lives: the configured server, or the embedded one, started here. */
@Module({
  providers: [
    {
      provide: DatabaseServer,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => DatabaseServer.start(config.database),
    },
  ],
  exports: [DatabaseServer],
})
class DatabaseServerModule {}

/**
 * Closes the pool, then stops the embedded server (a cluster stopped under open connections waits for
 * them or kills them). TypeOrmModule's own shutdown hook may have closed the pool already; whichever
 * runs first, the server stops last.
 */
@Injectable()
class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly server: DatabaseServer,
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
 * The PostgreSQL DataSource through @nestjs/typeorm (embedded unless database.url is set), migrated at
 * start; its connections work as the application role, which owns nothing (app-role.ts). Feature modules
 * import `TypeOrmModule.forFeature([their entities])` and their repositories inject `Repository<Entity>`
 * (`@InjectRepository`) or the DataSource (`@InjectDataSource`). Entities are listed in entities.ts, not
 * auto-loaded: the CLI, the seeds and the test template build the same DataSource without Nest.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(): DynamicModule {
    // This application's server, set by the options factory: a DataSource that fails to connect stops it.
    let server: DatabaseServer | undefined;
    return {
      module: DatabaseModule,
      imports: [
        DatabaseServerModule,
        TypeOrmModule.forRootAsync({
          imports: [DatabaseServerModule],
          inject: [DatabaseServer, AppConfig],
          useFactory: async (started: DatabaseServer, config: AppConfig): Promise<TypeOrmModuleOptions> => {
            server = started;
            try {
              if (config.database.migrationsRun) await migrate(started, config);
            } catch (error) {
              await started.stop();
              throw error;
            }
            return {
              ...dataSourceOptions(started.url, config.database.poolSize, APP_ROLE),
              // No retries (the module's default is 10, 3 s apart): a start that cannot connect fails at
              // once, like the migrations before it, and the supervisor restarts the process.
              toRetry: () => false,
            };
          },
          dataSourceFactory: async (options?: DataSourceOptions) => {
            const dataSource = new DataSource(options!);
            try {
              return await dataSource.initialize();
            } catch (error) {
              await server?.stop();
              throw error;
            }
          },
        }),
      ],
      providers: [DatabaseLifecycle, DatabaseProbe],
      exports: [DatabaseServerModule, DatabaseProbe],
    };
  }
}
