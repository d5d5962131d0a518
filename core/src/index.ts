// The kernel entry (`@cnmcp/core`): run a server from code. Plugins import `@cnmcp/core/plugin` instead.
export { Kernel, startKernel, type KernelOptions, type KernelState } from './kernel/kernel.js';
export { findConfig, type FoundConfig } from './config/find-config.js';
export { loadConfig, editorSchema, type LoadedConfig } from './config/load-config.js';
export { redact } from './telemetry/redact.js';
export { createLogger } from './telemetry/logger.js';
export { CNMCP_VERSION } from './kernel/version.js';
export { BUILTIN_PLUGINS } from './kernel/builtin-plugins.js';
