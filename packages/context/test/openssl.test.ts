// Context options seen by a real peer: `openssl s_client` against our server and our client
// against `openssl s_server`, on 127.0.0.1, each engine configured by a context: ciphers, groups,
// versions, credentials of every form (PEM, encrypted, pfx), several key kinds, dhparam, ca, crl,
// allowPartialTrustChain and sigalgs, mostly side by side with node:tls peers given the same options.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import * as tls from 'node:tls';
import { decodePem } from '@tls/x509';
import { type ConnectionEvent, createClientConnection, createServerConnection } from '@tls/handshake';
import { SignatureScheme } from '@tls/crypto';
import { describe, expect, it } from 'vitest';
import { type SecureContextOptions, createSecureContext } from '../src/index.js';
import { credential, keyForms, pfxFiles, pki, pkiFiles } from './helpers/fixtures';
import {
  againstServer,
  connectEngine,
  errorCode,
  opensslServer,
  runOpenssl,
  sClientAgainstOurs,
  withServer,
} from './helpers/openssl';

/** s_server arguments serving an RSA certificate and, as its second, an ECDSA one. */
function rsaAndEcdsaServer(
  rsa: { certFile: string; keyFile: string },
  ecdsa: { certFile: string; keyFile: string },
): string[] {
  return ['-cert', rsa.certFile, '-key', rsa.keyFile, '-dcert', ecdsa.certFile, '-dkey', ecdsa.keyFile];
}

const { root, intermediate, leaf } = pki();
const { root: rootFile, leafKey: leafKeyFile, leaf: leafFile, intermediate: intermediateFile } = pkiFiles();

const serverOptions = { key: leaf.keyPem, cert: leaf.certPem + intermediate.certPem };

function sClient(options: SecureContextOptions, args: string[]) {
  const context = createSecureContext({ ...serverOptions, ...options });
  return sClientAgainstOurs(
    () => context.engineConfig('server'),
    ['-brief', '-CAfile', rootFile, '-verify_return_error', ...args],
  );
}

describe('openssl s_client against a server configured by a context', () => {
  it('negotiates only what `ciphers` allows', async () => {
    const options = { ciphers: 'TLS_CHACHA20_POLY1305_SHA256' };
    const allowed = await sClient(options, [
      '-ciphersuites',
      'TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256',
    ]);
    expect(allowed.output).toMatch(/Ciphersuite: TLS_CHACHA20_POLY1305_SHA256/);
    expect(allowed.output).toMatch(/Verification: OK/);
    const refused = await sClient(options, ['-ciphersuites', 'TLS_AES_128_GCM_SHA256']);
    expect(refused.output).not.toMatch(/CONNECTION ESTABLISHED/);
    expect(errorCode(refused.events)).toBeDefined();
  });

  it('prefers its own order with honorCipherOrder', async () => {
    const offer = ['-ciphersuites', 'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384'];
    const ciphers = 'TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256';
    expect((await sClient({ ciphers, honorCipherOrder: true }, offer)).output).toMatch(
      /Ciphersuite: TLS_AES_256_GCM_SHA384/,
    );
    expect((await sClient({ ciphers, honorCipherOrder: false }, offer)).output).toMatch(
      /Ciphersuite: TLS_AES_128_GCM_SHA256/,
    );
  });

  it('uses only the groups of ecdhCurve', async () => {
    const good = await sClient({ ecdhCurve: 'P-384' }, ['-groups', 'X25519:P-384']);
    expect(good.output).toMatch(/Server Temp Key: ECDH, secp384r1/);
    const refused = await sClient({ ecdhCurve: 'P-384' }, ['-groups', 'X25519']);
    expect(refused.output).not.toMatch(/CONNECTION ESTABLISHED/);
  });

  it('serves a handshake from a pfx made by openssl pkcs12', async () => {
    const context = createSecureContext({ pfx: pfxFiles().withChain, passphrase: 'pw' });
    const { output } = await sClientAgainstOurs(
      () => context.engineConfig('server'),
      ['-brief', '-CAfile', rootFile, '-verify_return_error'],
    );
    expect(output).toMatch(/CONNECTION ESTABLISHED/);
    expect(output).toMatch(/Verification: OK/);
  });

  it('serves a handshake from a pfx made by openssl pkcs12 -legacy (RC2-40), which node:tls 20 refuses', async () => {
    const { legacy } = pfxFiles();
    expect(() => tls.createSecureContext({ pfx: legacy, passphrase: 'pw' })).toThrow(
      expect.objectContaining({
        code: 'ERR_CRYPTO_UNSUPPORTED_OPERATION',
        message: 'Unsupported PKCS12 PFX data',
      }),
    );
    const rsa = credential('rsa');
    const context = createSecureContext({ pfx: legacy, passphrase: 'pw' });
    const { output } = await sClientAgainstOurs(
      () => context.engineConfig('server'),
      ['-brief', '-CAfile', rsa.certFile, '-verify_return_error'],
    );
    expect(output).toMatch(/Verification: OK/);
    expect(output).toMatch(/Peer certificate: CN ?= ?localhost, O ?= ?rsa/);
  });

  it('verifies the client certificate openssl sends against `ca`', async () => {
    const context = createSecureContext({ ...serverOptions, ca: root.certPem });
    const { events } = await sClientAgainstOurs(
      () => context.engineConfig('server', { requestClientCertificate: true }),
      [
        '-brief',
        '-CAfile',
        rootFile,
        '-cert',
        leafFile,
        '-cert_chain',
        intermediateFile,
        '-key',
        leafKeyFile,
      ],
    );
    const done = events.find((e) => e.type === 'handshake-complete');
    expect(done?.type === 'handshake-complete' && done.info.peerCertificates.length).toBe(2);
    expect(errorCode(events)).toBeUndefined();
  });
});

