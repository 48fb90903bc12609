// What createSecureContext() makes of accepted options: versions (checked against the range
// node:tls's native context reports), credentials, groups, signature schemes, ticket keys,
// timeouts; and the options that are not supported here, each with its own error.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as tls from 'node:tls';
import { NamedGroup, SignatureScheme } from '@tls/crypto';
import { CipherSuite } from '@tls/handshake';
import { describe, expect, it, vi } from 'vitest';
import {
  type SecureContextOptions,
  SecureOptions,
  createSecureContext,
  defaultSessionIdContext,
  rootCertificates,
  secureContextFor,
  secureProtocolMethods,
  tlsDefaults,
} from '../src/index.js';
import { credential, keyForms, provider } from './helpers/fixtures';

/** The version range of Node's native context (getMinProto/getMaxProto of its handle). */
function nativeRange(options: tls.SecureContextOptions): { min: number; max: number } {
  const handle = (
    tls.createSecureContext(options) as unknown as {
      context: { getMinProto(): number; getMaxProto(): number };
    }
  ).context;
  return { min: handle.getMinProto(), max: handle.getMaxProto() };
}

describe('protocol versions', () => {
  const cases: Record<string, tls.SecureContextOptions> = {
    defaults: {},
    'minVersion TLSv1': { minVersion: 'TLSv1' },
    'maxVersion TLSv1.2': { maxVersion: 'TLSv1.2' },
    'TLSv1.1 only': { minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1' },
    SSLv23_method: { secureProtocol: 'SSLv23_method' },
    SSLv23_client_method: { secureProtocol: 'SSLv23_client_method' },
    TLSv1_method: { secureProtocol: 'TLSv1_method' },
    TLSv1_1_server_method: { secureProtocol: 'TLSv1_1_server_method' },
    TLSv1_2_method: { secureProtocol: 'TLSv1_2_method' },
    'TLS 1.3 ciphers only': { ciphers: 'TLS_AES_128_GCM_SHA256' },
    'TLS 1.3 ciphers only, maxVersion TLSv1.2': { ciphers: 'TLS_AES_128_GCM_SHA256', maxVersion: 'TLSv1.2' },
  };
  for (const [what, options] of Object.entries(cases)) {
    it(`gives the range node:tls gives for ${what}`, () => {
      const context = createSecureContext(options as SecureContextOptions);
      expect({ min: context.minVersion, max: context.maxVersion }).toEqual(nativeRange(options));
    });
  }

  it('knows every secureProtocol method Node knows, with the same range', () => {
    expect(secureProtocolMethods).toHaveLength(15);
    for (const secureProtocol of secureProtocolMethods) {
      const native = nativeRange({ secureProtocol });
      const context = createSecureContext({ secureProtocol });
      expect([secureProtocol, context.minVersion, context.maxVersion]).toEqual([
        secureProtocol,
        native.min === 0 ? 0x0301 : native.min,
        native.max,
      ]);
    }
  });

  it('opens TLS_method from TLS 1.0 (OpenSSL reports 0: its lowest, TLS 1.0 without SSLv3)', () => {
    expect(nativeRange({ secureProtocol: 'TLS_method' })).toEqual({ min: 0, max: 0x0304 });
    const context = createSecureContext({ secureProtocol: 'TLS_server_method' });
    expect([context.minVersion, context.maxVersion]).toEqual([0x0301, 0x0304]);
  });

  it('applies SSL_OP_NO_TLSv1_* flags as OpenSSL does (a hole ends a client range, not a server one)', () => {
    const noTls13 = createSecureContext({ secureOptions: SecureOptions.SSL_OP_NO_TLSv1_3 });
    expect([noTls13.minVersion, noTls13.maxVersion]).toEqual([0x0303, 0x0303]);
    const hole = createSecureContext({
      minVersion: 'TLSv1',
      secureOptions: SecureOptions.SSL_OP_NO_TLSv1_1,
    });
    expect([hole.minVersion, hole.maxVersion]).toEqual([0x0301, 0x0301]);
    // A server checks each version on its own (ssl_choose_server_version): the hole stays a hole.
    const legacy = createSecureContext({
      minVersion: 'TLSv1',
      ciphers: 'DEFAULT@SECLEVEL=0',
      secureOptions: SecureOptions.SSL_OP_NO_TLSv1_1,
    });
    expect(legacy.engineConfig('server')).toMatchObject({
      minVersion: 0x0301,
      maxVersion: 0x0304,
      disabledVersions: [0x0302],
    });
    expect(legacy.engineConfig('client')).toMatchObject({ minVersion: 0x0301, maxVersion: 0x0301 });
    const none = createSecureContext({
      secureOptions: SecureOptions.SSL_OP_NO_TLSv1_2 | SecureOptions.SSL_OP_NO_TLSv1_3,
    });
    expect(none.minVersion).toBeGreaterThan(none.maxVersion);
  });

  it('exports the SSL_OP_* values node:crypto has', async () => {
    const { constants } = await import('node:crypto');
    for (const [name, value] of Object.entries(SecureOptions)) {
      expect([name, value]).toEqual([name, (constants as unknown as Record<string, number>)[name]]);
    }
  });
});

describe('credentials', () => {
  it('keeps one pair per key kind, the chain leaf first', () => {
    const rsa = credential('rsa');
    const ecdsa = credential('ecdsa');
    const ed25519 = credential('ed25519');
    const context = createSecureContext({
      key: [ed25519.keyPem, { pem: keyForms().encrypted, passphrase: 'secret' }, ecdsa.keyPem],
      cert: [rsa.certPem, ecdsa.certPem, ed25519.certPem],
    });
    expect(context.certificates.map((pair) => pair.privateKey.type).sort()).toEqual(['ec', 'ed25519', 'rsa']);
    for (const pair of context.certificates) expect(pair.chain).toHaveLength(1);
  });

  it('refuses keys of which none has a certificate of its kind, where Node would fail at the first handshake', () => {
    const rsa = credential('rsa');
    const ecdsa = credential('ecdsa');
    expect(() => tls.createSecureContext({ key: ecdsa.keyPem, cert: rsa.certPem })).not.toThrow();
    expect(() => createSecureContext({ key: ecdsa.keyPem, cert: rsa.certPem })).toThrow(
      expect.objectContaining({ code: 'ERR_OSSL_X509_KEY_VALUES_MISMATCH' }),
    );
  });

  it('keeps the pairs that match and leaves an extra key unused, as node:tls does', () => {
    const rsa = credential('rsa');
    const ecdsa = credential('ecdsa');
    const options = { key: [rsa.keyPem, ecdsa.keyPem], cert: rsa.certPem };
    expect(() => tls.createSecureContext(options)).not.toThrow();
    expect(createSecureContext(options).certificates.map((pair) => pair.privateKey.type)).toEqual(['rsa']);
  });
});

describe('algorithms and session options', () => {
  it('maps ecdhCurve to groups, auto to OpenSSL 3.0 default order', () => {
    expect(createSecureContext().groups).toEqual([
      NamedGroup.X25519,
      NamedGroup.Secp256r1,
      NamedGroup.X448,
      NamedGroup.Secp521r1,
      NamedGroup.Secp384r1,
      NamedGroup.Ffdhe2048,
      NamedGroup.Ffdhe3072,
      NamedGroup.Ffdhe4096,
      NamedGroup.Ffdhe6144,
      NamedGroup.Ffdhe8192,
    ]);
    expect(createSecureContext({ ecdhCurve: 'P-384:x25519:secp256k1' }).groups).toEqual([
      NamedGroup.Secp384r1,
      NamedGroup.X25519,
    ]);
  });

  it('accepts the hybrid X25519MLKEM768 group as current Node does (Node 20 predates it)', () => {
    expect(createSecureContext({ ecdhCurve: 'X25519MLKEM768:X25519' }).groups).toEqual([
      NamedGroup.X25519MLKEM768,
      NamedGroup.X25519,
    ]);
  });

  it('says so when every named curve is one this stack does not implement', () => {
    expect(() => tls.createSecureContext({ ecdhCurve: 'secp256k1' })).not.toThrow();
    expect(() => createSecureContext({ ecdhCurve: 'secp256k1' })).toThrow(
      expect.objectContaining({ code: 'ERR_TLS_UNSUPPORTED_CURVE' }),
    );
  });

  it('maps sigalgs to schemes, RSA-PSS+hash naming rsa_pss_rsae only (as OpenSSL)', () => {
    expect(createSecureContext().signatureSchemes).toBeUndefined();
    expect(createSecureContext({ sigalgs: 'ECDSA+SHA256:RSA-PSS+SHA384:ed25519' }).signatureSchemes).toEqual([
      SignatureScheme.EcdsaSecp256r1Sha256,
      SignatureScheme.RsaPssRsaeSha384,
      SignatureScheme.Ed25519,
    ]);
    expect(createSecureContext({ sigalgs: 'RSA-PSS+SHA256:rsa_pss_pss_sha256' }).signatureSchemes).toEqual([
      SignatureScheme.RsaPssRsaeSha256,
      SignatureScheme.RsaPssPssSha256,
    ]);
  });

  for (const sigalgs of ['rsa+sha256', 'RSA+MD5', 'ED25519', 'RSA+SHA256:RSA+SHA256', 'RSA+SHA256:']) {
    it(`rejects sigalgs ${JSON.stringify(sigalgs)} as Node does, with a code Node lacks`, () => {
      expect(() => tls.createSecureContext({ sigalgs })).toThrow(Error);
      expect(() => createSecureContext({ sigalgs })).toThrow(
        expect.objectContaining({ name: 'Error', code: 'ERR_TLS_INVALID_SIGALGS' }),
      );
    });
  }

  it('offers, as a client, only the TLS 1.2 suites its sigalgs can authenticate (as OpenSSL)', () => {
    const suites = (sigalgs: string, role: 'client' | 'server' = 'client') =>
      createSecureContext({
        sigalgs,
        ciphers:
          'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:AES128-SHA:TLS_AES_128_GCM_SHA256',
      }).engineConfig(role).cipherSuites;
    expect(suites('ECDSA+SHA256')).toEqual([
      CipherSuite.TLS_AES_128_GCM_SHA256,
      CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    ]);
    expect(suites('ed25519')).toEqual(suites('ECDSA+SHA256'));
    expect(suites('RSA-PSS+SHA256')).toEqual([
      CipherSuite.TLS_AES_128_GCM_SHA256,
      CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
      CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA,
    ]);
    expect(suites('ECDSA+SHA256', 'server')).toHaveLength(4);
  });

  it('orders suites TLS 1.3 first from ciphers', () => {
    const context = createSecureContext({ ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:TLS_AES_128_GCM_SHA256' });
    expect(context.cipherSuites).toEqual([
      CipherSuite.TLS_AES_128_GCM_SHA256,
      CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    ]);
  });

  it('keeps TLS 1.3 when ciphers selects only TLS 1.2 suites this stack lacks, as node:tls would work on', () => {
    expect(createSecureContext({ ciphers: 'CAMELLIA' }).cipherSuites).toEqual([
      CipherSuite.TLS_AES_256_GCM_SHA384,
      CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
      CipherSuite.TLS_AES_128_GCM_SHA256,
    ]);
  });

  it('turns honorCipherOrder into SSL_OP_CIPHER_SERVER_PREFERENCE', () => {
    expect(createSecureContext().honorCipherOrder).toBe(false);
    expect(createSecureContext({ honorCipherOrder: true }).honorCipherOrder).toBe(true);
    expect(
      createSecureContext({ secureOptions: SecureOptions.SSL_OP_CIPHER_SERVER_PREFERENCE }).honorCipherOrder,
    ).toBe(true);
  });

  it('keeps 48 random ticket key bytes unless given, replaceable and never shared', () => {
    const a = createSecureContext();
    const b = createSecureContext();
    expect(a.ticketKeys).toHaveLength(48);
    expect(a.ticketKeys).toEqual(a.ticketKeys);
    expect(Buffer.from(a.ticketKeys).equals(Buffer.from(b.ticketKeys))).toBe(false);
    const given = Buffer.alloc(48, 7);
    const c = createSecureContext({ ticketKeys: given });
    given.fill(0);
    expect(c.ticketKeys).toEqual(new Uint8Array(48).fill(7));
    c.ticketKeys = Buffer.alloc(48, 9);
    expect(c.ticketKeys).toEqual(new Uint8Array(48).fill(9));
    expect(() => {
      c.ticketKeys = Buffer.alloc(47);
    }).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }));
  });

  it('keeps sessionTimeout (OpenSSL default 7200 s, also for 0, as node:tls) and sessionIdContext', () => {
    expect(createSecureContext().sessionTimeout).toBe(7200);
    expect(createSecureContext({ sessionTimeout: 0 }).sessionTimeout).toBe(7200);
    expect(createSecureContext({ sessionTimeout: 1 }).sessionTimeout).toBe(1);
    const context = createSecureContext({ sessionTimeout: 7200, sessionIdContext: 'app' });
    expect([context.sessionTimeout, context.sessionIdContext]).toEqual([7200, 'app']);
  });

  it('refuses a sessionIdContext over 32 bytes as Node does, with a code', () => {
    const sessionIdContext = 'x'.repeat(33);
    expect(() => tls.createSecureContext({ sessionIdContext })).toThrow(TypeError);
    expect(() => createSecureContext({ sessionIdContext })).toThrow(
      expect.objectContaining({ name: 'TypeError', code: 'ERR_SSL_SSL_SESSION_ID_CONTEXT_TOO_LONG' }),
    );
    expect(() => createSecureContext({ sessionIdContext: 'x'.repeat(32) })).not.toThrow();
  });

  it('reads dhparam, warning under 2048 bits as Node does', () => {
    const emit = vi.spyOn(process, 'emitWarning');
    try {
      const context = createSecureContext({ dhparam: keyForms().dh1024 });
      expect(context.dhParameters).toMatchObject({ bits: 1024 });
      expect(emit).toHaveBeenCalledWith('DH parameter is less than 2048 bits', 'SecurityWarning');
      emit.mockClear();
      expect(createSecureContext({ dhparam: keyForms().dh2048 }).dhParameters).toMatchObject({ bits: 2048 });
      expect(emit).not.toHaveBeenCalled();
    } finally {
      emit.mockRestore();
    }
  });
});

