/** Local time, to the second: what an operator reads; the ISO value stays in the event detail. */
export const when = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { hour12: false });
};

/** The tracing UI link of a trace id, from `admin.console.tracingUrl`; only http(s) links are ever built. */
export function traceLink(template: string | undefined, traceId: string | undefined): string | undefined {
  if (!template || !traceId || !/^[0-9a-f]{32}$/i.test(traceId)) return undefined;
  const url = template.replace('{traceId}', traceId);
  return /^https?:\/\//i.test(url) ? url : undefined;
}
