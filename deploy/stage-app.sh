#!/bin/sh
# Stages what the runtime image holds under /app: the root and workspace package.json files, the lockfile, each
# workspace's built dist/, a production-only node_modules installed from the lockfile, and sbom.cdx.json (the
# CycloneDX SBOM of exactly that node_modules). No sources, tests, templates or dev dependencies. Used by deploy/Dockerfile and by test/deploy/image-runtime.test.ts, so the test
# runs exactly what the image ships. Usage: stage-app.sh SOURCE_DIR OUT_DIR (SOURCE_DIR already built).
set -eu
src=$1
out=$2
mkdir -p "$out"
cp "$src/package.json" "$src/package-lock.json" "$out/"
for pkg in "$src/core" "$src"/plugins/*; do
  [ -f "$pkg/package.json" ] || continue
  rel=${pkg#"$src"/}
  if [ ! -d "$pkg/dist" ]; then
    echo "stage-app: $rel has no dist/; build first (npm run build)" >&2
    exit 1
  fi
  mkdir -p "$out/$rel"
  cp "$pkg/package.json" "$out/$rel/"
  cp -R "$pkg/dist" "$out/$rel/dist"
done
# Lifecycle scripts are not needed (the only production one is protobufjs's version notice) and would run code at
# build. --omit=optional drops typescript (an optional peer of cosmiconfig, 23 MB, never loaded: configs are YAML/JSON)
# and pg-cloudflare (Cloudflare Workers only); revisit it if a production dependency ever needs an optional binary.
cd "$out"
npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund --loglevel=error
# The SBOM of what ships, from the installed tree (CycloneDX 1.6, JSON, schema-validated; reproducible: no timestamp or
# random serial number). The generator is a dev dependency of SOURCE_DIR and is not copied into OUT_DIR.
node "$src/node_modules/@cyclonedx/cyclonedx-npm/bin/cyclonedx-npm-cli.js" --omit dev --omit optional --spec-version 1.6 \
  --output-format JSON --output-reproducible --validate --mc-type application --output-file sbom.cdx.json
