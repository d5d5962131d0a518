// deploy/Dockerfile, checked statically (no Docker engine runs in CI): it parses and lints clean, and it keeps every
// promise of the image contract. test/deploy/image-runtime.test.ts runs what it ships.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DockerfileParser, type Dockerfile, type Instruction, type JSONInstruction, type From, type Copy, type Healthcheck, type Label } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const text = readFileSync(`${repo}deploy/Dockerfile`, 'utf8');
const dockerfile: Dockerfile = DockerfileParser.parse(text);
const rootPackage = JSON.parse(readFileSync(`${repo}package.json`, 'utf8')) as { version: string; license: string };

/** The instructions of each stage, keyed by the stage's FROM. */
function stages(): { from: From; instructions: Instruction[] }[] {
  const result: { from: From; instructions: Instruction[] }[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') result.push({ from: instruction as From, instructions: [] });
    else result.at(-1)?.instructions.push(instruction);
  }
  return result;
}
const all = stages();
const final = all.at(-1)!;
const inFinal = (keyword: string) => final.instructions.filter((i) => i.getKeyword() === keyword);
// getFromFlag() misses --from when --chown follows it, so read the flags list.
const fromFlag = (copy: Copy) =>
  copy
    .getFlags()
    .find((f) => f.getName() === 'from')
    ?.getValue();
const one = (keyword: string) => {
  const found = inFinal(keyword);
  expect(found, `exactly one ${keyword} in the final stage`).toHaveLength(1);
  return found[0]!;
};
const unquote = (value: string) => (value.startsWith('"') ? (JSON.parse(value) as string) : value);
/** The exec-form (JSON array) arguments of an instruction; fails if it is in shell form. */
const execForm = (instruction: JSONInstruction) => {
  expect(instruction.getOpeningBracket(), `${instruction.getKeyword()} uses the exec form (a JSON array, no shell)`).not.toBeNull();
  return instruction.getJSONStrings().map((s) => s.getJSONValue());
};

