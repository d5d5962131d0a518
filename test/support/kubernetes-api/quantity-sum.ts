// Adds resource quantities and prints the sum as resource.Quantity.String() does (canonical form, in the format of
// the first operand): what metrics-server puts in its table cells when it sums a pod's containers.
const DECIMAL: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/** A quantity in nano-units (decimal) or bytes (binary), exact in bigint. */
function parse(text: string): { nanos: bigint; binary: boolean } {
  const match = /^(\d+)(?:\.(\d+))?([a-zA-Z]*)$/.exec(text.trim());
  if (!match) throw new Error(`not a quantity: ${text}`);
  const [, whole, fraction = '', suffix = ''] = match;
  const digits = BigInt(whole! + fraction);
  const scale = 10n ** BigInt(fraction.length);
  if (suffix in BINARY) return { nanos: (digits * 2n ** BigInt(BINARY[suffix]!) * 10n ** 9n) / scale, binary: true };
  if (!(suffix in DECIMAL)) throw new Error(`not a quantity suffix: ${suffix}`);
  const exponent = DECIMAL[suffix]! + 9;
  return { nanos: (digits * 10n ** BigInt(exponent)) / scale, binary: false };
}

function canonical(nanos: bigint, binary: boolean): string {
  if (nanos === 0n) return '0';
  if (binary && nanos % 10n ** 9n === 0n) {
    const bytes = nanos / 10n ** 9n;
    for (const [suffix, power] of Object.entries(BINARY).reverse()) {
      const unit = 2n ** BigInt(power);
      if (bytes % unit === 0n) return `${bytes / unit}${suffix}`;
    }
    if (bytes % 1024n !== 0n) return String(bytes);
  }
  for (const [suffix, exponent] of Object.entries(DECIMAL).sort(([, a], [, b]) => b - a)) {
    const unit = 10n ** BigInt(exponent + 9);
    if (nanos % unit === 0n) return `${nanos / unit}${suffix}`;
  }
  return `${nanos}n`;
}

export function sumQuantities(values: readonly string[]): string {
  if (values.length === 0) return '0';
  const parsed = values.map(parse);
  return canonical(
    parsed.reduce((n, q) => n + q.nanos, 0n),
    parsed[0]!.binary,
  );
}
