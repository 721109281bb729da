import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChannelMessage } from './delivery-channel';
import { SmsDeliveryChannel } from './sms.channel';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const MESSAGE: ChannelMessage = {
  notificationId: '5f0c3b52-2a41-4d7e-9a0b-1c2d3e4f5a6b',
  recipientId: 'd3b07384-d9a0-4c1b-8f1e-0a1b2c3d4e5f',
  event: 'match.approved',
  title: '对接已审批',
  body: '“焊工技能培训”已与浙江绿源纺织有限公司对接成功，等待服务方接单。',
};
const PHONE = '13812345678';

/** The SMS adapter against a real local HTTP server (no mock of fetch): the request it builds, and failures. */
describe('SmsDeliveryChannel', () => {
  let server: Server;
  let url: string;
  let received: Received[];
  let reply: { status: number; delayMs?: number; body?: string };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        setTimeout(() => {
          res.writeHead(reply.status, { 'content-type': 'application/json' });
          res.end(reply.body ?? '{"code":0}');
        }, reply.delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms/send?tenant=bangfu`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    received = [];
    reply = { status: 200 };
  });

  const channel = (phone: string | null = PHONE, timeoutMs = 2_000) => {
    const lookedUp: string[] = [];
    const sms = new SmsDeliveryChannel(
      { url, apiKey: 'test-gateway-key-0001', signature: '帮扶', timeoutMs },
      async (userId) => {
        lookedUp.push(userId);
        return phone;
      },
    );
    return { sms, lookedUp };
  };

  it('POSTs JSON with the bearer key, the number it looked up from the user id, the signed text and the id', async () => {
    const { sms, lookedUp } = channel();
    await expect(sms.deliver(MESSAGE)).resolves.toBe('sent');
    expect(lookedUp).toEqual([MESSAGE.recipientId]);
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe('/sms/send?tenant=bangfu');
    expect(request!.headers.authorization).toBe('Bearer test-gateway-key-0001');
    expect(request!.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(request!.body)).toEqual({
      phone: PHONE,
      content: `【帮扶】对接已审批：${MESSAGE.body}`,
      requestId: MESSAGE.notificationId,
    });
  });

  it('an account without a mobile number is skipped, and nothing is sent', async () => {
    const { sms } = channel(null);
    await expect(sms.deliver(MESSAGE)).resolves.toBe('skipped');
    expect(received).toEqual([]);
  });

  it('a non-2xx answer is thrown for a retry, worded without the number (even if the gateway echoes it)', async () => {
    reply = { status: 503, body: `{"error":"busy","phone":"${PHONE}"}` };
    const { sms } = channel();
    const error = (await sms.deliver(MESSAGE).catch((e: unknown) => e)) as Error;
    expect(error.message).toBe('短信网关返回 HTTP 503');
    expect(error.message).not.toContain(PHONE);
  });

  it('a slow gateway times out; an unreachable one fails; neither error holds the number', async () => {
    reply = { status: 200, delayMs: 500 };
    const slow = await channel(PHONE, 100)
      .sms.deliver(MESSAGE)
      .catch((e: unknown) => e as Error);
    expect((slow as Error).message).toBe('短信网关超时');
    const closed = new SmsDeliveryChannel(
      { url: 'http://127.0.0.1:1/sms', apiKey: 'test-gateway-key-0001', signature: '帮扶', timeoutMs: 2_000 },
      async () => PHONE,
    );
    const unreachable = (await closed.deliver(MESSAGE).catch((e: unknown) => e)) as Error;
    expect(unreachable.message).toMatch(/^短信网关无法连接/);
    expect(unreachable.message).not.toContain(PHONE);
  });
});
