import type { ToolDefinition } from '@cnmcp/core/plugin';
import type { KubeObject } from '../object-view.js';
import type { PackDeps } from '../pack-deps.js';
import { nameField, namespaceField, workloadKindField } from '../schemas.js';
import { guarded, structuredResult } from '../tool-result.js';
import { readObject } from './get-resource.js';

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];
export type RolloutArgs = { kind: string; name: string; namespace?: string };

const num = (v: unknown) => Number(v ?? 0);

/** kubectl rollout status's verdict (k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go), computed once. */
export function rolloutVerdict(kind: WorkloadKind, o: KubeObject): { done: boolean; failed: boolean; message: string } {
  const meta = o.metadata ?? {};
  const spec = (o.spec ?? {}) as Record<string, unknown>;
  const status = (o.status ?? {}) as Record<string, unknown>;
  const name = String(meta.name);
  if (num(meta.generation) > num(status.observedGeneration))
    return { done: false, failed: false, message: `Waiting for ${kind.toLowerCase()} spec update to be observed...` };
  if (kind === 'Deployment') {
    const progressing = ((status.conditions as { type: string; reason?: string }[] | undefined) ?? []).find((c) => c.type === 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded')
      return { done: false, failed: true, message: `deployment "${name}" exceeded its progress deadline` };
    const want = num(spec.replicas ?? 1);
    const updated = num(status.updatedReplicas);
    if (updated < want)
      return {
        done: false,
        failed: false,
        message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${want} new replicas have been updated...`,
      };
    if (num(status.replicas) > updated)
      return {
        done: false,
        failed: false,
        message: `Waiting for deployment "${name}" rollout to finish: ${num(status.replicas) - updated} old replicas are pending termination...`,
      };
    if (num(status.availableReplicas) < updated)
      return {
        done: false,
        failed: false,
        message: `Waiting for deployment "${name}" rollout to finish: ${num(status.availableReplicas)} of ${updated} updated replicas are available...`,
      };
    return { done: true, failed: false, message: `deployment "${name}" successfully rolled out` };
  }
  if (kind === 'StatefulSet') {
    const want = num(spec.replicas ?? 1);
    if (num(status.readyReplicas) < want) return { done: false, failed: false, message: `Waiting for ${want - num(status.readyReplicas)} pods to be ready...` };
    if (
      status.updateRevision !== status.currentRevision &&
      ((spec.updateStrategy as { type?: string } | undefined)?.type ?? 'RollingUpdate') === 'RollingUpdate'
    ) {
      return {
        done: false,
        failed: false,
        message: `waiting for statefulset rolling update to complete ${num(status.updatedReplicas)} pods at revision ${String(status.updateRevision)}...`,
      };
    }
    return {
      done: true,
      failed: false,
      message: `statefulset rolling update complete ${num(status.readyReplicas)} pods at revision ${String(status.currentRevision ?? status.updateRevision)}...`,
    };
  }
  const desired = num(status.desiredNumberScheduled);
  if (num(status.updatedNumberScheduled) < desired)
    return {
      done: false,
      failed: false,
      message: `Waiting for daemon set "${name}" rollout to finish: ${num(status.updatedNumberScheduled)} out of ${desired} new pods have been updated...`,
    };
  if (num(status.numberAvailable) < desired)
    return {
      done: false,
      failed: false,
      message: `Waiting for daemon set "${name}" rollout to finish: ${num(status.numberAvailable)} of ${desired} updated pods are available...`,
    };
  return { done: true, failed: false, message: `daemon set "${name}" successfully rolled out` };
}

/** `kubernetes_get_rollout_status`: is a deployment, statefulset or daemonset rollout done, stuck or in progress. */
export function createRolloutStatusTool(deps: PackDeps): ToolDefinition<RolloutArgs> {
  return guarded<RolloutArgs>({
    name: 'kubernetes_get_rollout_status',
    title: 'Get rollout status',
    description:
      'Tells whether the rollout of a Deployment, StatefulSet or DaemonSet is complete, in progress or failed (progress deadline exceeded), as kubectl rollout status decides, without waiting.',
    inputSchema: {
      type: 'object',
      properties: {
        kind: workloadKindField(WORKLOAD_KINDS),
        name: nameField('Workload name.'),
        namespace: namespaceField(),
      },
      required: ['kind', 'name'],
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        kind: { type: 'string' },
        name: { type: 'string' },
        namespace: { type: 'string' },
        done: { type: 'boolean' },
        failed: { type: 'boolean' },
        message: { type: 'string' },
        generation: { type: 'integer' },
        observedGeneration: { type: 'integer' },
      },
      required: ['kind', 'name', 'namespace', 'done', 'failed', 'message'],
    },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    async run(args, ctx) {
      const resource = await deps.catalog.resolveOneOf(ctx, args.kind, WORKLOAD_KINDS, 'apps/v1');
      const namespace = args.namespace ?? deps.backend.defaultNamespace;
      const object = await readObject(deps, ctx, resource, args.name, namespace);
      const verdict = rolloutVerdict(resource.kind as WorkloadKind, object);
      const status = (object.status ?? {}) as Record<string, unknown>;
      return structuredResult(
        {
          kind: resource.kind,
          name: args.name,
          namespace,
          ...verdict,
          ...(object.metadata?.generation !== undefined ? { generation: num(object.metadata.generation) } : {}),
          ...(status.observedGeneration !== undefined ? { observedGeneration: num(status.observedGeneration) } : {}),
        },
        `${verdict.failed ? 'FAILED: ' : verdict.done ? '' : 'IN PROGRESS: '}${verdict.message}`,
      );
    },
  });
}