describe('deploy/Dockerfile', () => {
  it('parses and lints without a single diagnostic', () => {
    expect(validate(text)).toEqual([]);
    // The linter is not a rubber stamp: a shell-less HEALTHCHECK with nothing to run is reported.
    expect(validate('FROM scratch\nHEALTHCHECK CMD\n').length).toBeGreaterThan(0);
  });

  it('is a multi-stage build whose final stage is distroless Node.js 24 LTS (Debian 13) running as nonroot', () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
    const build = all[0]!.from;
    expect(build.getBuildStage()).toBe('build');
    expect(build.getImageName()).toBe('node');
    // Node 20 reached end of life on 2026-04-30: the image runs a maintained LTS line.
    expect(`${final.from.getRegistry()}/${final.from.getImageName()}`).toBe('gcr.io/distroless/nodejs24-debian13');
    expect(final.from.getImageTag()).toBe('nonroot');
    // The build stage compiles with the Node major the runtime runs, on the same Debian release (its glibc).
    expect(text).toMatch(/^ARG NODE_VERSION=24$/m);
    expect(build.getImageTag()).toBe('${NODE_VERSION}-trixie-slim');
    const labels = new Map((inFinal('LABEL') as Label[]).flatMap((l) => l.getProperties().map((p) => [p.getName(), unquote(p.getValue() ?? '')] as const)));
    expect(labels.get('org.opencontainers.image.base.name')).toBe('gcr.io/distroless/nodejs24-debian13:nonroot');
  });

  it('installs from the lockfile and ships production dependencies only', () => {
    const run = all[0]!.instructions.filter((i) => i.getKeyword() === 'RUN').map((i) => i.getArgumentsContent() ?? '');
    expect(run.join('\n')).toMatch(/npm ci --ignore-scripts/);
    expect(run.join('\n')).toContain('sh deploy/stage-app.sh /src /app');
    const stage = readFileSync(`${repo}deploy/stage-app.sh`, 'utf8');
    expect(stage).toMatch(/^npm ci --omit=dev --omit=optional --ignore-scripts/m);
    // The final stage takes only the staged app and the empty data directory from the build stage.
    const copies = (inFinal('COPY') as Copy[]).map((c) => ({ from: fromFlag(c), args: c.getArguments().map((a) => a.getValue()) }));
    expect(copies).toEqual([
      { from: 'build', args: ['/app', '/app'] },
      { from: 'build', args: ['/data', '/var/lib/cnmcp'] },
    ]);
  });

  it('runs as the fixed non-root UID:GID 65532:65532 with the contract entrypoint, in exec form', () => {
    expect(one('USER').getArgumentsContent()).toBe('65532:65532');
    expect(one('WORKDIR').getArgumentsContent()).toBe('/app');
    expect(execForm(one('ENTRYPOINT') as JSONInstruction)).toEqual(['/nodejs/bin/node', '/app/core/dist/cli/main.js']);
    expect(execForm(one('CMD') as JSONInstruction)).toEqual(['serve']);
    const env = one('ENV').getArgumentsContent() ?? '';
    expect(env).toMatch(/NODE_ENV=production/);
    expect(env).toMatch(/CNMCP_CONFIG=\/etc\/cnmcp\/cnmcp\.yaml/);
    expect(env).toMatch(/CNMCP_HEALTH_URL=http:\/\/127\.0\.0\.1:8080\/healthz/);
    // The start-up cache on the writable /tmp: the home directory of a read-only root cannot hold it.
    expect(env).toMatch(/CNMCP_CACHE_DIR=\/tmp\/cnmcp-cache/);
    // The runtime settings docs/operations/scaling.md#capacity documents (and the bench runs cnmcp with).
    expect(env).toMatch(/MALLOC_ARENA_MAX=2/);
    expect(env).toMatch(/NODE_OPTIONS="--max-old-space-size=256 --max-semi-space-size=4"/);
    expect(
      one('EXPOSE')
        .getArguments()
        .map((a) => a.getValue()),
    ).toContain('8080');
  });

  it('needs no shell at run time: no RUN or SHELL in the final stage, a HEALTHCHECK in exec form calling cnmcp health', () => {
    expect(inFinal('RUN')).toEqual([]);
    expect(inFinal('SHELL')).toEqual([]);
    const healthcheck = one('HEALTHCHECK') as Healthcheck;
    expect(healthcheck.getSubcommand()?.getValue()).toBe('CMD');
    // Exec form: what follows CMD is a JSON array (JSON.parse throws on the shell form).
    const command = (healthcheck.getArgumentsContent() ?? '').replace(/^[\s\S]*?\bCMD\s+/, '');
    expect(JSON.parse(command)).toEqual(['/nodejs/bin/node', '/app/core/dist/cli/main.js', 'health']);
  });

  it('declares only /tmp and /var/lib/cnmcp as volumes, and creates the data directory owned by 65532', () => {
    expect(execForm(one('VOLUME') as JSONInstruction)).toEqual(['/tmp', '/var/lib/cnmcp']);
    const data = (inFinal('COPY') as Copy[]).find((c) => c.getArguments().at(-1)?.getValue() === '/var/lib/cnmcp')!;
    expect(
      data
        .getFlags()
        .find((f) => f.getName() === 'chown')
        ?.getValue(),
    ).toBe('65532:65532');
  });

  it('carries the OCI labels, with the version and licence of package.json', () => {
    const labels = new Map((inFinal('LABEL') as Label[]).flatMap((l) => l.getProperties().map((p) => [p.getName(), unquote(p.getValue() ?? '')] as const)));
    for (const name of ['title', 'description', 'version', 'revision', 'created', 'source', 'licenses'])
      expect(labels.get(`org.opencontainers.image.${name}`), name).toBeTruthy();
    expect(labels.get('org.opencontainers.image.licenses')).toBe(rootPackage.license);
    expect(labels.get('org.opencontainers.image.version')).toBe('${VERSION}');
    expect(text).toContain(`ARG VERSION=${rootPackage.version}`);
  });

  it('copies only paths that exist, and the build context keeps what the build needs while leaving out the rest', () => {
    for (const copy of dockerfile.getInstructions().filter((i) => i.getKeyword() === 'COPY') as Copy[]) {
      if (fromFlag(copy)) continue;
      for (const source of copy.getArguments().slice(0, -1)) expect(existsSync(`${repo}${source.getValue()}`), source.getValue()).toBe(true);
    }
    const ignored = readFileSync(`${repo}.dockerignore`, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const excluded of ['**/node_modules', '**/dist', '.git', 'test']) expect(ignored).toContain(excluded);
    // The patterns used are `**/NAME` (any path segment) and `NAME` (from the root); `*` stands inside one segment.
    const segment = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
    const isIgnored = (path: string) =>
      ignored.some((pattern) => {
        const parts = path.split('/');
        if (pattern.startsWith('**/')) return parts.some((p) => segment(pattern.slice(3)).test(p));
        const fixed = pattern.split('/');
        return fixed.every((f, i) => parts[i] !== undefined && segment(f).test(parts[i]!));
      });
    for (const needed of [
      'package.json',
      'package-lock.json',
      'turbo.json',
      'tsconfig.base.json',
      'deploy/stage-app.sh',
      'core/src/cli/main.ts',
      'core/package.json',
      'plugins/audit/src/index.ts',
    ])
      expect(isIgnored(needed), needed).toBe(false);
    for (const left of ['node_modules/vitest/package.json', 'core/dist/index.js', 'test/cli/cli.test.ts', '.git/HEAD', 'plugins/tls/node_modules/x'])
      expect(isIgnored(left), left).toBe(true);
  });

  it('ships a documented example config (deploy/cnmcp.example.yaml) that validates and writes only to the data volume', async () => {
    const example = `${repo}deploy/cnmcp.example.yaml`;
    const { code, stdout, stderr } = await runCli(['config', 'validate', '-c', example], {
      env: { CNMCP_API_KEY: 'Example-Key-For-Docs-0042!', CNMCP_AUDIT_CHAIN_KEY: 'Example-Chain-Key-For-Docs-0123456789' },
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('is valid');
    const text = readFileSync(example, 'utf8');
    expect(text).toContain('listen: 0.0.0.0:8080');
    expect(text).toContain('path: /var/lib/cnmcp/audit.jsonl');
  });
});
