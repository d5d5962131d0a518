import { createRequire } from 'node:module';

// Read from core's own package.json, which ships with it in both the source tree and dist/.
export const CNMCP_VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
