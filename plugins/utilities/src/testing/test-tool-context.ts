import { ANONYMOUS, type Logger, type ToolContext } from '@cnmcp/core/plugin';

export interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields?: Record<string, unknown>;
}

export interface TestToolContext extends ToolContext {
  /** Every logger call, so tests can assert what is (and is not) logged. */
  readonly logs: LogEntry[];
  readonly progressCalls: { progress: number; total?: number; message?: string }[];
}

/** A hand-built ToolContext for calling handlers directly in unit tests. Not used at runtime. */
export function createTestToolContext(overrides: { signal?: AbortSignal; deadline?: number } = {}): TestToolContext {
  const logs: LogEntry[] = [];
  const progressCalls: TestToolContext['progressCalls'] = [];
  const logger = (): Logger => ({
    debug: (message, fields) => void logs.push({ level: 'debug', message, ...(fields ? { fields } : {}) }),
    info: (message, fields) => void logs.push({ level: 'info', message, ...(fields ? { fields } : {}) }),
    warn: (message, fields) => void logs.push({ level: 'warn', message, ...(fields ? { fields } : {}) }),
    error: (message, fields) => void logs.push({ level: 'error', message, ...(fields ? { fields } : {}) }),
    child: () => logger(),
  });
  return {
    identity: ANONYMOUS,
    logger: logger(),
    signal: overrides.signal ?? new AbortController().signal,
    deadline: overrides.deadline ?? Date.now() + 60_000,
    requestId: 'test-request',
    logs,
    progressCalls,
    async progress(progress, total, message) {
      progressCalls.push({ progress, ...(total === undefined ? {} : { total }), ...(message === undefined ? {} : { message }) });
    },
    async log() {},
    clientSupports: () => false,
    async request() {
      throw new Error('server-to-client requests are not available in unit tests');
    },
    span: (_name, fn) => fn({ setAttribute: () => undefined }),
  };
}

/** The text of a result's first content block. */
export function textOf(result: { content: readonly { type: string }[] }): string {
  const first = result.content[0] as { type: string; text?: string } | undefined;
  return first?.type === 'text' ? (first.text ?? '') : '';
}
