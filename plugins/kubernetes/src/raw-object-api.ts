import { HttpMethod, KubernetesObjectApi, type KubernetesObject, type ResponseContext } from '@kubernetes/client-node';

/**
 * KubernetesObjectApi (generic list/read/patch/delete of any kind, resolved through discovery) that hands back the
 * API server's JSON as it came: the typed models would turn timestamps into Dates and drop fields of kinds they do
 * not know. Adds a plain request for the paths it has no method for (discovery documents, subresources).
 */
export class RawObjectApi extends KubernetesObjectApi {
  protected override async processResponse<T extends KubernetesObject>(response: ResponseContext, type?: string): Promise<T> {
    if (response.httpStatusCode >= 200 && response.httpStatusCode <= 299) {
      const text = await response.body.text();
      return (/json/.test(response.headers['content-type'] ?? '') ? JSON.parse(text) : text) as T;
    }
    return super.processResponse<T>(response, type);
  }

  /** One request to a path of the API server, authenticated as every other call. */
  async request(
    method: 'GET' | 'PATCH' | 'POST',
    path: string,
    options: { query?: Record<string, string | undefined>; body?: unknown; contentType?: string } = {},
  ): Promise<unknown> {
    const context = this.configuration.baseServer.makeRequestContext(path, method as HttpMethod);
    context.setHeaderParam('Accept', 'application/json, */*;q=0.8');
    for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) context.setQueryParam(key, value);
    if (options.body !== undefined) {
      context.setHeaderParam('Content-Type', options.contentType ?? 'application/json');
      context.setBody(JSON.stringify(options.body));
    }
    return this.requestPromise(context);
  }

  /** The APIResourceList of one group version (`v1`, `apps/v1`), shared with the kind resolution of list/read/patch. */
  async resources(apiVersion: string): Promise<{ resources: Record<string, unknown>[] }> {
    const list = (await this.request('GET', this.apiVersionPath(apiVersion))) as { resources: Record<string, unknown>[] };
    this.apiVersionResourceCache[apiVersion] = list as never;
    return list;
  }
}
