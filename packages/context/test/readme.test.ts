// Runs the README example and checks what it prints, so the README cannot drift from the API.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

describe('README example', () => {
  it('prints the negotiated suite and the verification code under the default roots', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const code = /```ts\n([\s\S]*?)```/.exec(readme)![1]!;
    const printed = /It prints `([^`]+)` and `([^`]+)`/.exec(readme)!.slice(1);
    const dir = mkdtempSync(join(new URL('.', import.meta.url).pathname, '.readme-'));
    const file = join(dir, 'example.ts');
    writeFileSync(file, code);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await import(/* @vite-ignore */ pathToFileURL(file).href);
      expect(log.mock.calls).toEqual([['TLS_CHACHA20_POLY1305_SHA256'], ['UNABLE_TO_VERIFY_LEAF_SIGNATURE']]);
      expect(log.mock.calls.map(([line]) => line)).toEqual(printed);
    } finally {
      log.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
