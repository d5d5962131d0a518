import { definePlugin } from '../plugin/define-plugin.js';
import type { AuditEvent } from '../plugin/ports/audit-sink.js';

/**
 * An audit sink named `memory` that pushes every event into `events`, for tests that assert what was recorded.
 *
 * @example
 * const events: AuditEvent[] = [];
 * await startTestKernel({ config: { audit: [{ use: 'memory' }] }, plugins: [memoryAuditSink(events)] });
 */
export const memoryAuditSink = (events: AuditEvent[]) =>
  definePlugin({
    kind: 'audit-sink',
    name: 'memory',
    configSchema: { type: 'object', additionalProperties: false },
    setup: async () => ({ write: async (batch) => void events.push(...batch), close: async () => {} }),
  });