describe('dhparam auto and the createServer session id context', () => {
  it('reads dhparam auto as RFC 7919 ffdhe2048, the group openssl names so', () => {
    const pem = execFileSync(
      'openssl',
      ['genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', 'group:ffdhe2048'],
      {
        encoding: 'utf8',
      },
    );
    const fromOpenssl = createSecureContext({ dhparam: pem }).dhParameters;
    expect(fromOpenssl?.bits).toBe(2048);
    expect(createSecureContext({ dhparam: 'auto' }).dhParameters).toEqual(fromOpenssl);
    expect(createSecureContext().dhParameters).toBeUndefined();
  });

  it("computes createServer's default sessionIdContext as Node does", () => {
    const expected = createHash('sha1').update(process.argv.join(' ')).digest('hex').slice(0, 32);
    expect(defaultSessionIdContext()).toBe(expected);
  });
});

describe('options not supported here', () => {
  it('refuses OpenSSL engines with Node code for missing engine support', () => {
    for (const options of [
      { clientCertEngine: 'dynamic' },
      { privateKeyEngine: 'dynamic' },
      { privateKeyIdentifier: 'id', privateKeyEngine: 'dynamic' },
    ]) {
      expect(() => createSecureContext(options)).toThrow(
        expect.objectContaining({ code: 'ERR_CRYPTO_CUSTOM_ENGINE_NOT_SUPPORTED' }),
      );
    }
  });
});

