// The contracts entry (`@cnmcp/core/plugin`): everything a plugin may import from core, nothing of the kernel.
export { definePlugin, isPlugin, PLUGIN_KINDS } from './define-plugin.js';
export type {
  Plugin,
  PluginContext,
  PluginDefinition,
  PluginKind,
  PluginConfigSchema,
  PortByKind,
  ConfigOf,
  ConfigInput,
  DeepReadonly,
} from './define-plugin.js';
export { coreServices } from './services.js';
export type { Clock, ServiceRef, ServiceDeps, ResolvedDeps } from './services.js';
export { CnmcpError, CnmcpAggregateError } from './errors.js';
export { readThroughTool, jsonContents } from './read-through-tool.js';
export { ClientCapabilityError } from './client-capability-error.js';
export type { ClientCapability, ClientRequestMethod, ClientRequestOptions } from './client-capability-error.js';
export { Secret, isSecret } from './secret.js';
export { ANONYMOUS } from './identity.js';
export type { Identity } from './identity.js';
export type { Logger } from './logger.js';
export type { AuthStrategy, AuthRequest, AuthOutcome, WellKnownDocument } from './ports/auth-strategy.js';
export type { Authorizer, Decision, AccessTarget } from './ports/authorizer.js';
export { visible } from './ports/authorizer.js';
export type { SecretStore, SecretReader, SecretRecord, SecretType, PutSecretOptions } from './ports/secret-store.js';
export { SECRET_TYPES } from './ports/secret-store.js';
export { signingKeyId } from './signing-key-id.js';
export { SECRET_NAME, assertSecretName, secretNotFound, secretExpired, secretStoreReadOnly } from './secret-errors.js';
export type { Sanitizer, SanitizePolicy, SanitizeOutcome } from './ports/sanitizer.js';
export type { AuditSink, AuditEvent, AuditInput, AuditEmitter, AuditFilter } from './ports/audit-sink.js';
export { eraseSubject, SUBJECT_FIELDS } from './erase-subject.js';
export { auditLine } from './audit-line.js';
export type { TlsProvider, TlsSettings } from './ports/tls-provider.js';
export type { RateLimitStore, RateLimitRule, RateLimitDecision } from './ports/rate-limit-store.js';
export type {
  ToolPack,
  ToolDefinition,
  ToolContext,
  BackendSpan,
  ToolResult,
  ToolAnnotations,
  ContentBlock,
  ResourceContents,
  JsonSchemaObject,
  LogLevel,
  PromptDefinition,
  PromptArgument,
  PromptMessage,
  ResourceDefinition,
  ResourceTemplateDefinition,
  ReadContext,
} from './ports/tool-pack.js';
export { apiKeyProblems, API_KEY_SPECIALS, API_KEY_MIN_LENGTH } from './api-key-rule.js';
export { hashPassword, verifyScryptPassword, isScryptHash } from './password-hash.js';
