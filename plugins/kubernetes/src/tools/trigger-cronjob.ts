import type { ToolDefinition } from '@cnmcp/core/plugin';
import { objectPath } from '../object-path.js';
import type { KubeObject } from '../object-view.js';
import type { PackDeps } from '../pack-deps.js';
import { dryRunField, nameField, namespaceField } from '../schemas.js';
import { guarded, structuredResult } from '../tool-result.js';
import { readObject } from './get-resource.js';

export type TriggerArgs = { name: string; namespace?: string; jobName?: string; dryRun?: boolean };

/** The annotation the CronJob controller and `kubectl create job --from=cronjob/...` put on a manual run. */
export const INSTANTIATE = 'cronjob.kubernetes.io/instantiate';

/** `kubernetes_trigger_cronjob`: runs a CronJob now, as `kubectl create job --from=cronjob/NAME` does. */
export function createTriggerCronJobTool(deps: PackDeps): ToolDefinition<TriggerArgs> {
  return guarded<TriggerArgs>({
    name: 'kubernetes_trigger_cronjob',
    title: 'Trigger a CronJob now',
    description:
      "Creates a Job from a CronJob's job template right now (like kubectl create job --from=cronjob/NAME), owned by the CronJob and annotated as a manual run. Supports server-side dry run.",
    inputSchema: {
      type: 'object',
      properties: {
        name: nameField('CronJob name.'),
        namespace: namespaceField(),
        jobName: { ...nameField('Name of the Job to create; default `<cronjob>-manual-<time>`.'), maxLength: 63 },
        dryRun: dryRunField,
      },
      required: ['name'],
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: { job: { type: 'string' }, namespace: { type: 'string' }, cronJob: { type: 'string' }, dryRun: { type: 'boolean' } },
      required: ['job', 'namespace', 'cronJob', 'dryRun'],
    },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    async run(args, ctx) {
      const cronJobs = await deps.catalog.resolve(ctx, 'cronjobs', 'batch/v1');
      const jobs = await deps.catalog.resolve(ctx, 'jobs', 'batch/v1');
      const namespace = args.namespace ?? deps.backend.defaultNamespace;
      const cronJob = await readObject(deps, ctx, cronJobs, args.name, namespace);
      const template = ((cronJob.spec as { jobTemplate?: KubeObject } | undefined)?.jobTemplate ?? {}) as KubeObject;
      const templateMeta = (template.metadata ?? {}) as { labels?: Record<string, string>; annotations?: Record<string, string> };
      const jobName = args.jobName ?? `${args.name.slice(0, 40)}-manual-${Date.now().toString(36)}`;
      const dryRun = args.dryRun === true || deps.backend.guard.dryRun;
      const job = {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: {
          name: jobName,
          namespace,
          ...(templateMeta.labels ? { labels: templateMeta.labels } : {}),
          annotations: { ...templateMeta.annotations, [INSTANTIATE]: 'manual' },
          ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: args.name, uid: String(cronJob.metadata?.uid), controller: true }],
        },
        spec: template.spec,
      };
      const path = objectPath(jobs, '', namespace).replace(/\/$/, '');
      const created = (await deps.backend.call(ctx, `create a job from cronjob "${args.name}" in namespace "${namespace}"`, () =>
        deps.backend.objects.request('POST', path, {
          body: job,
          query: { fieldManager: deps.settings.fieldManager, ...(dryRun ? { dryRun: 'All' } : {}) },
        }),
      )) as KubeObject;
      const name = String(created.metadata?.name ?? jobName);
      return structuredResult(
        { job: name, namespace, cronJob: args.name, dryRun },
        `${dryRun ? '[dry run, nothing changed] ' : ''}Job ${namespace}/${name} created from CronJob ${args.name}. Follow it with kubernetes_get_resource_summary (kind Job) and its pods' logs.`,
      );
    },
  });
}
