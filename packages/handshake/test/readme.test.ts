// Runs the README example and checks what it prints, so the README cannot drift from the API.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { credential } from './helpers/credentials';

describe('README example', () => {
  it('prints the negotiated suite and the length of the peer chain', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const code = /```ts\n([\s\S]*?)```/.exec(readme)![1]!;
    const dir = mkdtempSync(join(new URL('.', import.meta.url).pathname, '.readme-'));
    const file = join(dir, 'example.ts');
    // The example leaves the key and certificate to the reader: give it a test credential.
    const { keyPem, certified } = credential('ecdsa-p256');
    Object.assign(globalThis, { keyPem, certDer: certified.chain[0] });
    writeFileSync(file, code);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await import(/* @vite-ignore */ pathToFileURL(file).href);
      expect(log.mock.calls).toEqual([['TLS_AES_256_GCM_SHA384', 1]]);
    } finally {
      log.mockRestore();
      Reflect.deleteProperty(globalThis, 'keyPem');
      Reflect.deleteProperty(globalThis, 'certDer');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
