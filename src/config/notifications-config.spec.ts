import { resolve } from 'node:path';
import { loadConfig } from './load-config';

const CONFIG_DIR = resolve(__dirname, '..', '..', 'config');
const load = (notifications: Record<string, unknown>) =>
  loadConfig({ env: { NODE_ENV: 'test' }, configDir: CONFIG_DIR, overrides: { notifications } });

describe('notifications configuration', () => {
  it('defaults to the log channel', () => {
    expect(load({}).notifications.channel).toBe('log');
  });

  it('an sms channel needs the gateway url and key; every problem is listed', () => {
    expect(() => load({ channel: 'sms' })).toThrow(
      /notifications\.sms\.url[\s\S]*notifications\.sms\.apiKey/,
    );
    const config = load({
      channel: 'sms',
      sms: { url: 'https://sms.example.cn/send', apiKey: 'a-long-key-123' },
    });
    expect(config.notifications.sms).toMatchObject({ url: 'https://sms.example.cn/send', signature: '帮扶' });
  });

  it.each([
    [{ channel: 'wechat' }, /notifications\.channel/],
    [{ sms: { url: 'ftp://sms.example.cn' } }, /notifications\.sms\.url/],
    [{ pollIntervalMs: 0 }, /pollIntervalMs/],
  ])('refuses %j', (notifications, problem) => {
    expect(() => load(notifications)).toThrow(problem);
  });

  it('the aid ledger limits are read from default.yml (one-off 20,000 元)', () => {
    expect(load({}).aidLedger).toMatchObject({ oneOffCapFen: 2_000_000, duplicateCauseDays: 180 });
  });
});
