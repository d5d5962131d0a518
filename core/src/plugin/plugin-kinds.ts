import type { AuditSink } from './ports/audit-sink.js';
import type { AuthStrategy } from './ports/auth-strategy.js';
import type { Authorizer } from './ports/authorizer.js';
import type { RateLimitStore } from './ports/rate-limit-store.js';
import type { Sanitizer } from './ports/sanitizer.js';
import type { SecretStore } from './ports/secret-store.js';
import type { TlsProvider } from './ports/tls-provider.js';
import type { ToolPack } from './ports/tool-pack.js';

/** Where a kind is selected in the config file, whether several may be, and what the section is for. */
export interface KindDeclaration {
  readonly section: string;
  readonly multiple: boolean;
  readonly title: string;
}

/** The port each plugin kind implements (an interface, so that `setup`'s return is typed by the kind). */
export interface PortByKind {
  'secret-store': SecretStore;
  'audit-sink': AuditSink;
  tls: TlsProvider;
  'rate-limit-store': RateLimitStore;
  auth: AuthStrategy;
  authorizer: Authorizer;
  sanitizer: Sanitizer;
  'tool-pack': ToolPack;
}

export type PluginKind = keyof PortByKind;

/**
 * THE declaration of the plugin kinds: the port each implements, its config section, and (by the order here) the
 * order setup runs them in: stores first (others read secrets, emit audit), tool packs last. The compiler holds it to
 * `PortByKind` above (a kind missing or extra in either fails the build); the config sections, `PLUGIN_KINDS` and the
 * scaffold's kinds are derived from this table.
 */
export const PLUGIN_KIND_TABLE: { readonly [K in PluginKind]: KindDeclaration } = Object.freeze({
  'secret-store': {
    section: 'secrets',
    multiple: false,
    title: 'Secret store: where `${secret:NAME}` references and rotated credentials live',
  },
  'audit-sink': { section: 'audit', multiple: true, title: 'Audit sinks: every event is written to each' },
  tls: { section: 'tls', multiple: false, title: 'TLS certificate provider for the HTTPS listener' },
  'rate-limit-store': { section: 'rateLimit', multiple: false, title: 'Rate-limit store used by the `limits` rules' },
  auth: { section: 'auth', multiple: true, title: 'Authentication strategies, tried in order' },
  authorizer: { section: 'authorization', multiple: false, title: 'Authorizer deciding which identity may call which tool' },
  sanitizer: { section: 'sanitize', multiple: false, title: 'Sanitizer applied to string arguments after validation' },
  'tool-pack': { section: 'toolPacks', multiple: true, title: 'Tool packs serving tools, prompts and resources' },
});

/** Every kind, in setup order. */
export const PLUGIN_KINDS: readonly PluginKind[] = Object.freeze(Object.keys(PLUGIN_KIND_TABLE) as PluginKind[]);
