import type { LoadedConfig } from './load-config.js';
import type { Logger } from '../plugin/logger.js';
import type { AuditHub } from './audit-hub.js';
import type { ToolCatalog } from './tool-catalog.js';
import type { PluginPorts } from './plugin-ports.js';
import { token } from './container.js';

/** The kernel's services, one typed token each. */
export const TOKENS = {
  config: token<LoadedConfig>('cnmcp.config'),
  logger: token<Logger>('cnmcp.logger'),
  audit: token<AuditHub>('cnmcp.audit'),
  ports: token<PluginPorts>('cnmcp.ports'),
  catalog: token<ToolCatalog>('cnmcp.catalog'),
} as const;
