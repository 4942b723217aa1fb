import pino, { type DestinationStream, type Logger } from 'pino';
import { elapsedMs, type RequestRecord } from './http/request-record.ts';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * JSON lines on stdout (or `destination`). Credentials never reach a log: nothing here logs headers
 * or variables, and the paths below are censored should anyone log a request or a context.
 */
export function createLogger(options: { level: LogLevel; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'chancery' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: [
          'authorization',
          'token',
          'variables',
          '*.authorization',
          '*.token',
          '*.variables',
          'req.headers.authorization',
          'req.headers.cookie',
          'headers.authorization',
          'headers.cookie',
        ],
        censor: '[redacted]',
      },
    },
    options.destination,
  );
}

/** A logger that writes nothing, for servers created without one (tests, tools). */
export const silentLogger = (): Logger => pino({ level: 'silent' });

/**
 * One line per request: id, route, status, duration, and for GraphQL the operation, its cost, the
 * SQL statements it issued and the codes of its errors. Probes and scrapes log at debug level.
 */
export function logRequest(logger: Logger, record: RequestRecord): void {
  const line = {
    reqId: record.id,
    method: record.method,
    path: record.path,
    status: record.status,
    durationMs: Math.round(elapsedMs(record) * 100) / 100,
    ip: record.ip,
    ...(record.route === 'graphql'
      ? {
          operationName: record.operationName ?? null,
          operationType: record.operationType ?? null,
          cost: record.cost ?? null,
          sqlStatements: record.sqlStatements ?? 0,
          ...(record.cache ? { cache: record.cache } : {}),
          ...(record.compiled ? { compiled: true } : {}),
          ...(record.errorCodes.length > 0 ? { errorCodes: [...new Set(record.errorCodes)] } : {}),
        }
      : {}),
  };
  if ((record.status ?? 0) >= 500) logger.error(line, 'request');
  else if (record.route === 'graphql' || record.route === 'other') logger.info(line, 'request');
  else logger.debug(line, 'request');
}
