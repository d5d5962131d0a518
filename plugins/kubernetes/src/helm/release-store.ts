// Reads Helm releases the way Helm's secrets driver does: one list of Secrets selected by `owner=helm` (and
// `name=RELEASE`), never a Secret by name, so the only Secret access the pack needs is that labelled list.
import type { ToolContext } from '@cnmcp/core/plugin';
import { BackendFailure } from '../backend-failure.js';
import type { PackDeps } from '../pack-deps.js';
import { decodeReleaseSecret, isReleaseSecret, ReleaseDecodeError, type HelmRelease, type SecretObject } from './release-codec.js';
import { HELM_OWNER_SELECTOR } from './release-request.js';

/** Most release Secrets one call reads (every revision of every release in scope). */
const MAX_SECRETS = 5000;

/** The labels the driver keeps beside each revision: enough to pick revisions without decoding them. */
export interface RevisionRef {
  readonly secret: SecretObject;
  readonly name: string;
  readonly namespace: string;
  readonly version: number;
  readonly status: string;
}

export interface RevisionList {
  readonly revisions: RevisionRef[];
  /** Release Secrets of namespaces the guard rails close, left out of a list across namespaces. */
  readonly withheld: number;
  readonly truncated: boolean;
}

/** Lists release revisions (labels only) in a namespace or, with `namespace` undefined, in every namespace. */
export async function listRevisions(deps: PackDeps, ctx: ToolContext, namespace: string | undefined, release?: string): Promise<RevisionList> {
  const selector = release === undefined ? HELM_OWNER_SELECTOR : `${HELM_OWNER_SELECTOR},name=${release}`;
  const path = namespace === undefined ? '/api/v1/secrets' : `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets`;
  const where = namespace === undefined ? 'in all namespaces' : `in namespace "${namespace}"`;
  const secrets: SecretObject[] = [];
  let token: string | undefined;
  do {
    const page = (await deps.backend.call(
      ctx,
      `list Helm release secrets (labelSelector ${selector}) ${where}`,
      () => deps.backend.objects.request('GET', path, { query: { labelSelector: selector, limit: '500', continue: token } }),
      { helmReleases: true },
    )) as { items?: SecretObject[]; metadata?: { continue?: string } };
    secrets.push(...(page.items ?? []));
    token = page.metadata?.continue || undefined;
  } while (token !== undefined && secrets.length < MAX_SECRETS);
  const guard = deps.backend.guard;
  const inScope = secrets.filter((s) => isReleaseSecret(s));
  const readable = namespace === undefined ? inScope.filter((s) => guard.readable(String(s.metadata?.namespace ?? ''))) : inScope;
  const revisions = readable
    .map((secret) => {
      const labels = secret.metadata?.labels ?? {};
      return {
        secret,
        name: labels.name ?? '',
        namespace: String(secret.metadata?.namespace ?? namespace ?? ''),
        version: Number(labels.version),
        status: labels.status ?? 'unknown',
      };
    })
    .filter((r) => r.name !== '' && Number.isInteger(r.version))
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name) || a.version - b.version);
  return { revisions, withheld: inScope.length - readable.length, truncated: token !== undefined };
}

/** Decodes one revision; a corrupt Secret becomes a failure that names it. */
export function decode(ref: RevisionRef): HelmRelease {
  try {
    return decodeReleaseSecret(ref.secret);
  } catch (error) {
    if (error instanceof ReleaseDecodeError)
      throw new BackendFailure(`Cannot read Helm release ${ref.namespace}/${ref.name} revision ${ref.version}: ${error.message}.`);
    throw error;
  }
}

/** One revision of a release (the latest by default), decoded; a missing release or revision says what exists. */
export async function readRelease(deps: PackDeps, ctx: ToolContext, name: string, namespace: string, revision?: number): Promise<HelmRelease> {
  const { revisions } = await listRevisions(deps, ctx, namespace, name);
  if (revisions.length === 0) {
    throw new BackendFailure(
      `No Helm release "${name}" in namespace "${namespace}" (no Secret labelled owner=helm,name=${name}). kubernetes_helm_list_releases lists the releases there.`,
    );
  }
  const ref = revision === undefined ? revisions.at(-1)! : revisions.find((r) => r.version === revision);
  if (!ref) {
    throw new BackendFailure(`Helm release ${namespace}/${name} has no revision ${revision}; it has ${revisions.map((r) => r.version).join(', ')}.`);
  }
  return decode(ref);
}

/** `chart-version`, as helm list shows the chart. */
export const chartLabel = (release: HelmRelease) => `${release.chart?.metadata?.name ?? 'unknown'}-${release.chart?.metadata?.version ?? 'unknown'}`;
