// What "unhealthy" means per kind, from the fields kubectl and the controllers themselves report.
import { podStatus, type KubeObject } from './object-view.js';

export interface Finding {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly problem: string;
}

const get = (o: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined), o);
const n = (o: unknown, path: string) => Number(get(o, path) ?? 0);
const condition = (o: unknown, type: string) =>
  ((get(o, 'status.conditions') as { type: string; status: string; reason?: string; message?: string }[] | undefined) ?? []).find((c) => c.type === type);

/** The problems of one object, or none. Kinds without a rule here are never reported. */
export function problemsOf(kind: string, o: KubeObject): string[] {
  switch (kind) {
    case 'Pod': {
      const phase = String(get(o, 'status.phase') ?? '');
      if (phase === 'Succeeded') return [];
      const problems: string[] = [];
      const status = podStatus(o);
      if (phase === 'Pending') {
        const scheduled = condition(o, 'PodScheduled');
        problems.push(scheduled?.status === 'False' ? `Pending, not scheduled: ${scheduled.message ?? scheduled.reason ?? ''}`.trim() : `Pending (${status})`);
      } else if (phase === 'Failed' || phase === 'Unknown')
        problems.push(`phase ${phase}${get(o, 'status.reason') ? `: ${String(get(o, 'status.reason'))}` : ''}`);
      for (const c of (get(o, 'status.containerStatuses') as Record<string, unknown>[] | undefined) ?? []) {
        const waiting = get(c, 'state.waiting.reason') as string | undefined;
        if (waiting && waiting !== 'ContainerCreating')
          problems.push(`container ${String(c.name)} ${waiting}${get(c, 'state.waiting.message') ? `: ${String(get(c, 'state.waiting.message'))}` : ''}`);
        else if (phase === 'Running' && c.ready !== true) problems.push(`container ${String(c.name)} not ready`);
        const restarts = Number(c.restartCount ?? 0);
        const last = get(c, 'lastState.terminated') as { reason?: string; exitCode?: number } | undefined;
        if (restarts > 0 && last)
          problems.push(`container ${String(c.name)} restarted ${restarts} times (last exit: ${last.reason ?? 'unknown'}, code ${String(last.exitCode)})`);
      }
      return problems;
    }
    case 'Deployment':
    case 'StatefulSet': {
      const problems: string[] = [];
      const want = n(o, 'spec.replicas');
      if (n(o, 'status.readyReplicas') < want) problems.push(`${n(o, 'status.readyReplicas')}/${want} replicas ready`);
      const progressing = condition(o, 'Progressing');
      if (progressing?.status === 'False') problems.push(`not progressing: ${progressing.reason ?? ''} ${progressing.message ?? ''}`.trim());
      const replicaFailure = condition(o, 'ReplicaFailure');
      if (replicaFailure?.status === 'True') problems.push(`replica failure: ${replicaFailure.message ?? replicaFailure.reason ?? ''}`);
      return problems;
    }
    case 'DaemonSet':
      return n(o, 'status.numberUnavailable') > 0
        ? [`${n(o, 'status.numberUnavailable')} of ${n(o, 'status.desiredNumberScheduled')} daemon pods unavailable`]
        : [];
    case 'Job':
      return condition(o, 'Failed')?.status === 'True'
        ? [`failed: ${condition(o, 'Failed')?.reason ?? ''} ${condition(o, 'Failed')?.message ?? ''}`.trim()]
        : [];
    case 'PersistentVolumeClaim':
      return get(o, 'status.phase') !== 'Bound' ? [`phase ${String(get(o, 'status.phase') ?? 'unknown')}, not Bound`] : [];
    case 'Node': {
      const problems: string[] = [];
      const ready = condition(o, 'Ready');
      if (ready?.status !== 'True') problems.push(`NotReady: ${ready?.reason ?? 'no Ready condition'}${ready?.message ? ` (${ready.message})` : ''}`);
      for (const type of ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable'])
        if (condition(o, type)?.status === 'True') problems.push(type);
      if (get(o, 'spec.unschedulable') === true) problems.push('cordoned (SchedulingDisabled)');
      return problems;
    }
    default:
      return [];
  }
}

/** The namespaced kinds checked, in the order reported. */
export const CHECKED_KINDS = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'PersistentVolumeClaim'] as const;
