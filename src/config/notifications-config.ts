import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

export const NOTIFICATION_CHANNELS = ['log', 'sms'] as const;
export type NotificationChannelName = (typeof NOTIFICATION_CHANNELS)[number];

/** The SMS gateway (plain HTTP POST, no vendor library): required when `channel` is `sms`. */
export class SmsChannelConfig {
  @IsOptional()
  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'], require_protocol: true },
    { message: 'notifications.sms.url 必须是 http(s) 地址' },
  )
  url?: string;

  /** Sent as `Authorization: Bearer <apiKey>`. Env: BANGFU__NOTIFICATIONS__SMS__API_KEY. */
  @IsOptional() @IsString() @MinLength(8) @MaxLength(512) apiKey?: string;

  /** The 短信签名 put in front of every text, e.g. 【帮扶】. */
  @IsString() @MinLength(2) @MaxLength(12) signature!: string;

  @IsInt() @Min(100) @Max(60_000) timeoutMs!: number;
}

/** In-app notifications and their delivery channel (issue 13 §5). */
export class NotificationsConfig {
  /** `log` (development default) writes each delivery to the log; `sms` posts it to the gateway. */
  @IsIn(NOTIFICATION_CHANNELS, {
    message: `notifications.channel 必须是 ${NOTIFICATION_CHANNELS.join(' | ')}`,
  })
  channel!: NotificationChannelName;

  @IsObject() @ValidateNested() @Type(() => SmsChannelConfig) sms!: SmsChannelConfig;

  /** How often the delivery job looks for pending rows (a commit also nudges it). */
  @IsInt() @Min(50) @Max(600_000) pollIntervalMs!: number;

  @IsInt() @Min(1) @Max(1000) batchSize!: number;

  /** Tries per notification before it is marked failed (backoff doubles from 2 s, capped at 10 min). */
  @IsInt() @Min(1) @Max(50) maxAttempts!: number;
}

/** An `sms` channel needs its gateway's address and key. */
export function notificationsConfigProblems(config: { notifications: NotificationsConfig }): string[] {
  const n = config.notifications;
  if (n.channel !== 'sms') return [];
  const problems: string[] = [];
  if (!n.sms.url) problems.push('notifications.sms.url: 短信通道须配置网关地址');
  if (!n.sms.apiKey) problems.push('notifications.sms.apiKey: 短信通道须配置网关密钥');
  return problems;
}
