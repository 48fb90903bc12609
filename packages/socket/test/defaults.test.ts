// tls.DEFAULT_* are writable, as in Node, and every context made afterwards reads them.
import { once } from 'node:events';
import * as nativeTls from 'node:tls';
import tls from '@tls/socket';
import { cleanupAfterEach, listenOnLoopback, localhostPki } from '@tls/test-kit';
import { afterEach, describe, expect, it } from 'vitest';

const saved = {
  ciphers: tls.DEFAULT_CIPHERS,
  min: tls.DEFAULT_MIN_VERSION,
  max: tls.DEFAULT_MAX_VERSION,
  curve: tls.DEFAULT_ECDH_CURVE,
};
afterEach(() => {
  tls.DEFAULT_CIPHERS = saved.ciphers;
  tls.DEFAULT_MIN_VERSION = saved.min;
  tls.DEFAULT_MAX_VERSION = saved.max;
  tls.DEFAULT_ECDH_CURVE = saved.curve;
});

describe('writable defaults', () => {
  it('starts from Node 20 values', () => {
    expect([tls.DEFAULT_MIN_VERSION, tls.DEFAULT_MAX_VERSION, tls.DEFAULT_ECDH_CURVE]).toEqual([
      'TLSv1.2',
      'TLSv1.3',
      'auto',
    ]);
  });

  it('applies an assigned DEFAULT_MAX_VERSION, DEFAULT_ECDH_CURVE and DEFAULT_CIPHERS to new contexts', () => {
    tls.DEFAULT_MAX_VERSION = 'TLSv1.2';
    tls.DEFAULT_ECDH_CURVE = 'P-384';
    tls.DEFAULT_CIPHERS = 'ECDHE-ECDSA-AES256-GCM-SHA384';
    const context = tls.createSecureContext();
    expect(context.maxVersion).toBe(0x0303);
    expect(context.groups).toEqual([0x0018]);
    expect(context.cipherSuites).toContain(0xc02c);
    expect(context.cipherSuites).not.toContain(0xc02b);
  });
});

describe('the context tls.connect() shares when given no context options', () => {
  const pki = localhostPki();
  const closers = cleanupAfterEach();

  async function protocolOfConnect(port: number): Promise<string | null> {
    const socket = tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false });
    closers.push(() => socket.destroy());
    await once(socket, 'secureConnect');
    return socket.getProtocol();
  }

  it('follows DEFAULT_MAX_VERSION assigned after an earlier connect', async () => {
    const server = nativeTls.createServer({ key: pki.server.key, cert: pki.server.cert }, (socket) =>
      socket.on('error', () => {}),
    );
    const port = await listenOnLoopback(server, closers);
    expect(await protocolOfConnect(port)).toBe('TLSv1.3');
    tls.DEFAULT_MAX_VERSION = 'TLSv1.2';
    expect(await protocolOfConnect(port)).toBe('TLSv1.2');
    tls.DEFAULT_MAX_VERSION = saved.max;
    expect(await protocolOfConnect(port)).toBe('TLSv1.3');
  });
});
