import { PassThrough } from 'node:stream';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { Secret } from '../plugin/secret.js';
import { createLogger, type LoggerOptions } from './logger.js';
import { RequestScope } from './request-scope.js';

/** A JSON logger writing into memory; `lines()` parses what was written so far. */
function capture(options: Partial<LoggerOptions> = {}) {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  const logger = createLogger({ level: 'info', format: 'json', destination: stream, ...options });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, lines };
}

describe('createLogger', () => {
  it('redacts sensitive headers, Secret values and known secrets at debug level too', () => {
    const known = new Set(['Known-Secret-Value-123']);
    const { logger, lines } = capture({ level: 'debug', knownSecrets: known, redactKeys: ['^x-ops-session$'] });
    logger.child('auth/apikey').debug('request seen Known-Secret-Value-123', {
      headers: { authorization: 'Bearer abc', cookie: 'c=1', 'x-api-key': 'k', 'X-Ops-Session': 'sess', accept: 'json' },
      note: 'contains Known-Secret-Value-123 inside',
      secret: new Secret('a-secret-object'),
    });
    const [line] = lines();
    expect(line).toMatchObject({
      level: 'debug',
      name: 'auth/apikey',
      message: 'request seen ***',
      headers: { authorization: '***', cookie: '***', 'x-api-key': '***', 'X-Ops-Session': '***', accept: 'json' },
      note: 'contains *** inside',
      secret: '***',
    });
    expect(JSON.stringify(lines())).not.toMatch(/Known-Secret-Value-123|Bearer abc|a-secret-object|sess"/);
  });

  it('applies logging.levels per logger name, inherited by children', () => {
    const { logger, lines } = capture({ level: 'warn', levels: { 'tool-pack/utilities': 'debug', http: 'error' } });
    logger.child('tool-pack/utilities').debug('pack debug');
    logger.child('tool-pack/utilities').child('utilities_get_time').debug('tool debug');
    logger.child('tool-pack/other').info('other info');
    logger.child('http').warn('http warn');
    logger.info('root info');
    logger.warn('root warn');
    expect(lines().map((l) => l.message)).toEqual(['pack debug', 'tool debug', 'root warn']);
  });

  it('adds trace_id and span_id to lines written inside a traced request only', () => {
    const scope = new RequestScope();
    const { logger, lines } = capture({ context: () => scope.logFields() });
    const spanContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 };
    scope.run(trace.setSpanContext(ROOT_CONTEXT, spanContext), () => logger.child('tools').info('inside'));
    logger.info('outside');
    const [inside, outside] = lines();
    expect(inside).toMatchObject({ message: 'inside', trace_id: spanContext.traceId, span_id: spanContext.spanId });
    expect(outside).not.toHaveProperty('trace_id');
  });
});
