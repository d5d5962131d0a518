// The RBAC rules of the fixture's service account, used both to enforce every request and to answer
// SelfSubjectAccessReview, so the two always agree as they do on a real server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Rule {
  readonly verbs: readonly string[];
  readonly groups: readonly string[];
  readonly resources: readonly string[];
  readonly except?: readonly string[];
  readonly namespaces?: readonly string[];
}

export interface Access {
  readonly user: string;
  readonly groups: readonly string[];
  /** The index of the rule that allows the request, or undefined when none does. */
  allowedBy(request: { verb: string; group: string; resource: string; subresource: string; namespace: string }): number | undefined;
}

export function loadAccess(dir: string): Access {
  const doc = JSON.parse(readFileSync(join(dir, 'access.json'), 'utf8')) as { user: string; groups: string[]; rules: Rule[] };
  const matches = (list: readonly string[], value: string) => list.includes('*') || list.includes(value);
  return {
    user: doc.user,
    groups: doc.groups,
    allowedBy({ verb, group, resource, subresource, namespace }) {
      const full = subresource === '' ? resource : `${resource}/${subresource}`;
      const index = doc.rules.findIndex(
        (rule) =>
          matches(rule.verbs, verb) &&
          matches(rule.groups, group) &&
          matches(rule.resources, full) &&
          !(rule.except ?? []).includes(resource) &&
          (rule.namespaces === undefined || (namespace !== '' && rule.namespaces.includes(namespace))),
      );
      return index >= 0 ? index : undefined;
    },
  };
}
