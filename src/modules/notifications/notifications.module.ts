import { Module } from '@nestjs/common';
import { AppConfig } from '../../config';
import { UsersModule } from '../users/users.module';
import { UsersService } from '../users/users.service';
import { DELIVERY_CHANNEL, type DeliveryChannel } from './delivery/delivery-channel';
import { LogDeliveryChannel } from './delivery/log.channel';
import { NotificationDeliveryService } from './delivery/notification-delivery.service';
import { SmsDeliveryChannel } from './delivery/sms.channel';
import { NotificationsController } from './notifications.controller';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';

/** The channel `notifications.channel` names; the SMS adapter looks numbers up itself (UsersService). */
export function createDeliveryChannel(config: AppConfig, users: UsersService): DeliveryChannel {
  const n = config.notifications;
  if (n.channel === 'sms')
    return new SmsDeliveryChannel(
      { url: n.sms.url!, apiKey: n.sms.apiKey!, signature: n.sms.signature, timeoutMs: n.sms.timeoutMs },
      (userId) => users.contactPhoneOf(userId),
    );
  return new LogDeliveryChannel();
}

/**
 * Notifications (站内消息, issue 13 §5): the inbox routes, NotificationsService.notify for other modules
 * (needs, partners, matches), and delivery through the configured channel. Needs the global DataSource,
 * Clock, AppConfig and JobQueue.
 */
@Module({
  imports: [UsersModule],
  controllers: [NotificationsController],
  providers: [
    NotificationsRepository,
    NotificationsService,
    NotificationDeliveryService,
    { provide: DELIVERY_CHANNEL, inject: [AppConfig, UsersService], useFactory: createDeliveryChannel },
  ],
  exports: [NotificationsService],
})
export class NotificationsModule {}
