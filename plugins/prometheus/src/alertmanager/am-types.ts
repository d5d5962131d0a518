import type { BackendClient } from '../backend/backend-client.js';
import type { PageLimits } from '../result/page.js';
import type { ApiMatcher } from './matchers.js';

/** An alert as Alertmanager's v2 API returns it (`gettableAlert`). */
export interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  updatedAt?: string;
  generatorURL?: string;
  fingerprint: string;
  status: { state: 'active' | 'suppressed' | 'unprocessed'; silencedBy: string[]; inhibitedBy: string[] };
  receivers: { name: string }[];
}

export interface AmSilence {
  id: string;
  status: { state: 'active' | 'pending' | 'expired' };
  matchers: ApiMatcher[];
  startsAt: string;
  endsAt: string;
  updatedAt?: string;
  createdBy: string;
  comment: string;
}

/** What every Alertmanager tool is built from. */
export interface AmToolDeps {
  readonly client: BackendClient;
  readonly limits: PageLimits;
  /** Longest silence a caller may create, in seconds. */
  readonly maxSilenceSeconds: number;
}
