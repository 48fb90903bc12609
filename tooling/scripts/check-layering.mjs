// Enforces the layering of DESIGN.md: a package imports only the @tls layers below it, the pure
// layers (record, x509, handshake) use no node:* module, Buffer, timers, console or process, and
// only @tls/crypto imports node:crypto. The test support package @tls/test-kit (tooling/test-kit)
// sits below every layer (it imports none) and is for tests only: a package may list it in
// devDependencies alone, and no src file may import it (test files and apps may). Exits non-zero
// and lists every violation.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const allowed = {
  crypto: [],
  record: ['crypto'],
  x509: ['crypto'],
  handshake: ['record', 'crypto'],
  context: ['handshake', 'x509', 'record', 'crypto'],
  socket: ['context', 'handshake', 'record', 'x509', 'crypto'],
  'legacy-securepair': ['socket', 'context', 'handshake', 'record', 'x509', 'crypto'],
};
const pure = new Set(['record', 'x509', 'handshake']);
const impure = [
  [/\bfrom\s+['"]node:/, 'imports a node:* module'],
  [/\brequire\(\s*['"]node:/, 'requires a node:* module'],
  [/\bBuffer\b/, 'uses Buffer'],
  [/\b(setTimeout|setInterval|setImmediate)\s*\(/, 'uses a timer'],
  [/\bconsole\./, 'writes to the console'],
  [/\bprocess\./, 'reads process state'],
  [/\bDate\.now\(/, 'reads the clock directly (use provider.now())'],
];

function sourceFiles(dir, extensions = ['.ts']) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((file) => extensions.some((extension) => file.endsWith(extension)) && !file.endsWith('.test.ts'))
    .map((file) => join(dir, file));
}

/** The file's text without comments: JSDoc examples above all may name any package; only code counts. */
function code(file) {
  return readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

const tlsImport = /(?:from|import|require\()\s*['"]@tls\/([a-z0-9-]+)(\/[^'"]*)?['"]/g;

const problems = [];
for (const [name, deps] of Object.entries(allowed)) {
  const dir = join(root, 'packages', name);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })) {
    const layer = dep.startsWith('@tls/') ? dep.slice(5) : undefined;
    if (layer !== undefined && !deps.includes(layer))
      problems.push(`packages/${name}/package.json depends on ${dep}`);
  }
  for (const file of sourceFiles(join(dir, 'src'))) {
    const text = code(file);
    const where = relative(root, file);
    for (const match of text.matchAll(tlsImport)) {
      const layer = match[1];
      if (!deps.includes(layer)) problems.push(`${where} imports @tls/${layer}, which is not below ${name}`);
      if (match[2]?.startsWith('/src')) problems.push(`${where} deep-imports @tls/${layer}${match[2]}`);
    }
    if (name !== 'crypto' && /['"]node:crypto['"]/.test(text))
      problems.push(`${where} imports node:crypto (only @tls/crypto may)`);
    if (pure.has(name)) {
      for (const [pattern, what] of impure)
        if (pattern.test(text)) problems.push(`${where} ${what}, but ${name} is a pure layer`);
    }
  }
}

// @tls/test-kit: below every layer, and reached from tests only.
const kit = join(root, 'tooling', 'test-kit');
const kitManifest = JSON.parse(readFileSync(join(kit, 'package.json'), 'utf8'));
if (kitManifest.private !== true) problems.push('tooling/test-kit/package.json is not "private": true');
for (const dep of Object.keys({ ...kitManifest.dependencies, ...kitManifest.peerDependencies }))
  if (dep.startsWith('@tls/')) problems.push(`tooling/test-kit/package.json depends on ${dep}`);
for (const file of sourceFiles(join(kit, 'src'), ['.ts', '.mjs']))
  for (const match of code(file).matchAll(tlsImport))
    problems.push(`${relative(root, file)} imports @tls/${match[1]}; the test kit imports no layer`);
for (const dir of ['packages', 'apps'].flatMap((group) =>
  readdirSync(join(root, group)).map((name) => join(root, group, name)),
)) {
  if (!existsSync(join(dir, 'package.json'))) continue;
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies'])
    if (manifest[field]?.['@tls/test-kit'] !== undefined)
      problems.push(
        `${relative(root, dir)}/package.json has @tls/test-kit in ${field} (devDependencies only)`,
      );
}

if (problems.length > 0) {
  console.error(`layering: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('layering: every package imports only the layers below it; pure layers are pure');
