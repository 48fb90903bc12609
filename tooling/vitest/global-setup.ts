// One temporary directory per test run: every directory tests make with os.tmpdir() (openssl
// working directories, peers' files) goes under it, and it is removed when the run ends. Removing
// them from the test processes' 'exit' handlers was not enough: vitest ends its worker processes
// without those handlers running, and thousands of directories piled up in /tmp.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'tls-test-run-'));
  // Read by os.tmpdir() in the worker processes, which vitest starts after this.
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
