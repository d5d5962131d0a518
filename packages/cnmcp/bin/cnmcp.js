#!/usr/bin/env node
// `cnmcp`: the CLI of @cnmcp/core with every built-in plugin installed beside it. Plugin package names are also
// resolved from this package's location, so `use: utilities` finds @cnmcp/plugin-utilities wherever npm put it.
// Imports are dynamic so a clone whose first `npm install` linked this file before building gets a clear message.
try {
  const { resolvePluginsFrom } = await import('@cnmcp/core');
  resolvePluginsFrom(import.meta.url);
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist')) throw error;
  process.stderr.write('cnmcp: the CLI is not built yet; run `npm run build` in the repository first\n');
  process.exit(1);
}
await import('@cnmcp/core/cli');
