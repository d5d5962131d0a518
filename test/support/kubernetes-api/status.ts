// Kubernetes `Status` bodies exactly as the API server sends them for failures (metav1.Status, apiVersion v1).

export interface StatusDetails {
  readonly name?: string;
  readonly group?: string;
  readonly kind?: string;
  readonly uid?: string;
  readonly causes?: readonly { readonly reason?: string; readonly message?: string; readonly field?: string }[];
}

export interface StatusBody {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly metadata: Record<string, never>;
  readonly status: 'Failure' | 'Success';
  readonly message?: string;
  readonly reason?: string;
  readonly details?: StatusDetails;
  readonly code: number;
}

/** An error the router turns into an HTTP answer with a Status body. */
export class ApiError extends Error {
  constructor(readonly body: StatusBody) {
    super(body.message);
  }
}

export function failure(code: number, reason: string, message: string, details?: StatusDetails): ApiError {
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code });
}

/** `pods "x"` or `deployments.apps "x"`: how the API server names an object in its messages. */
export const qualified = (resource: string, group: string): string => (group === '' ? resource : `${resource}.${group}`);

const detailsOf = (resource: string, group: string, name?: string): StatusDetails => ({
  ...(name === undefined ? {} : { name }),
  ...(group === '' ? {} : { group }),
  kind: resource,
});

export const notFound = (resource: string, group: string, name: string): ApiError =>
  failure(404, 'NotFound', `${qualified(resource, group)} "${name}" not found`, detailsOf(resource, group, name));

export const alreadyExists = (resource: string, group: string, name: string): ApiError =>
  failure(409, 'AlreadyExists', `${qualified(resource, group)} "${name}" already exists`, detailsOf(resource, group, name));

export const conflict = (resource: string, group: string, name: string): ApiError =>
  failure(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(resource, group)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    detailsOf(resource, group, name),
  );

export function forbidden(user: string, verb: string, resource: string, subresource: string, group: string, namespace: string, name?: string): ApiError {
  const full = subresource === '' ? resource : `${resource}/${subresource}`;
  const subject = name === undefined ? qualified(full, group) : `${qualified(full, group)} "${name}"`;
  const scope = namespace === '' ? 'at the cluster scope' : `in the namespace "${namespace}"`;
  return failure(
    403,
    'Forbidden',
    `${subject} is forbidden: User "${user}" cannot ${verb} resource "${full}" in API group "${group}" ${scope}`,
    detailsOf(resource, group, name),
  );
}

export const unauthorized = (): ApiError => failure(401, 'Unauthorized', 'Unauthorized');

export const badRequest = (message: string): ApiError => failure(400, 'BadRequest', message);

export const resourceNotFound = (): ApiError => failure(404, 'NotFound', 'the server could not find the requested resource');

export const success = (resource: string, group: string, name: string, uid: string): StatusBody => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Success',
  details: { name, ...(group === '' ? {} : { group }), kind: resource, uid },
  code: 200,
});
