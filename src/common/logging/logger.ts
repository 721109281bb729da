import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';
import { LogConfig } from '../../config';

/**
 * Structured JSON logs. Requests are logged by method, route and status only: never bodies, query
 * strings or headers that could carry personal data or credentials.
 */
export function createRootLogger(config: LogConfig, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.level,
    base: { service: 'bangfu' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.idNumber'],
      remove: true,
    },
    serializers: {
      req: (req: { id?: unknown; method?: string; url?: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url?.split('?')[0],
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: safeErrorSerializer,
    },
  };
  // Asynchronous writes to stdout (a write in flight gathers the lines behind it): a synchronous write
  // per line held the event loop on every request. pino flushes what is buffered when the process exits.
  return pino(options, destination ?? pino.destination({ dest: 1, sync: false }));
}

/**
 * Errors are logged by type, message, stack and codes only. Driver errors (TypeORM's QueryFailedError)
 * carry the failed statement's `parameters`, `query` and `driverError.detail`, which hold whatever the
 * request sent: password hashes, ciphertexts, names. None of that may reach a log line.
 */
export function safeErrorSerializer(error: unknown): Record<string, unknown> {
  if (typeof error !== 'object' || error === null) return { message: String(error) };
  const e = error as {
    name?: unknown;
    message?: unknown;
    stack?: unknown;
    code?: unknown;
    driverError?: unknown;
    cause?: unknown;
  };
  const driver = (typeof e.driverError === 'object' && e.driverError !== null ? e.driverError : {}) as {
    code?: unknown;
    constraint?: unknown;
    table?: unknown;
  };
  const out: Record<string, unknown> = {
    type: typeof e.name === 'string' ? e.name : (error as object).constructor?.name,
    message: typeof e.message === 'string' ? e.message : undefined,
    stack: typeof e.stack === 'string' ? e.stack : undefined,
  };
  if (typeof e.code === 'string' || typeof e.code === 'number') out.code = e.code;
  if (typeof driver.code === 'string') out.sqlState = driver.code;
  if (typeof driver.constraint === 'string') out.constraint = driver.constraint;
  if (typeof driver.table === 'string') out.table = driver.table;
  if (e.cause instanceof Error) out.cause = safeErrorSerializer(e.cause);
  return out;
}

/** Nest's logger interface over pino. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: pino.Level, message: unknown, rest: unknown[]): void {
    // Nest passes the context (class name) last; an Error stack may precede it.
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    if (typeof message === 'object' && message !== null && !(message instanceof Error)) {
      const text = rest.find((r, i) => typeof r === 'string' && i < rest.length - 1);
      this.logger[level]({ context, ...(message as object) }, typeof text === 'string' ? text : undefined);
    } else if (message instanceof Error) {
      this.logger[level]({ context, err: message }, message.message);
    } else {
      this.logger[level]({ context }, String(message));
    }
  }
}
