// The RBAC rules of the fixture's service account and of the users and groups it may impersonate, used both to
// enforce every request and to answer SelfSubjectAccessReview, so the two always agree as they do on a real server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Rule {
  readonly verbs: readonly string[];
  readonly groups: readonly string[];
  readonly resources: readonly string[];
  readonly except?: readonly string[];
  readonly namespaces?: readonly string[];
  readonly resourceNames?: readonly string[];
  /**
   * Label requirements a list must carry (`owner=helm`): authorization with selectors (Kubernetes 1.31+,
   * AuthorizeWithSelectors, as a webhook or CEL authorizer sees them; plain RBAC cannot say this).
   */
  readonly labelSelector?: string;
}

/** Who a request runs as: the service account, or the user (and groups) it impersonates. */
export interface Subject {
  readonly user: string;
  readonly groups: readonly string[];
}

export interface AccessRequest {
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  readonly subresource: string;
  readonly namespace: string;
  readonly name?: string;
  /** The label selector of a list or watch, as sent. */
  readonly labelSelector?: string;
}

export interface Access {
  /** The service account the bearer token authenticates. */
  readonly user: string;
  readonly groups: readonly string[];
  /** The index of the rule that allows the request for `subject` (the service account by default), or undefined. */
  allowedBy(request: AccessRequest, subject?: Subject): number | undefined;
  /** The rules that apply to `subject` (the service account by default), as SelfSubjectRulesReview lists them. */
  rulesOf(subject?: Subject): readonly Rule[];
}

interface AccessDocument {
  user: string;
  groups: string[];
  rules: Rule[];
  /** RBAC of impersonated users and groups (bound by RoleBindings on a real cluster). */
  subjects?: { users?: Record<string, Rule[]>; groups?: Record<string, Rule[]> };
}

export function loadAccess(dir: string): Access {
  const doc = JSON.parse(readFileSync(join(dir, 'access.json'), 'utf8')) as AccessDocument;
  const matches = (list: readonly string[], value: string) => list.includes('*') || list.includes(value);
  const rulesOf = (subject: Subject | undefined): Rule[] =>
    subject === undefined || subject.user === doc.user
      ? doc.rules
      : [...(doc.subjects?.users?.[subject.user] ?? []), ...subject.groups.flatMap((g) => doc.subjects?.groups?.[g] ?? [])];
  return {
    user: doc.user,
    groups: doc.groups,
    rulesOf,
    allowedBy({ verb, group, resource, subresource, namespace, name, labelSelector }, subject) {
      const full = subresource === '' ? resource : `${resource}/${subresource}`;
      const index = rulesOf(subject).findIndex(
        (rule) =>
          matches(rule.verbs, verb) &&
          matches(rule.groups, group) &&
          matches(rule.resources, full) &&
          !(rule.except ?? []).includes(resource) &&
          (rule.namespaces === undefined || (namespace !== '' && rule.namespaces.includes(namespace))) &&
          (rule.resourceNames === undefined || (name !== undefined && rule.resourceNames.includes(name))) &&
          (rule.labelSelector === undefined || selects(labelSelector, rule.labelSelector)),
      );
      return index >= 0 ? index : undefined;
    },
  };
}

/** Whether a request's selector requires every `key=value` of the rule's (a narrower selector still matches). */
function selects(requested: string | undefined, required: string): boolean {
  const terms = new Set((requested ?? '').split(',').map((t) => t.replace(/\s+/g, '').replace('==', '=')));
  return required.split(',').every((t) => terms.has(t.trim()));
}
