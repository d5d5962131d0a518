/** What `cnmcp serve` runs with when no config file is found: loopback only, the utilities pack. */
export const EMBEDDED_DEFAULT_CONFIG: Readonly<Record<string, unknown>> = Object.freeze({
  server: { listen: '127.0.0.1:8080' },
  toolPacks: [{ use: 'utilities' }],
});
