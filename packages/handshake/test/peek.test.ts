// peekServerName reads the SNI of a ClientHello split anywhere, and says when it cannot.
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { createClientConnection, peekServerName } from '@tls/handshake';
import { describe, expect, it } from 'vitest';

const provider = createNodeCryptoProvider();

describe('peekServerName', () => {
  it('finds the host name once the whole ClientHello is there, at any split', () => {
    const hello = createClientConnection({ provider, serverName: 'sni.example' }).takeOutput()!;
    for (const cut of [1, 5, 6, 40, hello.length - 1]) {
      expect(peekServerName(hello.subarray(0, cut))).toEqual({ status: 'incomplete' });
    }
    expect(peekServerName(hello)).toMatchObject({
      status: 'complete',
      serverName: 'sni.example',
      requestsOcsp: false,
    });
    const ocsp = createClientConnection({
      provider,
      serverName: 'sni.example',
      requestOcsp: true,
    }).takeOutput()!;
    expect(peekServerName(ocsp)).toMatchObject({ status: 'complete', requestsOcsp: true });
  });

  it('reports a hello without SNI and refuses what is not a ClientHello', () => {
    const hello = createClientConnection({ provider }).takeOutput()!;
    expect(peekServerName(hello)).toMatchObject({ status: 'complete', serverName: undefined });
    // TLS 1.3 middlebox compatibility: a 32-byte random legacy_session_id.
    expect(
      peekServerName(hello).status === 'complete' &&
        (peekServerName(hello) as { sessionId: Uint8Array }).sessionId.length,
    ).toBe(32);
    expect(peekServerName(new TextEncoder().encode('GET / HTTP/1.1\r\n'))).toEqual({ status: 'invalid' });
    expect(peekServerName(Uint8Array.of(21, 3, 3, 0, 2, 2, 40))).toEqual({ status: 'invalid' });
  });
});
