import type { ToolContext } from '@cnmcp/core/plugin';
import type { KubeBackend } from './kube-backend.js';
import { InputProblem } from './tool-result.js';

/** One resource the cluster serves, from discovery. */
export interface ApiResourceInfo {
  readonly name: string;
  readonly kind: string;
  readonly group: string;
  readonly version: string;
  readonly apiVersion: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
  readonly shortNames: readonly string[];
  readonly singularName: string;
  /** Subresources (`log`, `scale`, `status`) this resource has. */
  readonly subresources: readonly string[];
}

export interface Discovery {
  readonly resources: readonly ApiResourceInfo[];
  /** Group versions whose discovery failed (an aggregated API that is down); their kinds are missing. */
  readonly unavailable: readonly string[];
}

const TTL_MS = 5 * 60_000;

/**
 * Discovery of what the cluster serves, cached for five minutes. The pack talks to one backend with one identity
 * (its own credentials, never the caller's), so the cache needs no caller in its key; each pack instance has its own.
 */
export class ResourceCatalog {
  private cached: { at: number; discovery: Promise<Discovery> } | undefined;
  private latest: Discovery | undefined;

  constructor(private readonly backend: KubeBackend) {}

  discover(ctx: ToolContext): Promise<Discovery> {
    if (this.cached && Date.now() - this.cached.at < TTL_MS) return this.cached.discovery;
    const discovery = this.load(ctx);
    this.cached = { at: Date.now(), discovery };
    discovery.then(
      (d) => (this.latest = d),
      () => (this.cached = undefined),
    );
    return discovery;
  }

  /** The resource served at `group`/`plural`, from the last discovery (for checks that cannot wait for one). */
  known(group: string, plural: string): ApiResourceInfo | undefined {
    return this.latest?.resources.find((r) => r.group === group && r.name === plural);
  }

  /** The resource a kubectl-style name means: kind, plural, singular or short name, optionally `name.group`. */
  async resolve(ctx: ToolContext, kind: string, apiVersion?: string): Promise<ApiResourceInfo> {
    const { resources } = await this.discover(ctx);
    const wanted = kind.toLowerCase();
    const dot = wanted.indexOf('.');
    const [bare, group] = dot > 0 ? [wanted.slice(0, dot), wanted.slice(dot + 1)] : [wanted, undefined];
    const matches = (r: ApiResourceInfo, n: string) => r.kind.toLowerCase() === n || r.name === n || r.singularName === n || r.shortNames.includes(n);
    const candidates = resources.filter(
      (r) =>
        (apiVersion === undefined || r.apiVersion === apiVersion) &&
        ((group === undefined && matches(r, wanted)) || (group !== undefined && r.group === group && matches(r, bare))),
    );
    const found = candidates[0];
    if (!found) {
      throw new InputProblem(
        `The cluster serves no resource "${kind}"${apiVersion ? ` in ${apiVersion}` : ''}. kubernetes_list_api_resources lists the kinds it serves (kind, plural or short name, e.g. Pod, pods, po).`,
      );
    }
    return found;
  }

  /** Like `resolve`, for tools that act on a few kinds only (scale, restart, rollout). */
  async resolveOneOf(ctx: ToolContext, kind: string, kinds: readonly string[], apiVersion?: string): Promise<ApiResourceInfo> {
    const found = await this.resolve(ctx, kind, apiVersion);
    if (!kinds.includes(found.kind)) throw new InputProblem(`"${kind}" is a ${found.kind}; this tool takes ${kinds.join(', ')}.`);
    return found;
  }

  private async load(ctx: ToolContext): Promise<Discovery> {
    const { objects } = this.backend;
    const core = (await this.backend.call(ctx, 'discover the core API (/api)', () => objects.request('GET', '/api'))) as { versions?: string[] };
    const groups = (await this.backend.call(ctx, 'discover API groups (/apis)', () => objects.request('GET', '/apis'))) as {
      groups?: { name: string; preferredVersion?: { groupVersion: string; version: string } }[];
    };
    const versions = [
      ...(core.versions ?? []).map((v) => ({ group: '', version: v, apiVersion: v })),
      ...(groups.groups ?? []).flatMap((g) =>
        g.preferredVersion ? [{ group: g.name, version: g.preferredVersion.version, apiVersion: g.preferredVersion.groupVersion }] : [],
      ),
    ];
    const unavailable: string[] = [];
    const lists = await Promise.all(
      versions.map(async (gv) => {
        try {
          return { gv, list: await this.backend.call(ctx, `discover ${gv.apiVersion}`, () => objects.resources(gv.apiVersion)) };
        } catch {
          unavailable.push(gv.apiVersion);
          return { gv, list: { resources: [] } };
        }
      }),
    );
    const resources: ApiResourceInfo[] = [];
    for (const { gv, list } of lists) {
      const all = list.resources as { name: string; kind: string; namespaced: boolean; verbs?: string[]; shortNames?: string[]; singularName?: string }[];
      for (const r of all) {
        if (r.name.includes('/')) continue;
        resources.push({
          name: r.name,
          kind: r.kind,
          group: gv.group,
          version: gv.version,
          apiVersion: gv.apiVersion,
          namespaced: r.namespaced,
          verbs: r.verbs ?? [],
          shortNames: r.shortNames ?? [],
          singularName: r.singularName || r.kind.toLowerCase(),
          subresources: all.filter((s) => s.name.startsWith(`${r.name}/`)).map((s) => s.name.slice(r.name.length + 1)),
        });
      }
    }
    return { resources, unavailable };
  }
}
