// Key generation at handshake rate must never hang the process. Node 20 deadlocks when a key fresh
// from generateKeyPairSync is exported and the export's allocation starts a garbage collection that
// finalizes the finished generation job (both take the key's mutex; see src/node/keygen.ts). The
// loops below hung every time (3 runs of 3) with the X25519 share exporting its public key after
// generation; they run in a child process on the built package, so a hang is a bounded failure
// (turbo builds this package before its tests: see turbo.json).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const built = fileURLToPath(new URL('../dist/node.js', import.meta.url));

/** Runs `body` in a child process on the built package; killed after 60 s. */
function runLoop(body: string): Promise<{ code: number | null; signal: string | null; stdout: string }> {
  const script = `
    import { createNodeCryptoProvider } from ${JSON.stringify(built)};
    const provider = createNodeCryptoProvider();
    ${body}
    console.log('finished');
  `;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', script],
      { encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' },
      (error, stdout) => {
        const failure = error as (Error & { code?: number | string; signal?: string | null }) | null;
        resolve({
          code: failure === null ? 0 : typeof failure.code === 'number' ? failure.code : null,
          signal: failure?.signal ?? null,
          stdout,
        });
      },
    );
  });
}

describe('key generation under garbage collection', () => {
  it('the built package exists (a stale or missing build would make these loops meaningless)', () => {
    expect(existsSync(built)).toBe(true);
  });

  it('50,000 X25519 and 5,000 X448 shares, each generated and completed, finish', async () => {
    const result = await runLoop(`
      for (const [group, count] of [[0x1d, 50000], [0x1e, 5000]]) {
        const peer = provider.generateKeyShare(group);
        for (let i = 0; i < count; i++) {
          const share = provider.generateKeyShare(group);
          if (share.complete(peer.publicKey).length !== share.publicKey.length) throw new Error('length');
        }
      }
    `);
    expect(result).toEqual({ code: 0, signal: null, stdout: 'finished\n' });
  }, 90_000);

  it('2,000 generated Ed25519 and P-256 key pairs, each exported at once, finish', async () => {
    const result = await runLoop(`
      for (const spec of [{ type: 'ed25519' }, { type: 'ec', curve: 'P-256' }]) {
        for (let i = 0; i < 1000; i++) {
          const { privateKey, publicKey } = provider.generateKeyPair(spec);
          if (publicKey.spki.length === 0 || provider.exportPrivateKey(privateKey).length === 0) throw new Error('empty');
        }
      }
    `);
    expect(result).toEqual({ code: 0, signal: null, stdout: 'finished\n' });
  }, 90_000);
});