describe('defaults', () => {
  it('points .context at itself and keeps a frozen copy of the options', () => {
    const options = { ciphers: 'HIGH', sessionTimeout: 10 };
    const context = createSecureContext(options);
    expect(context.context).toBe(context);
    expect(context.options).toEqual(options);
    expect(context.options).not.toBe(options);
    expect(Object.isFrozen(context.options)).toBe(true);
  });

  it('trusts the roots node:tls bundles', () => {
    expect(rootCertificates).toEqual(tls.rootCertificates);
  });

  it('shares the evaluated default cipher list between contexts instead of evaluating it again', () => {
    // Speed itself is measured by benchmarks, not asserted here; what makes it cheap is sharing.
    expect(createSecureContext().cipherSuites).toBe(createSecureContext().cipherSuites);
    expect(createSecureContext({ ciphers: 'HIGH' }).cipherSuites).toBe(
      createSecureContext({ ciphers: 'HIGH' }).cipherSuites,
    );
  });

  it('uses the shared node:crypto provider unless given one', () => {
    expect(createSecureContext().provider.name).toMatch(/node:crypto/);
    expect(createSecureContext({ provider }).provider).toBe(provider);
  });
});

describe('secureContextFor', () => {
  it('shares one context between option objects that set no context option', () => {
    const shared = secureContextFor({ host: 'example.com', port: 443, servername: 'example.com' } as never);
    expect(secureContextFor({ rejectUnauthorized: false } as never)).toBe(shared);
    expect(secureContextFor()).toBe(shared);
    expect(secureContextFor({ ciphers: undefined })).toBe(shared);
  });

  it('makes a context of its own for options that set any context option', () => {
    const shared = secureContextFor();
    const own = secureContextFor({ maxVersion: 'TLSv1.2' });
    expect(own).not.toBe(shared);
    expect(own.maxVersion).toBe(0x0303);
    expect(secureContextFor({ sessionTimeout: 10 })).not.toBe(shared);
  });

  it('makes the shared context again when a default changed since, as a new context would read it', () => {
    const saved = tlsDefaults.maxVersion;
    try {
      const before = secureContextFor();
      tlsDefaults.maxVersion = 'TLSv1.2';
      const after = secureContextFor();
      expect(after).not.toBe(before);
      expect(after.maxVersion).toBe(0x0303);
      expect(secureContextFor()).toBe(after);
    } finally {
      tlsDefaults.maxVersion = saved;
    }
    expect(secureContextFor().maxVersion).toBe(0x0304);
  });
});
