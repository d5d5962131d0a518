import { spawnSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { Secret } from '../plugin/secret.js';
import { createLogger, type LoggerOptions } from './logger.js';
import { RequestScope } from './request-scope.js';

/** A JSON logger writing into memory; `lines()` parses what was written by the end of the current turn. */
function capture(options: Partial<LoggerOptions> = {}) {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  const logger = createLogger({ level: 'info', format: 'json', destination: stream, ...options });
  const lines = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    return chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  };
  return { logger, lines, chunks };
}

describe('createLogger', () => {
  it('redacts sensitive headers, Secret values and known secrets at debug level too', async () => {
    const known = new Set(['Known-Secret-Value-123']);
    const { logger, lines } = capture({ level: 'debug', knownSecrets: known, redactKeys: ['^x-ops-session$'] });
    logger.child('auth/apikey').debug('request seen Known-Secret-Value-123', {
      headers: { authorization: 'Bearer abc', cookie: 'c=1', 'x-api-key': 'k', 'X-Ops-Session': 'sess', accept: 'json' },
      note: 'contains Known-Secret-Value-123 inside',
      secret: new Secret('a-secret-object'),
    });
    const [line] = await lines();
    expect(line).toMatchObject({
      level: 'debug',
      name: 'auth/apikey',
      message: 'request seen ***',
      headers: { authorization: '***', cookie: '***', 'x-api-key': '***', 'X-Ops-Session': '***', accept: 'json' },
      note: 'contains *** inside',
      secret: '***',
    });
    expect(JSON.stringify(await lines())).not.toMatch(/Known-Secret-Value-123|Bearer abc|a-secret-object|sess"/);
  });

  it('applies logging.levels per logger name, inherited by children', async () => {
    const { logger, lines } = capture({ level: 'warn', levels: { 'tool-pack/utilities': 'debug', http: 'error' } });
    logger.child('tool-pack/utilities').debug('pack debug');
    logger.child('tool-pack/utilities').child('utilities_get_time').debug('tool debug');
    logger.child('tool-pack/other').info('other info');
    logger.child('http').warn('http warn');
    logger.info('root info');
    logger.warn('root warn');
    expect((await lines()).map((l) => l.message)).toEqual(['pack debug', 'tool debug', 'root warn']);
  });

  it('adds trace_id and span_id to lines written inside a traced request only', async () => {
    const scope = new RequestScope();
    const { logger, lines } = capture({ context: () => scope.logFields() });
    const spanContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 };
    scope.run(trace.setSpanContext(ROOT_CONTEXT, spanContext), () => logger.child('tools').info('inside'));
    logger.info('outside');
    const [inside, outside] = await lines();
    expect(inside).toMatchObject({ message: 'inside', trace_id: spanContext.traceId, span_id: spanContext.spanId });
    expect(outside).not.toHaveProperty('trace_id');
  });

  it('writes the lines of one turn in one write, in order, at the end of the turn', async () => {
    const { logger, lines, chunks } = capture();
    for (let i = 0; i < 5; i++) logger.child('access').info('access', { n: i });
    expect(chunks).toEqual([]);
    expect((await lines()).map((l) => l.n)).toEqual([0, 1, 2, 3, 4]);
    expect(chunks).toHaveLength(1);
  });

  it('writes lines still queued when the process exits', () => {
    // A child process running the built logger (npm test builds first): it queues a line and exits in the same turn.
    const script = `import { createLogger } from ${JSON.stringify(new URL('../../dist/telemetry/logger.js', import.meta.url).href)};
      createLogger({ level: 'info', format: 'json' }).error('last words', { code: 7 });
      process.exit(3);`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.status).toBe(3);
    expect(JSON.parse(child.stderr.trim())).toMatchObject({ level: 'error', message: 'last words', code: 7 });
  });
});