describe('dhparam seen by openssl s_client', () => {
  it('is the DHE group of the ServerKeyExchange, prime and generator', async () => {
    const rsa = credential('rsa');
    const dhparam = keyForms().dh1024;
    const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();
    const { prime, generator } = createSecureContext({ dhparam }).dhParameters!;
    const { output, events } = await sClient({ dhparam, key: rsa.keyPem, cert: rsa.certPem }, [
      '-tls1_2',
      '-cipher',
      'DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=1',
      '-trace',
      '-CAfile',
      rsa.certFile,
    ]);
    expect(/dh_p \(len=128\): ([0-9A-F]+)/.exec(output)?.[1]).toBe(hex(prime));
    expect(/dh_g \(len=\d+\): ([0-9A-F]+)/.exec(output)?.[1]).toBe(hex(generator));
    const done = events.find((e) => e.type === 'handshake-complete');
    expect(done?.type === 'handshake-complete' && done.info.dhPrimeBits).toBe(1024);
  });
});

describe.each(['-tls1_3', '-tls1_2'])(
  'crl and allowPartialTrustChain in handshakes with openssl (%s)',
  (versionFlag) => {
    const files = pkiFiles();
    const { crlPem, rootCrlPem } = pki();
    const crls = [crlPem, rootCrlPem];
    /** Our server asks s_client for a certificate: `who` (leaf or revoked) with the intermediate. */
    async function clientPresents(who: 'leaf' | 'revoked', trust: SecureContextOptions) {
      const context = createSecureContext({ ...serverOptions, ...trust });
      return sClientAgainstOurs(
        () => context.engineConfig('server', { requestClientCertificate: true }),
        [
          versionFlag,
          '-CAfile',
          rootFile,
          '-cert',
          who === 'leaf' ? files.leaf : files.revoked,
          '-key',
          who === 'leaf' ? files.leafKey : files.revokedKey,
          '-cert_chain',
          files.intermediate,
          // s_client reads after its handshake so that it sees a TLS 1.3 server's alert.
          '-ign_eof',
        ],
      );
    }
    /** Our client against s_server serving `who` with the intermediate. */
    function serverPresents(who: 'leaf' | 'revoked', trust: SecureContextOptions) {
      const context = createSecureContext(trust);
      return againstServer(
        [
          '-cert',
          who === 'leaf' ? files.leaf : files.revoked,
          '-key',
          who === 'leaf' ? files.leafKey : files.revokedKey,
          '-cert_chain',
          files.intermediate,
          versionFlag,
        ],
        () =>
          createClientConnection(
            context.engineConfig('client', {
              serverName: who === 'leaf' ? 'localhost' : 'revoked.localhost',
            }),
          ),
      );
    }
    const completedWith = (events: readonly ConnectionEvent[]) => {
      const done = events.find((e) => e.type === 'handshake-complete');
      return done?.type === 'handshake-complete' ? done.info.peerCertificates.length : undefined;
    };

    it('crl: a server refuses a revoked client certificate with certificate_revoked, takes a good one', async () => {
      const revoked = await clientPresents('revoked', { ca: root.certPem, crl: crls });
      expect(errorCode(revoked.events)).toBe('CERT_REVOKED');
      expect(revoked.output).toMatch(/alert certificate revoked|SSL alert number 44/);
      const good = await clientPresents('leaf', { ca: root.certPem, crl: crls });
      expect(errorCode(good.events)).toBeUndefined();
      expect(completedWith(good.events)).toBe(2);
    });

    it('crl: a client refuses a revoked server certificate with certificate_revoked, takes a good one', async () => {
      const revoked = await serverPresents('revoked', { ca: root.certPem, crl: crls });
      expect(errorCode(revoked.events)).toBe('CERT_REVOKED');
      expect(revoked.output).toMatch(/alert certificate revoked|SSL alert number 44/);
      const good = await serverPresents('leaf', { ca: root.certPem, crl: crls });
      expect(errorCode(good.events)).toBeUndefined();
      expect(completedWith(good.events)).toBe(2);
      // Without the CRLs the revoked certificate passes: the effect is the crl option's.
      expect(errorCode((await serverPresents('revoked', { ca: root.certPem })).events)).toBeUndefined();
    });

    it('allowPartialTrustChain: the intermediate alone anchors the chain only when allowed', async () => {
      const strict = await serverPresents('leaf', { ca: intermediate.certPem });
      expect(errorCode(strict.events)).toBe('UNABLE_TO_GET_ISSUER_CERT');
      expect(strict.output).toMatch(/alert unknown ca|SSL alert number 48/);
      const partial = await serverPresents('leaf', {
        ca: intermediate.certPem,
        allowPartialTrustChain: true,
      });
      expect(errorCode(partial.events)).toBeUndefined();
      expect(completedWith(partial.events)).toBe(2);
      const server = await clientPresents('leaf', { ca: intermediate.certPem, allowPartialTrustChain: true });
      expect(errorCode(server.events)).toBeUndefined();
      const serverStrict = await clientPresents('leaf', { ca: intermediate.certPem });
      expect(errorCode(serverStrict.events)).toBe('UNABLE_TO_GET_ISSUER_CERT');
    });
  },
);

