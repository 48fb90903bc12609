// The interop matrix as a black box: every case of `tls-interop --json` completes.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = new URL('../bin/tls-interop.mjs', import.meta.url).pathname;

describe('tls-interop', () => {
  it('completes every case: our client and server against openssl and node:tls, TLS 1.3 and 1.2', async () => {
    const { stdout } = await run(process.execPath, [bin, '--json'], { timeout: 60_000 });
    const rows = JSON.parse(stdout) as Array<{
      client: string;
      server: string;
      version: string;
      result: string;
    }>;
    expect(rows).toHaveLength(8);
    expect(rows.filter((row) => row.result !== 'ok')).toEqual([]);
  });
});
