import type { ChannelMessage, DeliveryChannel, DeliveryOutcome } from './delivery-channel';

export interface SmsChannelOptions {
  url: string;
  apiKey: string;
  /** 短信签名, shown as 【signature】 before the text. */
  signature: string;
  timeoutMs: number;
}

/** Looks up an account's mobile number (decrypted); null when it has none. */
export type PhoneLookup = (userId: string) => Promise<string | null>;

/** The JSON body posted to the gateway. */
export interface SmsRequestBody {
  phone: string;
  content: string;
  /** The notification id: the gateway may use it to drop a retried duplicate. */
  requestId: string;
}

/**
 * An SMS gateway reached by a plain HTTP POST (fetch; no vendor library):
 *   POST <url>  Authorization: Bearer <apiKey>  {"phone", "content", "requestId"}
 * Any 2xx is delivered; anything else, a timeout or a network error is thrown for a retry, worded here
 * without the number. An account without a mobile number is `skipped`.
 */
export class SmsDeliveryChannel implements DeliveryChannel {
  readonly name = 'sms';

  constructor(
    private readonly options: SmsChannelOptions,
    private readonly phoneOf: PhoneLookup,
  ) {}

  async deliver(message: ChannelMessage): Promise<DeliveryOutcome> {
    const phone = await this.phoneOf(message.recipientId);
    if (!phone) return 'skipped';
    const body: SmsRequestBody = {
      phone,
      content: `【${this.options.signature}】${message.title}：${message.body}`,
      requestId: message.notificationId,
    };
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    let response: Response;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          authorization: `Bearer ${this.options.apiKey}`,
        },
        body: JSON.stringify(body),
        signal,
      });
    } catch (error) {
      // No `cause` attached, on purpose: the network error's message may quote the request (the number).
      // eslint-disable-next-line preserve-caught-error
      if (signal.aborted) throw new Error('短信网关超时');
      // The cause's code (ECONNREFUSED …), never its message: that may quote the request.
      const code = (error as { cause?: { code?: unknown } }).cause?.code;
      // eslint-disable-next-line preserve-caught-error
      throw new Error(`短信网关无法连接（${typeof code === 'string' ? code : 'network'}）`);
    }
    // Drain the body so the connection can be reused; its content is not needed (and may echo the number).
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new Error(`短信网关返回 HTTP ${response.status}`);
    return 'sent';
  }
}
