import { DynamicModule, Module, Type } from '@nestjs/common';
import { AppConfig, ConfigModule } from './config';
import { DatabaseModule } from './database/database.module';
import { OutboxModule } from './infra/outbox/outbox.module';
import { QueueModule } from './infra/queue/queue.module';
import { SearchModule } from './infra/search/search.module';
import { HealthModule } from './modules/health/health.module';

@Module({})
export class AppModule {
  /** `extraModules`: for tests that mount probe controllers beside the real ones. */
  static forRoot(config: AppConfig, extraModules: Type[] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(),
        QueueModule.forRoot(),
        SearchModule.forRoot(),
        OutboxModule,
        HealthModule,
        ...extraModules,
      ],
    };
  }
}
