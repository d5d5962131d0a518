// The alerts firing now (active: not silenced, not inhibited), read through alertmanager_list_alerts.
import { jsonContents, readThroughTool, type ResourceDefinition, type ToolDefinition } from '@cnmcp/core/plugin';

export const FIRING_URI = 'alertmanager://alerts/firing';

export function alertmanagerResources(tools: readonly ToolDefinition[]): ResourceDefinition[] {
  const list = tools.find((t) => t.name === 'alertmanager_list_alerts');
  if (!list) return [];
  return [
    {
      uri: FIRING_URI,
      name: 'firing-alerts',
      title: 'Firing alerts',
      description: 'Alerts firing now (neither silenced nor inhibited), most severe first, at most 500.',
      mimeType: 'application/json',
      read: async (ctx) =>
        jsonContents(FIRING_URI, await readThroughTool(list, { active: true, silenced: false, inhibited: false, sortBy: 'severity', limit: 500 }, ctx)),
    },
  ];
}
