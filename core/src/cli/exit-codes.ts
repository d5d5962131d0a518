/** Documented in docs/cli.md. */
export const EXIT = {
  ok: 0,
  /** The server or command failed while running (a plugin failed to start, a port was taken, ...). */
  failure: 1,
  /** The configuration is invalid, or the command line is. Nothing was started. */
  invalidConfig: 2,
  /** `cnmcp audit verify` found an edited, deleted or reordered event, a missing tail, chain or log, or an unkeyed chain. */
  verifyFailed: 3,
} as const;
