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

/** Provides the PostgreSQL DataSource (embedded unless database.url is set), migrated at start. */
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
            const dataSource = new DataSource(dataSourceOptions(server.url, config.database.poolSize));
            try {
              await dataSource.initialize();
              if (config.database.migrationsRun) {
                const ran = await runMigrations(dataSource, config.crypto);
                if (ran.length) new Logger('Database').log(`已执行迁移 ${ran.map((m) => m.name).join(', ')}`);
              }
            } catch (error) {
              if (dataSource.isInitialized) await dataSource.destroy();
              await server.stop();
              throw error;
            }
            return dataSource;
          },
        },
        DatabaseLifecycle,
      ],
      exports: [DataSource, DatabaseServer],
    };
  }
}
