// The core never keeps the caller's memory (STYLE.md §5.3): decoded messages own their bytes even
// when the input is a Buffer, whose slice() is a view, not a copy.
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { createClientConnection, decodeClientHello } from '@tls/handshake';
import { describe, expect, it } from 'vitest';

describe('ownership of input bytes', () => {
  it('decodeClientHello copies a Buffer input', () => {
    const client = createClientConnection({ provider: createNodeCryptoProvider() });
    const record = client.takeOutput()!;
    const input = Buffer.from(record.subarray(5));
    const hello = decodeClientHello(input);
    const before = Buffer.from(hello.original).toString('hex');
    input.fill(0);
    expect(Buffer.from(hello.original).toString('hex')).toBe(before);
    expect(hello.original[0]).toBe(1);
  });
});
