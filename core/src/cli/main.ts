#!/usr/bin/env node
// The `cnmcp` entry. On Node >= 22.1 V8's compiled code of every module is kept between runs (module.enableCompileCache,
// in the CLI's cache directory), which must be switched on before the CLI's modules load: hence this small file.
import nodeModule from 'node:module';
import { join } from 'node:path';
import { cacheDir } from './cache-dir.js';

const enableCompileCache = (nodeModule as { enableCompileCache?: (dir?: string) => unknown }).enableCompileCache;
const dir = cacheDir();
if (enableCompileCache && dir !== undefined) enableCompileCache(join(dir, 'node-compile-cache'));
await import('./run-cli.js');
