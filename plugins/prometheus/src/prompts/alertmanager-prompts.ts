// Prompts over the alertmanager pack: triage what fires, and silence with the narrowest matchers, for the shortest
// time, after showing the user what would be silenced.
import { readThroughTool, type PromptDefinition, type ReadContext, type ToolDefinition } from '@cnmcp/core/plugin';
import { arg, checked, DURATION, LABEL_VALUE, startingWith, userText } from './prompt-parts.js';

const SEVERITIES = ['critical', 'warning', 'info'];

/** Alert names Alertmanager holds now, for completion. */
export function alertNames(tools: readonly ToolDefinition[]) {
  const list = tools.find((t) => t.name === 'alertmanager_list_alerts');
  return async (typed: string, ctx: ReadContext): Promise<string[]> => {
    if (!list) return [];
    const read = await readThroughTool(list, { limit: 500 }, ctx);
    return startingWith(
      ((read.alerts ?? []) as { labels?: Record<string, unknown> }[]).map((a) => a.labels?.alertname),
      typed,
    );
  };
}

export function alertmanagerPrompts(tools: readonly ToolDefinition[]): PromptDefinition[] {
  const names = alertNames(tools);
  return [
    {
      name: 'alertmanager_triage_firing_alerts',
      title: 'Triage firing alerts',
      description: 'What fires now, grouped and ordered by severity, with what is already silenced or inhibited. Changes nothing.',
      arguments: [arg('severity', 'Only alerts of this severity label (critical, warning, info).'), arg('receiver', 'Only alerts routed to this receiver.')],
      tools: ['alertmanager_list_alerts', 'alertmanager_list_alert_groups', 'alertmanager_list_silences'],
      async complete(argument, value) {
        return argument === 'severity' ? SEVERITIES.filter((s) => s.startsWith(value)) : [];
      },
      async get(args) {
        const severity = checked(args, 'severity', LABEL_VALUE, 'a label value');
        const receiver = checked(args, 'receiver', LABEL_VALUE, 'a receiver name');
        const filters = [
          ...(severity ? [`matchers: [{ name: "severity", value: "${severity}" }]`] : []),
          ...(receiver ? [`receiver: "${receiver}"`] : []),
        ].join(', ');
        const and = filters ? `, ${filters}` : '';
        return userText([
          `Triage the alerts firing now${severity ? ` with severity ${severity}` : ''}${receiver ? ` for receiver ${receiver}` : ''}. Read only.`,
          `1. Call alertmanager_list_alerts with active: true, silenced: false, inhibited: false, sortBy: "severity"${and}.`,
          `2. Call alertmanager_list_alert_groups${receiver ? ` with receiver: "${receiver}"` : ''} to see how they are grouped and routed.`,
          '3. Call alertmanager_list_silences with state: "active" to note what is already silenced and expires soon.',
          'Report a table: alert, severity, since when, affected labels (namespace, service, instance), grouped by likely common cause; then the first three things to look at. Do not create or expire silences.',
        ]);
      },
    },
    {
      name: 'alertmanager_silence_safely',
      title: 'Silence an alert safely',
      description: 'Silence one alert by name with narrow matchers and a short duration, after showing the user what it would silence.',
      arguments: [
        arg('alertname', 'The alertname label to silence.', true),
        arg('duration', 'How long, e.g. 1h (default); the server caps it.'),
        arg('reason', 'Why: recorded as the silence comment.', true),
      ],
      tools: ['alertmanager_list_alerts', 'alertmanager_list_silences', 'alertmanager_create_silence'],
      async complete(argument, value, ctx) {
        if (argument === 'alertname') return names(value, ctx);
        if (argument === 'duration') return ['30m', '1h', '2h', '4h'].filter((d) => d.startsWith(value));
        return [];
      },
      async get(args) {
        const alertname = checked(args, 'alertname', LABEL_VALUE, 'an alert name')!;
        const duration = checked(args, 'duration', DURATION, 'a duration such as 1h') ?? '1h';
        const reason = checked(args, 'reason', /^[^\n\r]{1,500}$/, 'a one-line reason of at most 500 characters')!;
        const match = `{ name: "alertname", value: "${alertname}" }`;
        return userText([
          `Silence the alert ${alertname} for ${duration}, safely. Reason: ${JSON.stringify(reason)}.`,
          `1. Call alertmanager_list_silences with state: "active", matchers: [${match}]: if a silence already covers it, stop and report it.`,
          `2. Call alertmanager_list_alerts with matchers: [${match}]. Show the user every alert that would be silenced. If they span several namespaces, services or instances, propose adding an equality matcher on that label to narrow it.`,
          `3. Only after the user agrees, call alertmanager_create_silence with matchers: [${match}, ...the narrowing matchers], duration: "${duration}", comment: ${JSON.stringify(reason)}.`,
          'Report the silence id (needed to expire it early with alertmanager_expire_silence), its end time and the alerts it silences.',
        ]);
      },
    },
  ];
}
