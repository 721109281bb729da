import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { createRootLogger } from './logger';
import { OneLinePerRequest } from './request-log';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const text of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(text));
      done();
    },
  });
  return { lines, sink };
}

describe('OneLinePerRequest', () => {
  it('writes exactly one line per request: method, path without the query, status, ms, request id', async () => {
    const { lines, sink } = capture();
    const fastify = Fastify({
      loggerInstance: createRootLogger({ level: 'info', pretty: false }, sink),
      logController: new OneLinePerRequest(),
      genReqId: () => 'req-0001',
    });
    fastify.get('/things', async () => ({ ok: true }));
    fastify.get('/boom', async () => {
      throw new Error('x');
    });
    await fastify.ready();

    await fastify.inject({ method: 'GET', url: '/things?q=张伟&token=secret' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      reqId: 'req-0001',
      method: 'GET',
      path: '/things',
      status: 200,
      msg: 'request',
    });
    expect(typeof lines[0].ms).toBe('number');
    expect(JSON.stringify(lines)).not.toContain('secret');
    expect(JSON.stringify(lines)).not.toContain('张伟');

    lines.length = 0;
    await fastify.inject({ method: 'GET', url: '/boom' });
    const requestLines = lines.filter((l) => l.msg === 'request');
    expect(requestLines).toHaveLength(1);
    expect(requestLines[0]).toMatchObject({ level: 50, status: 500, path: '/boom' });
    await fastify.close();
  });
});
