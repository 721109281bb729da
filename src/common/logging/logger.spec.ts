import { Writable } from 'node:stream';
import { createRootLogger, safeErrorSerializer } from './logger';

/** A TypeORM-like failed query: what a driver error carries besides its message. */
function failedQuery(): Error {
  const error = new Error('invalid byte sequence for encoding "UTF8": 0x00') as Error &
    Record<string, unknown>;
  error.name = 'QueryFailedError';
  error.query = 'INSERT INTO "users"("username","password_hash") VALUES ($1, $2)';
  error.parameters = ['zhang.san', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA'];
  error.driverError = {
    code: '22021',
    detail: 'Key (phone)=(13812342210) already exists.',
    constraint: 'uq_x',
  };
  return error;
}

describe('safeErrorSerializer', () => {
  it('keeps type, message, stack and codes of a driver error', () => {
    const out = safeErrorSerializer(failedQuery());
    expect(out).toMatchObject({ type: 'QueryFailedError', sqlState: '22021', constraint: 'uq_x' });
    expect(out.message).toContain('invalid byte sequence');
    expect(typeof out.stack).toBe('string');
  });

  it('drops the statement, its parameters and the driver detail', () => {
    const text = JSON.stringify(safeErrorSerializer(failedQuery()));
    expect(text).not.toContain('argon2id');
    expect(text).not.toContain('zhang.san');
    expect(text).not.toContain('INSERT INTO');
    expect(text).not.toContain('13812342210');
  });

  it('is the serializer of the real logger (a logged error carries no parameters)', () => {
    let line = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        line += String(chunk);
        done();
      },
    });
    const logger = createRootLogger({ level: 'info', pretty: false }, sink);
    logger.error({ err: failedQuery() }, 'boom');
    expect(line).toContain('QueryFailedError');
    expect(line).not.toContain('argon2id');
    expect(line).not.toContain('13812342210');
  });
});
