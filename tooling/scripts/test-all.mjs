// `pnpm test`: builds, lints, typechecks and tests every package through turbo (continuing past a
// failure so one run shows all of them), then the repository checks, then one closing line
// `tests: N passed, N failed, N skipped`. Exits non-zero when anything failed.
import { spawnSync } from 'node:child_process';

const root = new URL('../..', import.meta.url).pathname;
const run = (command, args) => spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status ?? 1;

const failures = [];
if (run('turbo', ['run', 'build', 'lint', 'typecheck', 'test', '--continue', '--output-logs=new-only']) !== 0)
  failures.push('turbo');
// The tree-wide lint covers what no package owns (tooling, root files).
if (run('biome', ['check', '.']) !== 0) failures.push('biome check .');
for (const script of ['check-layering.mjs', 'check-exports.mjs']) {
  if (run(process.execPath, [`tooling/scripts/${script}`]) !== 0) failures.push(script);
}
if (run(process.execPath, ['tooling/scripts/test-summary.mjs']) !== 0) failures.push('test-summary');
if (failures.length > 0) {
  console.error(`failed: ${failures.join(', ')}`);
  process.exit(1);
}
