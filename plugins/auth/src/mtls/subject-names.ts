/**
 * The subject alternative names of a certificate as Node prints them (`DNS:a.example, URI:spiffe://x/y`), one
 * `TYPE:value` string each. Node quotes a value that itself holds a comma or a quote (JSON string syntax).
 */
export function subjectAltNames(printed: string | undefined): string[] {
  if (!printed) return [];
  const names: string[] = [];
  const pattern = /([A-Za-z ]+):("(?:[^"\\]|\\.)*"|[^,]*)(?:, |$)/g;
  for (const match of printed.matchAll(pattern)) {
    const [, type, raw] = match;
    if (!type || raw === undefined) continue;
    let value = raw;
    if (raw.startsWith('"')) {
      try {
        value = JSON.parse(raw) as string;
      } catch {
        continue;
      }
    }
    names.push(`${type}:${value}`);
  }
  return names;
}
