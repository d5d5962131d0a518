// The HTTP library of the Kubernetes client, as the client's own (node-fetch with its TLS agent), plus header
// pairs for the call in flight: impersonation needs one `Impersonate-Group` header per group, which the client's
// header map (one value per name) cannot carry.
import type { AsyncLocalStorage } from 'node:async_hooks';
import { ResponseContext, wrapHttpLibrary, type HttpLibrary, type RequestContext } from '@kubernetes/client-node';
import fetch, { Headers } from 'node-fetch';

/** What the call in flight adds to each of its requests. */
export interface CallScope {
  readonly signal: AbortSignal;
  readonly headers: readonly [string, string][];
  /** Set by the Helm tools: their `owner=helm` Secret lists pass the `secrets: deny` guard rail. */
  readonly helmReleases?: boolean;
}

export function packHttp(scope: AsyncLocalStorage<CallScope>): HttpLibrary {
  return wrapHttpLibrary({
    async send(request: RequestContext): Promise<ResponseContext> {
      const headers = new Headers(request.getHeaders());
      for (const [name, value] of scope.getStore()?.headers ?? []) headers.append(name, value);
      const response = await fetch(request.getUrl(), {
        method: request.getHttpMethod().toString(),
        body: request.getBody() as string | undefined,
        headers,
        signal: request.getSignal() as never,
        agent: request.getAgent(),
      });
      const responseHeaders: Record<string, string> = {};
      response.headers.forEach((value, name) => (responseHeaders[name] = value));
      return new ResponseContext(response.status, responseHeaders, { text: () => response.text(), binary: () => response.buffer() });
    },
  });
}
