// Shared vitest configuration: every `@tls/*` import resolves to the package's `src`, so unit
// tests run without a build (STYLE.md §5.8). Each test run also writes `test-results.json`,
// which `tooling/scripts/test-summary.mjs` adds up into one closing line for CI.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('../..', import.meta.url));

const packageDirs: Record<string, string> = {
  crypto: 'packages/crypto',
  record: 'packages/record',
  x509: 'packages/x509',
  handshake: 'packages/handshake',
  context: 'packages/context',
  socket: 'packages/socket',
  'legacy-securepair': 'packages/legacy-securepair',
  'test-kit': 'tooling/test-kit',
};

const alias = Object.entries(packageDirs).flatMap(([name, dir]) => [
  // subpath exports: `@tls/crypto/deterministic` → packages/crypto/src/deterministic.ts
  { find: new RegExp(`^@tls/${name}/(.+)$`), replacement: `${root}${dir}/src/$1.ts` },
  { find: new RegExp(`^@tls/${name}$`), replacement: `${root}${dir}/src/index.ts` },
]);

export interface TlsVitestOptions {
  /** Per-test timeout in milliseconds; tests that start real peers raise it. */
  testTimeout?: number;
}

export function tlsVitestConfig(options: TlsVitestOptions = {}) {
  return defineConfig({
    resolve: { alias },
    test: {
      include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
      testTimeout: options.testTimeout ?? 20_000,
      reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
      pool: 'forks',
      globalSetup: [fileURLToPath(new URL('./global-setup.ts', import.meta.url))],
    },
  });
}