describe('sigalgs with openssl: what the peer may sign with', () => {
  const files = pkiFiles();
  const rsa = credential('rsa');
  const ecdsa = credential('ecdsa');
  const schemeOf = (events: readonly ConnectionEvent[]) => {
    const done = events.find((e) => e.type === 'handshake-complete');
    return done?.type === 'handshake-complete' ? done.info.peerSignatureScheme : undefined;
  };

  it.each(['-tls1_3', '-tls1_2'])(
    'a client with sigalgs makes s_server (RSA and ECDSA) sign with one of them (%s)',
    async (versionFlag) => {
      const serverArgs = [...rsaAndEcdsaServer(rsa, ecdsa), versionFlag];
      const run = async (sigalgs: string) => {
        const context = createSecureContext({ ca: [rsa.certPem, ecdsa.certPem], sigalgs });
        return schemeOf(
          (
            await againstServer(serverArgs, () =>
              createClientConnection(context.engineConfig('client', { serverName: 'localhost' })),
            )
          ).events,
        );
      };
      expect(await run('ECDSA+SHA256')).toBe(SignatureScheme.EcdsaSecp256r1Sha256);
      expect(await run('RSA-PSS+SHA384')).toBe(SignatureScheme.RsaPssRsaeSha384);
      expect(await run('rsa_pss_rsae_sha512:ECDSA+SHA256')).toBe(SignatureScheme.RsaPssRsaeSha512);
    },
  );

  it.each(['-tls1_3', '-tls1_2'])(
    'a server with sigalgs limits what s_client signs its client certificate with (%s)',
    async (versionFlag) => {
      // The server signs with RSA-PSS; the client's key is P-256.
      const run = async (sigalgs: string) => {
        const context = createSecureContext({
          key: rsa.keyPem,
          cert: rsa.certPem,
          ca: root.certPem,
          sigalgs,
        });
        return (
          await sClientAgainstOurs(
            () => context.engineConfig('server', { requestClientCertificate: true }),
            [versionFlag, '-cert', files.leaf, '-key', files.leafKey, '-cert_chain', files.intermediate],
          )
        ).events;
      };
      const done = (events: readonly ConnectionEvent[]) => {
        const event = events.find((e) => e.type === 'handshake-complete');
        return event?.type === 'handshake-complete'
          ? { scheme: event.info.peerSignatureScheme, certificates: event.info.peerCertificates.length }
          : errorCode(events);
      };
      expect(done(await run('RSA-PSS+SHA256:ECDSA+SHA256'))).toEqual({
        scheme: SignatureScheme.EcdsaSecp256r1Sha256,
        certificates: 2,
      });
      // ecdsa_secp384r1_sha384 needs a P-384 key in TLS 1.3; TLS 1.2 only names the hash.
      expect(done(await run('RSA-PSS+SHA256:ECDSA+SHA384'))).toEqual(
        versionFlag === '-tls1_2'
          ? { scheme: SignatureScheme.EcdsaSecp384r1Sha384, certificates: 2 }
          : 'UNABLE_TO_GET_ISSUER_CERT',
      );
      // Nothing the client's key can sign with: openssl sends no certificate, which the
      // context's verifier refuses as Node reports a missing one.
      expect(done(await run('RSA-PSS+SHA256'))).toBe('UNABLE_TO_GET_ISSUER_CERT');
    },
  );
});

