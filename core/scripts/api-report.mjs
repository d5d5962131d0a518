// Checks (default) or updates (--update) the API reports in core/api/ against the built .d.ts files, one per
// public entry of @cnmcp/core. A changed public API fails the check until the report is updated and reviewed.
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

// --project DIR checks a copy of core elsewhere (the drift test); --entry plugin checks one entry.
const { values } = parseArgs({ options: { update: { type: 'boolean' }, project: { type: 'string' }, entry: { type: 'string', multiple: true } } });
const update = values.update === true;
const project = values.project ? resolve(values.project) : fileURLToPath(new URL('..', import.meta.url));
const ENTRIES = { core: 'api-extractor.json', plugin: 'api-extractor.plugin.json', testing: 'api-extractor.testing.json' };
const CONFIGS = (values.entry ?? Object.keys(ENTRIES)).map((entry) => ENTRIES[entry] ?? `unknown entry ${entry}`);
const stale = [];
let failed = false;

for (const name of CONFIGS) {
  const config = ExtractorConfig.loadFileAndPrepare(resolve(project, name));
  const result = Extractor.invoke(config, {
    localBuild: update,
    messageCallback(message) {
      // The bundled-compiler notice and the "please add this file to git" hint are noise here; errors stay.
      if (message.logLevel !== 'error') message.handled = true;
    },
  });
  if (result.apiReportChanged) stale.push({ report: config.reportFilePath, fresh: config.reportTempFilePath });
  if (!result.succeeded && !result.apiReportChanged) failed = true;
}

if (update) {
  for (const { report } of stale) process.stdout.write(`updated ${report}: review the diff and commit it\n`);
  if (stale.length === 0) process.stdout.write('the API reports are up to date\n');
} else if (stale.length > 0) {
  for (const { report, fresh } of stale) {
    process.stderr.write(`the public API changed: ${report} no longer matches (new report: ${fresh})\n`);
  }
  process.stderr.write('run `npm run api:update`, review the diff of core/api/*.api.md against docs/plugin-api-policy.md, and commit it\n');
}
process.exitCode = failed || (!update && stale.length > 0) ? 1 : 0;
