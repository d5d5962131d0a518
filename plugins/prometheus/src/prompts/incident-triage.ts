// The cross-pack workflow: alerts, metrics and Kubernetes events of one incident side by side. It names tools of
// three packs, so core serves it only when alertmanager, prometheus and kubernetes are all configured.
import type { PromptDefinition, ToolDefinition } from '@cnmcp/core/plugin';
import { alertNames } from './alertmanager-prompts.js';
import { arg, checked, LABEL_VALUE, userText } from './prompt-parts.js';

const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function incidentTriagePrompt(tools: readonly ToolDefinition[]): PromptDefinition {
  const names = alertNames(tools);
  return {
    name: 'incident_triage',
    title: 'Incident triage (alerts, metrics, Kubernetes)',
    description: 'Correlate firing alerts with Prometheus metrics and Kubernetes events and unhealthy objects to find the likely cause. Changes nothing.',
    arguments: [arg('namespace', 'Kubernetes namespace the incident is in.', true), arg('alertname', 'The alert that started it, when known.')],
    tools: [
      'alertmanager_list_alerts',
      'prometheus_query_range',
      'prometheus_list_alerts',
      'kubernetes_list_unhealthy_resources',
      'kubernetes_list_events',
      'kubernetes_describe_resource',
    ],
    async complete(argument, value, ctx) {
      return argument === 'alertname' ? names(value, ctx) : [];
    },
    async get(args) {
      const namespace = checked(args, 'namespace', NAMESPACE, 'a namespace name')!;
      const alertname = checked(args, 'alertname', LABEL_VALUE, 'an alert name');
      const matchers = [`{ name: "namespace", value: "${namespace}" }`, ...(alertname ? [`{ name: "alertname", value: "${alertname}" }`] : [])];
      return userText([
        `Triage the incident in namespace "${namespace}"${alertname ? `, started by ${alertname}` : ''}. Read only: change nothing.`,
        `1. Alerts: call alertmanager_list_alerts with matchers: [${matchers.join(', ')}], sortBy: "startsAt". Note when the first alert started.`,
        '2. Rules: call prometheus_list_alerts with state: "firing" and read the query of each alert from step 1.',
        `3. Metrics: for each alert, call prometheus_query_range with its query (or the series it watches, with namespace="${namespace}") from an hour before the first alert to now, to see when the signal moved.`,
        `4. Kubernetes: call kubernetes_list_unhealthy_resources with namespace: "${namespace}", then kubernetes_list_events with namespace: "${namespace}", type: "Warning".`,
        '5. For each unhealthy object, call kubernetes_describe_resource with its kind, name and namespace.',
        'Build one timeline (alerts, metric changes, events: deploys, restarts, OOM kills, scheduling failures) and report the most likely cause with its evidence, the blast radius, and the next step to confirm it.',
      ]);
    },
  };
}