describe('a client configured by a context against openssl s_server', () => {
  const serverArgs = ['-cert', leafFile, '-cert_chain', intermediateFile, '-key', leafKeyFile, '-tls1_3'];

  it('trusts the server when `ca` holds its root', async () => {
    const context = createSecureContext({ ca: root.certPem });
    const { events } = await againstServer(serverArgs, () =>
      createClientConnection(context.engineConfig('client', { serverName: 'localhost' })),
    );
    expect(errorCode(events)).toBeUndefined();
    expect(events.some((e) => e.type === 'handshake-complete')).toBe(true);
  });

  it('rejects it under the default roots with UNABLE_TO_GET_ISSUER_CERT_LOCALLY and an unknown_ca alert', async () => {
    const context = createSecureContext();
    const { events, output } = await againstServer(serverArgs, () =>
      createClientConnection(context.engineConfig('client', { serverName: 'localhost' })),
    );
    expect(errorCode(events)).toBe('UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
    expect(output).toMatch(/unknown ca/);
  });
});

describe('the chain a server sends', () => {
  /** The certificates `openssl s_client -showcerts` receives from a native node:tls server. */
  async function nativeChain(options: tls.TlsOptions): Promise<Uint8Array[]> {
    const server = tls.createServer(options, (socket) => socket.end());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const port = (server.address() as AddressInfo).port;
      const output = await runOpenssl(['s_client', '-connect', `127.0.0.1:${port}`, '-showcerts']);
      return decodePem(output, 'CERTIFICATE').map((block) => block.der);
    } finally {
      server.close();
    }
  }

  const cases: Record<string, () => tls.TlsOptions> = {
    'a lone leaf with intermediate and root in ca': () => ({
      key: leaf.keyPem,
      cert: leaf.certPem,
      ca: [intermediate.certPem, root.certPem],
    }),
    'a lone leaf with only the intermediate in ca': () => ({
      key: leaf.keyPem,
      cert: leaf.certPem,
      ca: [intermediate.certPem],
    }),
    'leaf and intermediate given, root in ca': () => ({
      key: leaf.keyPem,
      cert: leaf.certPem + intermediate.certPem,
      ca: [root.certPem],
    }),
    'a lone leaf and no ca': () => ({ key: leaf.keyPem, cert: leaf.certPem }),
    'a pfx holding leaf and intermediate': () => ({ pfx: pfxFiles().withChain, passphrase: 'pw' }),
    'a pfx holding leaf, intermediate and root': () => ({
      pfx: [{ buf: pfxFiles().withRoot, passphrase: 'pw' }],
    }),
  };
  for (const [what, make] of Object.entries(cases)) {
    it(`is what node:tls sends for ${what}`, async () => {
      const options = make();
      const ours = createSecureContext(options as SecureContextOptions).certificates[0]!.chain;
      expect(ours.map((der) => Buffer.from(der).toString('base64'))).toEqual(
        (await nativeChain(options)).map((der) => Buffer.from(der).toString('base64')),
      );
    });
  }
});

