import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ArchivesModule } from '../archives/archives.module';
import { MenuModule } from '../menu/menu.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { OrgUnitsModule } from '../org-units/org-units.module';
import { NeedEntity, NeedHistoryEntity } from './need.entity';
import { NeedsExpiryJob } from './needs-expiry.job';
import { NeedsSearchSource } from './needs-search.source';
import { NeedsController } from './needs.controller';
import { NeedsRepository } from './needs.repository';
import { NeedsService } from './needs.service';

/**
 * Needs (需求/点单). Uses ArchivesService, MenuService and NotificationsService (审核结果); needs the global Clock, AuditService,
 * AuthorizationService, OutboxService, JobQueue, AppConfig and SearchIndexRegistry (the `needs` index).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([NeedEntity, NeedHistoryEntity]),
    ArchivesModule,
    MenuModule,
    OrgUnitsModule,
    NotificationsModule,
  ],
  controllers: [NeedsController],
  providers: [NeedsRepository, NeedsService, NeedsSearchSource, NeedsExpiryJob],
  exports: [NeedsService],
})
export class NeedsModule {}
