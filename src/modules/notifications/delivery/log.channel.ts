import { Logger } from '@nestjs/common';
import type { ChannelMessage, DeliveryChannel, DeliveryOutcome } from './delivery-channel';

/** Development: each delivery is one log line (ids, event and title; never a contact). */
export class LogDeliveryChannel implements DeliveryChannel {
  readonly name = 'log';
  private readonly logger = new Logger('Notifications');

  deliver(message: ChannelMessage): Promise<DeliveryOutcome> {
    this.logger.log(
      { notificationId: message.notificationId, recipientId: message.recipientId, event: message.event },
      `站内消息投递（日志通道）：${message.title}`,
    );
    return Promise.resolve('sent');
  }
}
