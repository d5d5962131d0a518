import type { ApiResourceInfo } from './resource-catalog.js';

/** The REST path of an object (or a subresource of it), as the API server routes it. */
export function objectPath(resource: ApiResourceInfo, name: string, namespace: string | undefined, subresource?: string): string {
  const root = resource.group === '' ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
  const scope = resource.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${root}${scope}/${resource.name}/${encodeURIComponent(name)}${subresource ? `/${subresource}` : ''}`;
}
