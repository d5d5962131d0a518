#!/usr/bin/env node
// `npm create cnmcp -- tool-pack NAME` runs `cnmcp create tool-pack NAME`: one command, one implementation.
process.argv.splice(2, 0, 'create');
await import('@cnmcp/core/cli');
