// Adds up the `test-results.json` files that vitest wrote in every workspace package and prints
// one closing line, `tests: N passed, N failed, N skipped`. Exits non-zero when a test failed,
// when a package with tests wrote no results, or when no test ran at all.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const group of ['packages', 'apps', 'tooling']) {
  const groupDir = join(root, group);
  if (!existsSync(groupDir)) continue;
  for (const name of readdirSync(groupDir)) {
    const dir = join(groupDir, name);
    const hasTests =
      existsSync(join(dir, 'test')) &&
      readdirSync(join(dir, 'test'), { recursive: true }).some((f) => String(f).endsWith('.test.ts'));
    const resultFile = join(dir, 'test-results.json');
    if (!existsSync(resultFile)) {
      if (hasTests) missing.push(`${group}/${name}`);
      continue;
    }
    const report = JSON.parse(readFileSync(resultFile, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
    console.log(`${group}/${name}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
  }
}
if (missing.length > 0) console.log(`no test results from: ${missing.join(', ')}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || missing.length > 0 || passed === 0 ? 1 : 0);
