// Loads every built entry of every package through its `exports` map, both as ESM (import) and
// as CJS (require), and checks that the two expose the same names and that each `types` file
// exists. This is what a user who installs the package meets, so it runs on the built output.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('../..', import.meta.url).pathname;
const problems = [];
let checked = 0;
for (const name of readdirSync(join(root, 'packages'))) {
  const dir = join(root, 'packages', name);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (manifest.exports === undefined) continue;
  const require = createRequire(join(dir, 'package.json'));
  for (const [subpath, conditions] of Object.entries(manifest.exports)) {
    if (typeof conditions === 'string') continue;
    const files = [
      conditions.import.types,
      conditions.import.default,
      conditions.require.types,
      conditions.require.default,
    ];
    for (const file of files)
      if (!existsSync(join(dir, file))) problems.push(`${manifest.name}${subpath.slice(1)}: ${file} missing`);
    if (problems.length > 0) continue;
    const esm = await import(pathToFileURL(join(dir, conditions.import.default)).href);
    const cjs = require(join(dir, conditions.require.default));
    const esmNames = Object.keys(esm)
      .filter((key) => key !== 'default')
      .sort()
      .join(',');
    const cjsNames = Object.keys(cjs)
      .filter((key) => key !== 'default' && key !== '__esModule')
      .sort()
      .join(',');
    if (esmNames !== cjsNames)
      problems.push(`${manifest.name}${subpath.slice(1)}: ESM exports [${esmNames}] but CJS [${cjsNames}]`);
    checked++;
  }
}
if (problems.length > 0) {
  console.error(`exports: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`exports: ${checked} entries load as ESM and CJS with the same names`);
