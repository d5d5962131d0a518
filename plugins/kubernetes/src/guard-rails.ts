// The pack's own guard rails, enforced whatever Kubernetes RBAC would allow: which namespaces a call may reach,
// which stay read-only, which kinds are off limits, and whether writes only dry-run.
import { BackendFailure } from './backend-failure.js';
import type { RequestTarget } from './request-target.js';

/** Guard rails as written in the config (top level, or per context). */
export type GuardRailsConfig = {
  allowedNamespaces?: string[];
  deniedNamespaces?: string[];
  protectedNamespaces?: string[];
  deniedKinds?: string[];
  secrets?: 'deny' | 'metadata' | 'read';
  dryRun?: boolean;
  confirmDestructive?: 'off' | 'ask' | 'require';
};

/** Namespaces that are read-only whatever the role: the control plane's own. */
export const ALWAYS_PROTECTED = Object.freeze(['kube-system', 'kube-public', 'kube-node-lease']);

/** A call the guard rails refuse; its message names the rule, so the model and the operator know what to change. */
export class GuardRefusal extends BackendFailure {
  override readonly name = 'GuardRefusal';
}

/** What discovery says of a resource, as far as kind matching needs it. */
export interface KindNames {
  readonly group: string;
  readonly name: string;
  readonly kind: string;
  readonly singularName: string;
  readonly shortNames: readonly string[];
}

// Writes to these subresources accept dryRun=All; exec, attach and port-forward cannot be rehearsed.
const DRY_RUNNABLE_SUBRESOURCES = new Set(['scale', 'status', 'eviction']);

const namePattern = (entry: string) => (entry.endsWith('*') ? (ns: string) => ns.startsWith(entry.slice(0, -1)) : (ns: string) => ns === entry);

/** The resolved guard rails of one context. */
export class GuardRails {
  readonly allowed: readonly string[] | undefined;
  readonly denied: readonly string[];
  readonly protectedNamespaces: readonly string[];
  readonly deniedKinds: readonly string[];
  /** The deniedKinds of the config alone, without the `secrets: deny` entry (Helm release reads answer to these). */
  private readonly configuredDeniedKinds: readonly string[];
  readonly secrets: 'deny' | 'metadata' | 'read';
  readonly dryRun: boolean;
  readonly confirmDestructive: 'off' | 'ask' | 'require';
  private readonly isAllowed: (ns: string) => boolean;
  private readonly isDenied: (ns: string) => boolean;
  private readonly isProtected: (ns: string) => boolean;

  constructor(config: GuardRailsConfig = {}) {
    this.allowed = config.allowedNamespaces;
    this.denied = config.deniedNamespaces ?? [];
    this.protectedNamespaces = [...new Set([...ALWAYS_PROTECTED, ...(config.protectedNamespaces ?? [])])];
    this.secrets = config.secrets ?? 'deny';
    // Kind names are compared in lower case: `Secret`, `SECRETS` and `secrets` are one kind.
    this.configuredDeniedKinds = (config.deniedKinds ?? []).map((k) => k.toLowerCase());
    this.deniedKinds = [...this.configuredDeniedKinds, ...(this.secrets === 'deny' ? ['secrets'] : [])];
    this.dryRun = config.dryRun === true;
    this.confirmDestructive = config.confirmDestructive ?? 'ask';
    const any = (list: readonly string[]) => {
      const tests = list.map(namePattern);
      return (ns: string) => tests.some((t) => t(ns));
    };
    this.isAllowed = this.allowed === undefined ? () => true : any(this.allowed);
    this.isDenied = any(this.denied);
    this.isProtected = any(this.protectedNamespaces);
  }

  /** Whether a call may read objects of this namespace (a list across namespaces drops the others). */
  readable(namespace: string): boolean {
    return this.isAllowed(namespace) && !this.isDenied(namespace);
  }

