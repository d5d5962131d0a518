// Which path ran a tool handler, for the fast-path differential tests (plain ESM: spawned servers load packs that
// import it by path).

/** Whether the handler runs under the SDK: its frames are on the call stack only on the SDK path. */
export function underSdk() {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Infinity;
  try {
    return String(new Error().stack?.includes('@modelcontextprotocol') ?? false);
  } finally {
    Error.stackTraceLimit = limit;
  }
}
