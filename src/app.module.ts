import { DynamicModule, Module, Type } from '@nestjs/common';
import { HolidayCalendarModule } from './common/calendar/holiday-calendar';
import { ClockModule } from './common/clock/clock.module';
import { CryptoModule } from './common/crypto/crypto.module';
import { AppConfig, ConfigModule } from './config';
import { DatabaseModule } from './database/database.module';
import { OutboxModule } from './infra/outbox/outbox.module';
import { QueueModule } from './infra/queue/queue.module';
import { SearchModule } from './infra/search/search.module';
import { AidLedgerModule } from './modules/aid-ledger/aid-ledger.module';
import { ArchivesModule } from './modules/archives/archives.module';
import { AuditModule } from './modules/audit/audit.module';
import { AuthModule } from './modules/auth/auth.module';
import { HealthModule } from './modules/health/health.module';
import { MatchHistoryModule } from './modules/matches/history/match-history.reader';
import { MatchesModule } from './modules/matches/matches.module';
import { MatchingModule } from './modules/matching/matching.module';
import { MenuModule } from './modules/menu/menu.module';
import { PartnersModule } from './modules/partners/partners.module';
import { NotificationsModule } from './modules/notifications/notifications.module';
import { NeedsModule } from './modules/needs/needs.module';
import { OffersModule } from './modules/offers/offers.module';
import { OrgUnitsModule } from './modules/org-units/org-units.module';
import { UsersModule } from './modules/users/users.module';

@Module({})
export class AppModule {
  /** `extraModules`: for tests that mount probe controllers beside the real ones. */
  static forRoot(config: AppConfig, extraModules: Type[] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        ClockModule,
        HolidayCalendarModule,
        CryptoModule,
        DatabaseModule.forRoot(),
        QueueModule.forRoot(),
        SearchModule.forRoot(),
        OutboxModule,
        AuditModule,
        AuthModule,
        HealthModule,
        OrgUnitsModule,
        UsersModule,
        ArchivesModule,
        MenuModule,
        PartnersModule,
        NeedsModule,
        OffersModule,
        AidLedgerModule,
        NotificationsModule,
        MatchHistoryModule,
        MatchingModule,
        MatchesModule,
        ...extraModules,
      ],
    };
  }
}
