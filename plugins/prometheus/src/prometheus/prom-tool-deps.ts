import type { BackendClient } from '../backend/backend-client.js';
import type { PageLimits } from '../result/page.js';

/** What every Prometheus tool is built from. */
export interface PromToolDeps {
  readonly client: BackendClient;
  readonly limits: PageLimits;
  /** Longest PromQL expression accepted (also advertised as the schema's maxLength). */
  readonly maxQueryLength: number;
}