  /** Refuses a call into a namespace the guard rails close, or a write into a protected one. */
  checkNamespace(namespace: string, write: boolean): void {
    if (this.isDenied(namespace)) throw new GuardRefusal(`Refused by the guard rails: namespace "${namespace}" is denied (deniedNamespaces).`);
    if (!this.isAllowed(namespace)) {
      throw new GuardRefusal(`Refused by the guard rails: namespace "${namespace}" is not in allowedNamespaces (${(this.allowed ?? []).join(', ')}).`);
    }
    if (write && this.isProtected(namespace)) {
      throw new GuardRefusal(
        `Refused by the guard rails: namespace "${namespace}" is protected (${this.protectedNamespaces.join(', ')}) and read-only whatever the role.`,
      );
    }
  }

  /** The denied-kinds entry a resource matches, if any (kind, plural, singular or short name, optionally `.group`). */
  deniedEntry(resource: KindNames, helmReleases = false): string | undefined {
    return (helmReleases ? this.configuredDeniedKinds : this.deniedKinds).find((entry) => {
      const dot = entry.indexOf('.');
      const [bare, group] = dot > 0 ? [entry.slice(0, dot), entry.slice(dot + 1)] : [entry, undefined];
      if (group !== undefined && group !== resource.group) return false;
      return resource.kind.toLowerCase() === bare || resource.name === bare || resource.singularName === bare || resource.shortNames.includes(bare);
    });
  }

  checkKind(resource: KindNames, helmReleases = false): void {
    const entry = this.deniedEntry(resource, helmReleases);
    if (entry === undefined) return;
    const why =
      entry === 'secrets' && this.secrets === 'deny' && !helmReleases
        ? 'Secrets are unreadable unless the pack is configured with `secrets: metadata` or `secrets: read`'
        : `the kind is in deniedKinds ("${entry}")`;
    throw new GuardRefusal(`Refused by the guard rails: ${resource.name}${resource.group ? `.${resource.group}` : ''}: ${why}.`);
  }

  /**
   * The check every API request passes before it leaves the pack, whatever tool sent it. `known` looks the
   * resource up in discovery, so a denied kind matches by any of its names. `helmReleases`: the request is a Helm
   * tool's `owner=helm` Secret list, which `secrets: deny` lets through (an explicit deniedKinds entry does not).
   */
  checkRequest(target: RequestTarget, known: (group: string, plural: string) => KindNames | undefined, helmReleases = false): void {
    if (target.namespace !== undefined) this.checkNamespace(target.namespace, target.write && !target.review);
    if (target.resource !== undefined) {
      this.checkKind(
        known(target.group, target.resource) ?? { group: target.group, name: target.resource, kind: '', singularName: '', shortNames: [] },
        helmReleases,
      );
    }
    if (this.dryRun && target.write && !target.review && target.subresource !== undefined && !DRY_RUNNABLE_SUBRESOURCES.has(target.subresource)) {
      throw new GuardRefusal(`Refused by the guard rails: the pack is in dry-run mode and ${target.resource}/${target.subresource} cannot be dry-run.`);
    }
  }

  /** Whether this request must be sent with `dryRun=All`: every write, in dry-run mode. */
  forcesDryRun(target: RequestTarget): boolean {
    return this.dryRun && target.write && !target.review;
  }

  /** One sentence for tool descriptions, so a model sees the rules before it calls. */
  describe(write: boolean): string {
    const parts: string[] = [];
    if (this.allowed) parts.push(`only namespaces ${this.allowed.join(', ')}`);
    if (this.denied.length > 0) parts.push(`never namespaces ${this.denied.join(', ')}`);
    if (write) parts.push(`namespaces ${this.protectedNamespaces.join(', ')} are read-only`);
    if (this.deniedKinds.length > 0) parts.push(`denied kinds: ${this.deniedKinds.join(', ')}`);
    if (write && this.dryRun) parts.push('dry-run mode: every write is sent with dryRun=All and nothing is stored');
    return parts.length === 0 ? '' : ` Guard rails: ${parts.join('; ')}.`;
  }
}
