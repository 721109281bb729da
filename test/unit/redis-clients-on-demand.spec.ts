import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * Without Redis configured, loading the application does not load bullmq or ioredis (about 200
 * modules, a tenth of what every `npm start` loads): the BullMQ queue driver and the Redis rate limiter
 * are required by their factories only when `redis.url` is set.
 */
const ROOT = resolve(__dirname, '..', '..');

it('loads the app module without bullmq or ioredis', () => {
  const loaded = execFileSync(
    process.execPath,
    [
      '-r',
      '@swc-node/register',
      '-e',
      `require('./src/app.module');
       console.log(JSON.stringify(Object.keys(require.cache).filter((k) => /node_modules[\\\\/](bullmq|ioredis)[\\\\/]/.test(k))));`,
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  expect(JSON.parse(loaded)).toEqual([]);
}, 120_000);
