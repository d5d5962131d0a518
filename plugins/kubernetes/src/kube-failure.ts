import { ApiException } from '@kubernetes/client-node';

/** What the API server said about a failed request, when it said anything (its Status body). */
interface StatusBody {
  readonly message?: string;
  readonly reason?: string;
  readonly code?: number;
}

const HINTS: Readonly<Record<number, string>> = {
  400: 'Check the arguments (selector syntax, names, field values).',
  401: "The API server rejected the pack's credentials: check the token or client certificate of the configured kubeconfig context or service account.",
  403: "The pack's service account lacks this permission: kubernetes_check_permissions shows what it may do; grant it in RBAC if intended.",
  404: 'Check the kind, name and namespace (kubernetes_list_api_resources lists the kinds the cluster serves).',
  409: 'The object changed or already exists: read it again and retry with the current state.',
  410: 'The continue token expired: list again from the start.',
  415: 'The API server does not accept this patch type for the resource.',
  422: 'The API server rejected the object as invalid: fix the fields it names.',
  429: 'The API server is throttling requests: retry later.',
};

function statusOf(body: unknown): StatusBody | undefined {
  if (typeof body === 'string') {
    try {
      return statusOf(JSON.parse(body));
    } catch {
      return body.trim() === '' ? undefined : { message: body.trim().slice(0, 500) };
    }
  }
  return typeof body === 'object' && body !== null ? (body as StatusBody) : undefined;
}

/**
 * A failed backend call as the model should read it: what was attempted, what the API server (or the network)
 * answered, and what to check. Never includes credentials: only the Status message and the server address.
 */
export function describeFailure(error: unknown, action: string, server: string, timeoutMs: number): string {
  if (error instanceof ApiException) {
    const code = Number(error.code);
    const status = statusOf(error.body);
    const reason = status?.reason ? ` ${status.reason}` : '';
    const message = status?.message ? `: ${status.message}` : '';
    return `Kubernetes API refused to ${action} (HTTP ${code}${reason})${message}. ${HINTS[code] ?? (code >= 500 ? 'The API server failed: retry, and check its health.' : '')}`.trim();
  }
  const e = error as { name?: string; code?: string; message?: string; type?: string };
  if (e?.name === 'AbortError' || e?.type === 'aborted') {
    return `Kubernetes API did not answer in time to ${action} (limit ${timeoutMs} ms, or the call was cancelled). Check that ${server} is reachable and healthy.`;
  }
  if (e?.code && /^(ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|ETIMEDOUT|EAI_AGAIN|ENETUNREACH)$/.test(e.code)) {
    return `Could not reach the Kubernetes API at ${server} to ${action} (${e.code}). Check the cluster address of the configured kubeconfig context and the network path to it.`;
  }
  if (e?.code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(e.code)) {
    return `TLS to the Kubernetes API at ${server} failed while trying to ${action} (${e.code}). Check the cluster CA (certificate-authority) of the kubeconfig.`;
  }
  return `Failed to ${action}: ${e?.message ?? String(error)}`;
}
