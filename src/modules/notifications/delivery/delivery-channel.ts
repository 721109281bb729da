import type { NotificationEvent } from '../notification-events';

/** What a channel delivers: the notification's text and whom it is for (an account id, never a number). */
export interface ChannelMessage {
  notificationId: string;
  recipientId: string;
  event: NotificationEvent;
  title: string;
  body: string;
}

/** `sent`; or `skipped` when the recipient cannot be reached on this channel (e.g. no phone number). */
export type DeliveryOutcome = 'sent' | 'skipped';

/**
 * A delivery channel (port). Adapters: `log` (development default) and `sms` (an HTTP gateway); chosen
 * by `notifications.channel`. An adapter that needs a contact looks it up itself from the recipient's
 * id: phone numbers never leave the adapter (not in the message, the row, the log or an error).
 * A thrown error means "try again later"; its message must not contain the contact.
 */
export interface DeliveryChannel {
  readonly name: string;
  deliver(message: ChannelMessage): Promise<DeliveryOutcome>;
}

export const DELIVERY_CHANNEL = Symbol('DELIVERY_CHANNEL');