describe('what openssl s_client negotiates: our server against a node:tls server with the same options', () => {
  const rsa = credential('rsa');
  const ecdsa = credential('ecdsa');
  const identity = { key: [rsa.keyPem, ecdsa.keyPem], cert: [rsa.certPem, ecdsa.certPem] };
  const ed25519 = credential('ed25519');
  const three = {
    key: [rsa.keyPem, ecdsa.keyPem, ed25519.keyPem],
    cert: [rsa.certPem, ecdsa.certPem, ed25519.certPem],
  };
  const forms = keyForms();
  const pfx = pfxFiles();

  /** Protocol and suite from `s_client -brief`, or 'failed'. */
  function outcome(output: string): string {
    const protocol = /Protocol version: (\S+)/.exec(output)?.[1];
    const suite = /Ciphersuite: (\S+)/.exec(output)?.[1];
    const group = /Server Temp Key: (?:(?:ECDH|DH), )?([^,\s]+)/.exec(output)?.[1] ?? '-';
    const digest = /Hash used: (\S+)/.exec(output)?.[1] ?? '-';
    const signature = /Signature type: (\S+)/.exec(output)?.[1] ?? '-';
    return protocol === undefined ? 'failed' : `${protocol} ${suite} ${group} ${signature}+${digest}`;
  }

  async function native(options: tls.TlsOptions, args: string[]): Promise<string> {
    const server = tls.createServer(options, (socket) => socket.end());
    server.on('tlsClientError', () => {});
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const port = (server.address() as AddressInfo).port;
      return outcome(await runOpenssl(['s_client', '-connect', `127.0.0.1:${port}`, '-brief', ...args]));
    } finally {
      server.close();
    }
  }

  async function ours(options: tls.TlsOptions, args: string[]): Promise<string> {
    // tls.createServer turns honorCipherOrder on unless told otherwise.
    const context = createSecureContext({ honorCipherOrder: true, ...options } as SecureContextOptions);
    const { output } = await sClientAgainstOurs(() => context.engineConfig('server'), ['-brief', ...args]);
    return outcome(output);
  }

  const cases: [string, tls.TlsOptions, string[]][] = [
    ['defaults, TLS 1.3', {}, []],
    ['defaults, a TLS 1.2 client', {}, ['-tls1_2']],
    ['defaults, a TLS 1.2 client offering only static RSA', {}, ['-tls1_2', '-cipher', 'AES128-GCM-SHA256']],
    ['defaults, a TLS 1.2 client offering only DHE', {}, ['-tls1_2', '-cipher', 'DHE-RSA-AES128-GCM-SHA256']],
    [
      'dhparam auto, a TLS 1.2 client offering only DHE',
      { dhparam: 'auto' },
      ['-tls1_2', '-cipher', 'DHE-RSA-AES128-GCM-SHA256'],
    ],
    ['ECDHE+AESGCM:!ECDSA', { ciphers: 'ECDHE+AESGCM:!ECDSA' }, ['-tls1_2']],
    [
      'ECDHE+AESGCM:!ECDSA against an ECDSA-only client',
      { ciphers: 'ECDHE+AESGCM:!ECDSA' },
      ['-tls1_2', '-cipher', 'aECDSA'],
    ],
    ['kRSA:@STRENGTH', { ciphers: 'kRSA:@STRENGTH' }, ['-tls1_2']],
    ['SHA1 suites only', { ciphers: 'ECDHE+SHA1' }, ['-tls1_2']],
    [
      'CHACHA20 first, client AES first',
      { ciphers: 'CHACHA20:AESGCM' },
      ['-tls1_2', '-cipher', 'AESGCM:CHACHA20'],
    ],
    [
      'client order without honorCipherOrder',
      { ciphers: 'CHACHA20:AESGCM', honorCipherOrder: false },
      ['-tls1_2', '-cipher', 'AESGCM:CHACHA20'],
    ],
    [
      'SSL_OP_PRIORITIZE_CHACHA, a TLS 1.3 client listing ChaCha20 first',
      { secureOptions: 0x200000, honorCipherOrder: true },
      ['-ciphersuites', 'TLS_CHACHA20_POLY1305_SHA256:TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256'],
    ],
    [
      'no SSL_OP_PRIORITIZE_CHACHA, a TLS 1.3 client listing ChaCha20 first',
      { honorCipherOrder: true },
      ['-ciphersuites', 'TLS_CHACHA20_POLY1305_SHA256:TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256'],
    ],
    [
      'SSL_OP_PRIORITIZE_CHACHA, a TLS 1.3 client listing AES first',
      { secureOptions: 0x200000, honorCipherOrder: true },
      ['-ciphersuites', 'TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256'],
    ],
    [
      'SSL_OP_PRIORITIZE_CHACHA, a TLS 1.2 client listing ChaCha20 first',
      { secureOptions: 0x200000, honorCipherOrder: true },
      ['-tls1_2', '-cipher', 'CHACHA20:AESGCM'],
    ],
    [
      'no SSL_OP_PRIORITIZE_CHACHA, a TLS 1.2 client listing ChaCha20 first',
      { honorCipherOrder: true },
      ['-tls1_2', '-cipher', 'CHACHA20:AESGCM'],
    ],
    ['TLS 1.3 names in ciphers', { ciphers: 'TLS_CHACHA20_POLY1305_SHA256:ECDHE-RSA-AES256-GCM-SHA384' }, []],
    ['minVersion TLSv1.3, a TLS 1.2 client', { minVersion: 'TLSv1.3' }, ['-tls1_2']],
    ['maxVersion TLSv1.2', { maxVersion: 'TLSv1.2' }, []],
    ['SSL_OP_NO_TLSv1_3', { secureOptions: 0x20000000 }, []],
    ['secureProtocol TLSv1_2_method', { secureProtocol: 'TLSv1_2_method' }, []],
    ['ecdhCurve P-384, a TLS 1.2 client', { ecdhCurve: 'P-384' }, ['-tls1_2']],
    [
      'TLSv1_method at @SECLEVEL=0',
      { secureProtocol: 'TLSv1_method', ciphers: 'DEFAULT@SECLEVEL=0' },
      ['-tls1', '-cipher', 'DEFAULT@SECLEVEL=0'],
    ],
    [
      'TLS 1.1 only at @SECLEVEL=0',
      { minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' },
      ['-tls1_1', '-cipher', 'DEFAULT@SECLEVEL=0'],
    ],
    [
      'minVersion TLSv1, a TLS 1.0 client at the default level',
      { minVersion: 'TLSv1' },
      ['-tls1', '-cipher', 'DEFAULT@SECLEVEL=0'],
    ],
    ['minVersion TLSv1, a TLS 1.2 client at the default level', { minVersion: 'TLSv1' }, ['-tls1_2']],
    ['sigalgs ECDSA+SHA256', { sigalgs: 'ECDSA+SHA256' }, []],
    ['sigalgs RSA-PSS+SHA384', { sigalgs: 'RSA-PSS+SHA384:ECDSA+SHA384' }, []],
    ['sigalgs RSA+SHA256, TLS 1.2', { sigalgs: 'RSA+SHA256' }, ['-tls1_2']],
    ['sigalgs ed25519 only, the client cannot follow', { sigalgs: 'ed25519' }, []],
    [
      '@SECLEVEL=2, a client offering only AES128-SHA',
      { ciphers: 'DEFAULT@SECLEVEL=2' },
      ['-tls1_2', '-cipher', 'AES128-SHA'],
    ],
    [
      '!kRSA, a client offering only static RSA',
      { ciphers: 'DEFAULT:!kRSA' },
      ['-tls1_2', '-cipher', 'AES128-GCM-SHA256'],
    ],
    [
      'SSL_OP_CIPHER_SERVER_PREFERENCE with honorCipherOrder false',
      { ciphers: 'CHACHA20:AESGCM', honorCipherOrder: false, secureOptions: 0x400000 },
      ['-tls1_2', '-cipher', 'AESGCM:CHACHA20'],
    ],
    [
      'a 2048-bit dhparam, a TLS 1.2 client offering only DHE',
      { dhparam: forms.dh2048 },
      ['-tls1_2', '-cipher', 'DHE-RSA-AES128-GCM-SHA256'],
    ],
    [
      'a 1024-bit dhparam, a TLS 1.2 client offering only DHE at @SECLEVEL=1',
      { dhparam: forms.dh1024 },
      ['-tls1_2', '-cipher', 'DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=1'],
    ],
    [
      'a 1024-bit dhparam, a TLS 1.2 client at its default level (refuses the small group)',
      { dhparam: forms.dh1024 },
      ['-tls1_2', '-cipher', 'DHE-RSA-AES128-GCM-SHA256'],
    ],
    [
      'no dhparam, a TLS 1.2 client offering only DHE',
      { dhparam: undefined },
      ['-tls1_2', '-cipher', 'DHE-RSA-AES128-GCM-SHA256'],
    ],
    // Several pairs of different algorithms: the certificate is chosen per handshake.
    ['RSA, ECDSA and Ed25519 pairs', three, []],
    ['RSA, ECDSA and Ed25519 pairs, a client taking only Ed25519', three, ['-sigalgs', 'ed25519']],
    [
      'RSA, ECDSA and Ed25519 pairs, a client taking only RSA-PSS',
      three,
      ['-sigalgs', 'rsa_pss_rsae_sha256'],
    ],
    [
      'RSA, ECDSA and Ed25519 pairs, a client taking only ECDSA',
      three,
      ['-sigalgs', 'ecdsa_secp256r1_sha256'],
    ],
    ['RSA, ECDSA and Ed25519 pairs, a TLS 1.2 client of aRSA suites', three, ['-tls1_2', '-cipher', 'aRSA']],
    [
      'RSA, ECDSA and Ed25519 pairs, a TLS 1.2 client taking Ed25519',
      three,
      ['-tls1_2', '-sigalgs', 'ed25519'],
    ],
    [
      'RSA, ECDSA and Ed25519 pairs, sigalgs preferring Ed25519',
      { ...three, sigalgs: 'ed25519:ECDSA+SHA256:RSA-PSS+SHA256' },
      [],
    ],
    // Key and certificate forms.
    [
      'an encrypted key with passphrase',
      { key: forms.encrypted, passphrase: 'secret', cert: rsa.certPem },
      [],
    ],
    [
      'an encrypted key as {pem, passphrase}',
      { key: [{ pem: forms.encrypted, passphrase: 'secret' }], cert: rsa.certPem },
      [],
    ],
    ['a PKCS#1 key', { key: forms.pkcs1, cert: rsa.certPem }, []],
    ['key and cert as Buffers', { key: Buffer.from(ecdsa.keyPem), cert: Buffer.from(ecdsa.certPem) }, []],
    // pfx forms (key and cert left out unless said).
    ['pfx with passphrase', { key: undefined, cert: undefined, pfx: pfx.withChain, passphrase: 'pw' }, []],
    [
      'pfx as [{buf, passphrase}]',
      { key: undefined, cert: undefined, pfx: [{ buf: pfx.selfSigned, passphrase: 'pw' }] },
      [],
    ],
    [
      'pfx array with the shared passphrase',
      { key: undefined, cert: undefined, pfx: [pfx.selfSigned], passphrase: 'pw' },
      [],
    ],
    [
      'pfx in the OpenSSL 1.x format (3DES, SHA-1 MAC)',
      { key: undefined, cert: undefined, pfx: pfx.des, passphrase: 'pw' },
      [],
    ],
    ['pfx unencrypted without a MAC', { key: undefined, cert: undefined, pfx: pfx.unencrypted }, []],
    [
      'an RSA pfx next to an ECDSA PEM pair, a client taking only RSA-PSS',
      { key: ecdsa.keyPem, cert: ecdsa.certPem, pfx: pfx.selfSigned, passphrase: 'pw' },
      ['-sigalgs', 'rsa_pss_rsae_sha256'],
    ],
    [
      'an RSA pfx next to an ECDSA PEM pair, a client taking only ECDSA',
      { key: ecdsa.keyPem, cert: ecdsa.certPem, pfx: pfx.selfSigned, passphrase: 'pw' },
      ['-sigalgs', 'ecdsa_secp256r1_sha256'],
    ],
  ];
  for (const [what, options, args] of cases) {
    it(`agrees for ${what}`, async () => {
      const full = { ...identity, ...options } as tls.TlsOptions;
      expect(await ours(full, args)).toBe(await native(full, args));
    });
  }
});

