#!/usr/bin/env node
// The committed bin target: npm links a bin only when its file exists at install time, and dist/ is built after.
try {
  await import('../dist/cli/main.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/cli/main.js')) throw error;
  process.stderr.write('cnmcp: the CLI is not built yet; run `npm run build` in the repository first\n');
  process.exit(1);
}
