// The audit sinks: `audit: [{ use: file | stdout | postgres | webhook, ... }]`. The kernel picks the one a section names.
import type { Plugin } from '@cnmcp/core/plugin';
import file from './file/plugin.js';
import postgres from './postgres/plugin.js';
import stdout from './stdout/plugin.js';
import webhook from './webhook/plugin.js';

export const plugins: readonly Plugin<'audit-sink'>[] = [file, stdout, postgres, webhook];
export default plugins;