describe('what a client negotiates with openssl s_server: our client against a node:tls client with the same options', () => {
  const rsa = credential('rsa');
  const ecdsa = credential('ecdsa');
  const serverArgs = rsaAndEcdsaServer(rsa, ecdsa);

  async function native(port: number, options: tls.ConnectionOptions): Promise<string> {
    const socket = tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false, ...options });
    try {
      await Promise.race([once(socket, 'secureConnect'), once(socket, 'error')]);
      const cipher = socket.getCipher();
      if (!socket.encrypted || cipher === undefined || socket.getProtocol() === null) return 'failed';
      return `${socket.getProtocol()} ${cipher.standardName} ${(socket.getEphemeralKeyInfo() as { name?: string } | null)?.name ?? '-'}`;
    } catch {
      return 'failed';
    } finally {
      socket.destroy();
    }
  }

  const groupNames: Record<number, string> = {
    23: 'prime256v1',
    24: 'secp384r1',
    25: 'secp521r1',
    29: 'X25519',
    30: 'X448',
  };
  async function ours(port: number, options: SecureContextOptions): Promise<string> {
    const context = createSecureContext(options);
    const events = await connectEngine(port, () =>
      createClientConnection(context.engineConfig('client', { verifyPeer: () => undefined })),
    );
    const done = events.find((event) => event.type === 'handshake-complete');
    if (done?.type !== 'handshake-complete') return 'failed';
    const { version, cipherSuite, group } = done.info;
    const protocol = version === 0x0304 ? 'TLSv1.3' : version === 0x0303 ? 'TLSv1.2' : 'older';
    return `${protocol} ${cipherSuite.ianaName} ${group === undefined ? '-' : (groupNames[group] ?? group)}`;
  }

  const cases: [string, SecureContextOptions, string[]][] = [
    ['defaults', {}, []],
    ['defaults against a TLS 1.2 server', {}, ['-tls1_2']],
    ['a TLS 1.3 suite list', { ciphers: 'TLS_AES_128_GCM_SHA256' }, []],
    [
      'a TLS 1.2 cipher string',
      { ciphers: 'ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES128-SHA256', maxVersion: 'TLSv1.2' },
      [],
    ],
    ['CBC suites first', { ciphers: 'CBC:AESGCM', maxVersion: 'TLSv1.2' }, []],
    ['static RSA only', { ciphers: 'kRSA', maxVersion: 'TLSv1.2' }, []],
    ['ecdhCurve P-521', { ecdhCurve: 'P-521' }, []],
    ['ecdhCurve P-384:X448 against a TLS 1.2 server', { ecdhCurve: 'P-384:X448' }, ['-tls1_2']],
    ['minVersion TLSv1.3 against a TLS 1.2 server', { minVersion: 'TLSv1.3' }, ['-tls1_2']],
    ['TLSv1_2_method', { secureProtocol: 'TLSv1_2_method' }, []],
    [
      'sigalgs ECDSA+SHA256 against a TLS 1.2 server (RSA and ECDSA)',
      { sigalgs: 'ECDSA+SHA256' },
      ['-tls1_2'],
    ],
    [
      'sigalgs RSA-PSS+SHA256 against a TLS 1.2 server (RSA and ECDSA)',
      { sigalgs: 'RSA-PSS+SHA256' },
      ['-tls1_2'],
    ],
  ];
  for (const [what, options, args] of cases) {
    it(`agrees for ${what}`, async () => {
      const server = await opensslServer([...serverArgs, ...args], 2);
      try {
        const expected = await native(server.port, options as tls.ConnectionOptions);
        expect(await ours(server.port, options)).toBe(expected);
      } finally {
        server.stop();
      }
    });
  }
});

