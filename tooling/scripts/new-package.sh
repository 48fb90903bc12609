#!/usr/bin/env bash
# Writes the build/test scaffolding of one workspace package (package.json is written by hand).
# usage: tooling/scripts/new-package.sh packages/record neutral
set -euo pipefail
dir=$1; platform=${2:-neutral}
mkdir -p "$dir/src" "$dir/test"
cat > "$dir/tsconfig.json" <<JSON
{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": { "types": ["node"], "noEmit": true },
  "include": ["src", "test", "*.ts"]
}
JSON
cat > "$dir/tsconfig.build.json" <<JSON
{
  "extends": "./tsconfig.json",
  "compilerOptions": { "paths": {}, "types": [$( [ "$platform" = node ] && echo '"node"' )], "noEmit": false },
  "include": ["src"],
  "exclude": ["src/**/*.test.ts"]
}
JSON
cat > "$dir/vitest.config.ts" <<TS
import { tlsVitestConfig } from '../../tooling/vitest/config';

export default tlsVitestConfig();
TS
