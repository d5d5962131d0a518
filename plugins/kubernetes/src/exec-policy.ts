// Which commands kubernetes_exec_command may run: an allowlist of programs (any arguments) or of full command
// patterns (one pattern word per argument, `*` matching as a shell glob does: any characters but `/`). Matched on
// the argv the API server receives; no shell ever parses it.

const PARENT = /(^|\/)\.\.(\/|$)/;

/** The allowlist entry that admits `argv`, or undefined. */
export function allowedBy(patterns: readonly string[], argv: readonly string[]): string | undefined {
  return patterns.find((pattern) => {
    const words = pattern.split(' ');
    if (words.length === 1 && !words[0]!.includes('*')) return argv[0] === words[0];
    return words.length === argv.length && words.every((word, i) => matches(word, argv[i]!));
  });
}

function matches(word: string, arg: string): boolean {
  if (!word.includes('*')) return word === arg;
  // A wildcard never stands for a parent directory: `cat /etc/*` does not reach `/etc/../root`.
  if (PARENT.test(arg)) return false;
  const escaped = word
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/\\n]*');
  return new RegExp(`^${escaped}$`).test(arg);
}