describe.each(['-tls1_2', '-tls1_3'])('a CertificateRequest (s_client %s)', (versionFlag) => {
  /** The "Acceptable client certificate CA names" openssl s_client prints. */
  const caNames = (output: string) =>
    /Acceptable client certificate CA names\n([\s\S]*?)\n(?:Requested|Client Certificate Types|Server Temp Key|---)/.exec(
      output,
    )?.[1] ?? 'none';
  const args = (port: number) => ['s_client', '-connect', `127.0.0.1:${port}`, versionFlag];

  for (const [what, ca] of [
    ['names every ca certificate, as node:tls does', [root.certPem, intermediate.certPem]],
    ['names no CA with the bundled roots, as node:tls', undefined],
  ] as const) {
    it(what, async () => {
      const options = { ...serverOptions, ...(ca === undefined ? {} : { ca: [...ca] }) };
      const server = tls.createServer({ ...options, requestCert: true, rejectUnauthorized: false }, (s) =>
        s.end(),
      );
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      let expected: string;
      try {
        expected = caNames(await runOpenssl(args((server.address() as AddressInfo).port)));
      } finally {
        server.close();
      }
      const context = createSecureContext(options);
      const { output } = await withServer(
        () => createServerConnection(context.engineConfig('server', { requestClientCertificate: true })),
        (port) => runOpenssl(args(port)),
      );
      expect(caNames(output)).toBe(expected);
      if (ca !== undefined) expect(expected).toMatch(/CN ?= ?Test Root CA/);
    });
  }
});
