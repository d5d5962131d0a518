// The kernel entry (`@cnmcp/core`): run a server from code. Plugins import `@cnmcp/core/plugin` instead.
export { Kernel, startKernel, type KernelOptions, type KernelState } from './kernel/kernel.js';
export { findConfig, type FoundConfig } from './config/find-config.js';
export { loadConfig, editorSchema, type LoadedConfig } from './kernel/load-config.js';
export { redact } from './telemetry/redact.js';
export { createLogger } from './telemetry/logger.js';
export { CNMCP_VERSION } from './kernel/version.js';
export { BUILTIN_PLUGINS } from './kernel/builtin-plugins.js';
export { resolvePluginsFrom } from './kernel/resolve-plugin.js';
// Secret generators and rotation, for embedders and scripts (the CLI and the kernel's rotation timer use the same).
export { generateApiKey } from './secrets/generate-api-key.js';
export { generateBearerToken, type BearerTokenOptions } from './secrets/generate-bearer-token.js';
export { generateSecret } from './secrets/generate-secret.js';
export { newSecretValue, type GenerateSettings } from './secrets/new-secret-value.js';
export { rotateSecret, type RotationPolicy, type Rotated } from './secrets/rotate-secret.js';
export { renderPipelineReference, withPipelineReference } from './pipeline/pipeline-reference.js';
