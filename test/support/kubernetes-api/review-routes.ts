// SelfSubjectAccessReview (`kubectl auth can-i VERB RESOURCE`) and SelfSubjectRulesReview (`kubectl auth can-i
// --list`), both answered from the rules in access.json that also guard every request, so they always agree.
import type { Rule, Subject } from './access-rules.js';
import { authorize, parseJson, type ApiRequest, type Route, type ServerState } from './routes.js';
import { failure } from './status.js';

/** The non-resource URLs system:public-info-viewer and system:discovery grant every authenticated user. */
const PUBLIC_PATHS = ['/api', '/apis', '/healthz', '/livez', '/readyz', '/version'];
const PREFIX = '/apis/authorization.k8s.io/v1/';

export const reviewRoute: Route = (request, state) => {
  if (request.method !== 'POST' || !request.path.startsWith(PREFIX)) return undefined;
  const resource = request.path.slice(PREFIX.length);
  if (resource !== 'selfsubjectaccessreviews' && resource !== 'selfsubjectrulesreviews') return undefined;
  authorize(state, request.subject, { verb: 'create', group: 'authorization.k8s.io', resource, subresource: '', namespace: '' });
  const body = parseJson(request.body);
  return { status: 201, body: resource === 'selfsubjectaccessreviews' ? accessReview(state, body, request.subject) : rulesReview(state, body, request) };
};

function accessReview(state: ServerState, body: Record<string, unknown>, subject: Subject | undefined): unknown {
  const spec = (body.spec ?? {}) as { resourceAttributes?: Record<string, string>; nonResourceAttributes?: { path?: string; verb?: string } };
  let allowed = false;
  let reason: string | undefined;
  if (spec.resourceAttributes) {
    const a = spec.resourceAttributes;
    const rule = state.access.allowedBy(
      {
        verb: a.verb ?? '',
        group: a.group ?? '',
        resource: a.resource ?? '',
        subresource: a.subresource ?? '',
        namespace: a.namespace ?? '',
        ...(a.name ? { name: a.name } : {}),
      },
      subject,
    );
    allowed = rule !== undefined;
    if (allowed)
      reason = subject
        ? `RBAC: allowed by a RoleBinding of User "${subject.user}" or its groups ${subject.groups.join(', ')}`
        : `RBAC: allowed by ClusterRoleBinding "cnmcp-agent-${rule}" of ClusterRole "cnmcp-agent-${rule}" to ServiceAccount "cnmcp-agent/cnmcp"`;
  } else if (spec.nonResourceAttributes) {
    allowed = spec.nonResourceAttributes.verb === 'get' && PUBLIC_PATHS.includes(spec.nonResourceAttributes.path ?? '');
    if (allowed)
      reason = 'RBAC: allowed by ClusterRoleBinding "system:public-info-viewer" of ClusterRole "system:public-info-viewer" to Group "system:authenticated"';
  } else {
    throw failure(
      422,
      'Invalid',
      'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
    );
  }
  return { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: {}, spec, status: { allowed, ...(reason ? { reason } : {}) } };
}

/**
 * The rules that apply in `spec.namespace`: cluster-wide rules and the namespace's own. A fixture rule that grants
 * "everything except" (which RBAC cannot say) is listed as RBAC would have to grant it: each group's resources
 * but the excepted ones.
 */
function rulesReview(state: ServerState, body: Record<string, unknown>, request: ApiRequest): unknown {
  const namespace = ((body.spec ?? {}) as { namespace?: string }).namespace ?? '';
  if (namespace === '')
    throw failure(422, 'Invalid', 'SelfSubjectRulesReview.authorization.k8s.io "" is invalid: spec.namespace: Required value: namespace is required', {
      group: 'authorization.k8s.io',
      kind: 'SelfSubjectRulesReview',
      causes: [{ reason: 'FieldValueRequired', message: 'Required value: namespace is required', field: 'spec.namespace' }],
    });
  const applies = (rule: Rule) => rule.namespaces === undefined || rule.namespaces.includes(namespace);
  const rules = state.access.rulesOf(request.subject).filter(applies);
  // A rule that holds only for some label selectors has no ResourceRule form: like a real server whose authorizer
  // uses selectors, the review leaves it out and says the list is incomplete.
  const resourceRules = rules.filter((rule) => rule.labelSelector === undefined).flatMap((rule) => expand(state, rule));
  const incomplete = rules.some((rule) => rule.labelSelector !== undefined);
  return {
    kind: 'SelfSubjectRulesReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: {},
    spec: { namespace },
    status: {
      resourceRules,
      nonResourceRules: [{ verbs: ['get'], nonResourceURLs: PUBLIC_PATHS }],
      incomplete,
    },
  };
}

function expand(state: ServerState, rule: Rule): Record<string, unknown>[] {
  const names = rule.resourceNames ? { resourceNames: rule.resourceNames } : {};
  if (!rule.except || rule.except.length === 0) return [{ verbs: rule.verbs, apiGroups: rule.groups, resources: rule.resources, ...names }];
  const groups = rule.groups.includes('*') ? state.store.groupVersions.map((gv) => gv.group) : rule.groups;
  return groups.flatMap((group) => {
    const served = state.store.groupVersions
      .filter((gv) => gv.group === group)
      .flatMap((gv) => gv.document.resources.map((r) => r.name))
      .filter((name) => !rule.except!.includes(name.split('/')[0]!));
    return served.length === 0 ? [] : [{ verbs: rule.verbs, apiGroups: [group], resources: served, ...names }];
  });
}
