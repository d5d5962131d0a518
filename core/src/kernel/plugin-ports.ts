import type { AuditSink } from '../plugin/ports/audit-sink.js';
import type { AuthStrategy } from '../plugin/ports/auth-strategy.js';
import type { Authorizer } from '../plugin/ports/authorizer.js';
import type { RateLimitStore } from '../plugin/ports/rate-limit-store.js';
import type { Sanitizer } from '../plugin/ports/sanitizer.js';
import type { SecretStore } from '../plugin/ports/secret-store.js';
import type { TlsProvider } from '../plugin/ports/tls-provider.js';
import type { ToolPack } from '../plugin/ports/tool-pack.js';

/** A port with the plugin that made it, as `kind/name`, for logs and errors. */
export interface Named<Port> {
  readonly id: string;
  readonly port: Port;
}

/** What the selected plugins' setup returned, by kind. */
export interface PluginPorts {
  secretStore?: Named<SecretStore>;
  auditSinks: Named<AuditSink>[];
  tls?: Named<TlsProvider>;
  rateLimitStore?: Named<RateLimitStore>;
  auth: Named<AuthStrategy>[];
  authorizer?: Named<Authorizer>;
  sanitizer?: Named<Sanitizer>;
  toolPacks: Named<ToolPack>[];
}
