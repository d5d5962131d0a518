// Values files and rendered manifests often carry credentials (a chart's `auth.password`, a Secret's data). The
// Helm tools hand them to a model, so what looks like a credential is replaced unless the operator opts out.
import { dumpYaml, loadAllYaml } from '@kubernetes/client-node';

export const MASK = '***masked***';

/**
 * Key names that hold credentials by convention: passwords, tokens, API and private keys, client secrets,
 * connection strings. Matched anywhere in the key, in any case (`dbPassword`, `auth_token`, `apiKey`).
 */
export const SECRET_KEY = /pass(word|wd|phrase)?|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|credential|connection[-_]?string|dsn$/i;

/** A key whose value names a Secret rather than holding one (`existingSecret`, `secretName`, `imagePullSecrets`): left as is. */
const NAMES_A_SECRET = /^(existing|use)?secret(name|ref|key(ref)?)?$|^existing.*secret$|secretname$|secretref$|pullsecrets?$/i;

const isSecretKey = (key: string) => SECRET_KEY.test(key) && !NAMES_A_SECRET.test(key);

/**
 * A copy of `value` with every scalar under a credential-like key replaced by MASK (booleans stay: `auth.enabled`),
 * plus the dotted paths that were masked, so the answer can say what it withheld. `nested: false` masks only the
 * scalars a credential-like key holds itself (in manifests, `serviceAccountToken.path` is no credential).
 */
export function maskValues(value: unknown, options: { nested?: boolean } = {}): { value: unknown; masked: string[] } {
  const masked: string[] = [];
  const nested = options.nested !== false;
  const visit = (v: unknown, at: string, secretKey: boolean): unknown => {
    if (Array.isArray(v)) return v.map((item, i) => visit(item, `${at}[${i}]`, nested && secretKey));
    if (typeof v === 'object' && v !== null) {
      const entries = Object.entries(v as Record<string, unknown>);
      // `env`-style pairs: { name: DB_PASSWORD, value: ... } hide the value by the name they carry.
      const named = typeof (v as { name?: unknown }).name === 'string' && isSecretKey((v as { name: string }).name);
      return Object.fromEntries(
        entries.map(([k, item]) => [k, visit(item, at === '' ? k : `${at}.${k}`, (nested && secretKey) || isSecretKey(k) || (named && k === 'value'))]),
      );
    }
    if (secretKey && (typeof v === 'string' || typeof v === 'number') && v !== '' && v !== MASK) {
      masked.push(at);
      return MASK;
    }
    return v;
  };
  return { value: visit(value, '', false), masked };
}

/**
 * A rendered manifest with the data of its Secrets and every credential-like value masked. Documents that need
 * no change keep their text; a changed one is re-serialized after its `# Source:` line.
 */
export function maskManifest(manifest: string): { manifest: string; masked: string[] } {
  const masked: string[] = [];
  const documents = manifest.split(/^---[ \t]*$/m);
  const out = documents.map((text) => {
    if (text.trim() === '') return text;
    let parsed: unknown;
    try {
      [parsed] = loadAllYaml(text);
    } catch {
      // An unparseable document cannot be checked: withhold it rather than pass a credential through.
      masked.push('(a document that is not valid YAML)');
      return '\n# [withheld: not valid YAML, cannot be checked for credentials]\n';
    }
    if (typeof parsed !== 'object' || parsed === null) return text;
    const object = parsed as Record<string, unknown>;
    const label = `${String(object.kind)}/${String((object.metadata as { name?: unknown } | undefined)?.name)}`;
    const before = masked.length;
    let result = object;
    if (object.kind === 'Secret') {
      result = { ...object };
      for (const field of ['data', 'stringData']) {
        const values = object[field] as Record<string, unknown> | undefined;
        if (values && typeof values === 'object') {
          result[field] = Object.fromEntries(Object.keys(values).map((k) => [k, MASK]));
          masked.push(...Object.keys(values).map((k) => `${label} ${field}.${k}`));
        }
      }
    }
    const inner = maskValues(result, { nested: false });
    result = inner.value as Record<string, unknown>;
    masked.push(...inner.masked.map((p) => `${label} ${p}`));
    if (masked.length === before) return text;
    const source = /^#.*$/m.exec(text)?.[0];
    return `\n${source ? `${source}\n` : ''}${dumpYaml(result)}`;
  });
  return { manifest: out.join('---'), masked };
}
