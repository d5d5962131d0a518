// Kubernetes resource quantities (`250m`, `3012345n`, `41Mi`, `1.5Gi`) as numbers, for sorting and summing.

const SUFFIX: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

/** The value of a quantity in base units (cores, bytes); NaN when it is not one. */
export function quantity(text: string): number {
  const match = /^([0-9.]+)(n|u|m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(text.trim());
  return match ? Number(match[1]) * SUFFIX[match[2] ?? '']! : Number.NaN;
}
