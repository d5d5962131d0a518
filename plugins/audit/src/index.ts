// The audit sink family: `audit: [{ use: file | stdout, ... }]`. PostgreSQL arrives as `postgres` beside them.
import file from './file/plugin.js';
import stdout from './stdout/plugin.js';

export const plugins = [file, stdout];
export default plugins;
