// createSecureContext() side by side with node:tls createSecureContext(): every bad input must
// fail with the same class, code and message (and OpenSSL's library/reason where Node gives
// them); every accepted form must be accepted by both.
import * as tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { createSecureContext } from '../src/index.js';
import { credential, keyForms, pfxFiles, pki } from './helpers/fixtures';

interface Outcome {
  readonly threw: boolean;
  readonly name?: string;
  readonly code?: unknown;
  readonly message?: string;
  readonly library?: unknown;
  readonly reason?: unknown;
}

function outcome(run: () => unknown): Outcome {
  try {
    run();
    return { threw: false };
  } catch (error) {
    const { name, code, message, library, reason } = error as Error & Record<string, unknown>;
    return { threw: true, name, code, message, library, reason };
  }
}

const native = (options: unknown) =>
  outcome(() => tls.createSecureContext(options as tls.SecureContextOptions));
const ours = (options: unknown) => outcome(() => createSecureContext(options as never));

describe('options rejected exactly as node:tls rejects them', () => {
  const rsa = credential('rsa');
  const ecdsa = credential('ecdsa');
  const other = credential('rsa2');
  const forms = keyForms();
  const cases: Record<string, () => unknown> = {
    'options is a number': () => 1,
    'options is a string': () => 'x',
    'options is an array': () => [],
    'key is a number': () => ({ key: 1 }),
    'key is a plain object': () => ({ key: {} }),
    'key array holds a number': () => ({ key: [1] }),
    'key array holds {pem: 1}': () => ({ key: [{ pem: 1 }] }),
    'key array holds an object without pem': () => ({ key: [{ passphrase: 'x' }] }),
    'key array holds null': () => ({ key: [null] }),
    'key is not PEM': () => ({ key: 'nonsense' }),
    'key is DER bytes': () => ({ key: Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00]) }),
    'key PEM body is garbage': () => ({
      key: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
    }),
    'encrypted key without passphrase': () => ({ key: forms.encrypted, cert: rsa.certPem }),
    'encrypted key with a wrong passphrase': () => ({
      key: forms.encrypted,
      cert: rsa.certPem,
      passphrase: 'bad',
    }),
    'passphrase is a number': () => ({ key: forms.encrypted, cert: rsa.certPem, passphrase: 1 }),
    'key does not match the RSA certificate': () => ({ key: other.keyPem, cert: rsa.certPem }),
    'second key does not match its certificate': () => ({
      key: [ecdsa.keyPem, other.keyPem],
      cert: [ecdsa.certPem, rsa.certPem],
    }),
    'an RSA-2048 certificate at @SECLEVEL=3': () => ({
      ciphers: 'DEFAULT@SECLEVEL=3',
      key: rsa.keyPem,
      cert: rsa.certPem,
    }),
    'a P-256 certificate at @SECLEVEL=4': () => ({
      ciphers: 'DEFAULT:@SECLEVEL=4',
      key: ecdsa.keyPem,
      cert: ecdsa.certPem,
    }),
    'pfx is a number': () => ({ pfx: 1 }),
    'pfx is a plain object': () => ({ pfx: {} }),
    'pfx array holds {buf: 1}': () => ({ pfx: [{ buf: 1 }] }),
    'cert is a number': () => ({ cert: 1 }),
    'cert array holds a number': () => ({ cert: [rsa.certPem, 1] }),
    'cert is not PEM': () => ({ cert: 'nonsense' }),
    'cert is DER bytes': () => ({ cert: Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00]), key: rsa.keyPem }),
    'cert PEM is cut short': () => ({ cert: rsa.certPem.slice(0, 200) }),
    'cert PEM body is not a certificate': () => ({
      cert: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
    }),
    'ca is a number': () => ({ ca: 1 }),
    'ca array holds a number': () => ({ ca: [rsa.certPem, 5] }),
    'crl is a number': () => ({ crl: 1 }),
    'crl array holds a number': () => ({ crl: [5] }),
    'crl is not a CRL': () => ({ crl: 'x' }),
    'ciphers is a number': () => ({ ciphers: 1 }),
    'ciphers is only colons': () => ({ ciphers: ':::' }),
    'ciphers matches nothing': () => ({ ciphers: 'FOO' }),
    'ciphers removes everything': () => ({ ciphers: 'HIGH:!HIGH' }),
    'ciphers has an unknown TLS 1.3 name only': () => ({ ciphers: 'TLS_FOO' }),
    'ciphers negates a TLS 1.3 name only': () => ({ ciphers: '!TLS_AES_128_GCM_SHA256' }),
    'ciphers has a TLS 1.3 name and an unknown TLS 1.2 name': () => ({
      ciphers: 'TLS_AES_128_GCM_SHA256:FOO',
    }),
    'ciphers has a character OpenSSL rejects': () => ({ ciphers: 'AES128-SHA:$$' }),
    'ciphers has an unknown @ command': () => ({ ciphers: 'AES128-SHA:@FOO' }),
    'ciphers has @SECLEVEL=9': () => ({ ciphers: 'AES128-SHA:@SECLEVEL=9' }),
    'ciphers in lower case': () => ({ ciphers: 'tls_aes_128_gcm_sha256' }),
    'ecdhCurve is a number': () => ({ ecdhCurve: 1 }),
    'ecdhCurve is false': () => ({ ecdhCurve: false }),
    'ecdhCurve is null': () => ({ ecdhCurve: null }),
    'ecdhCurve is unknown': () => ({ ecdhCurve: 'foo' }),
    'ecdhCurve is empty': () => ({ ecdhCurve: '' }),
    'ecdhCurve list has an unknown name': () => ({ ecdhCurve: 'P-256:foo' }),
    'ecdhCurve list repeats a name': () => ({ ecdhCurve: 'P-256:P-256' }),
    'ecdhCurve mixes auto and a name': () => ({ ecdhCurve: 'auto:P-256' }),
    'ecdhCurve is in the wrong case': () => ({ ecdhCurve: 'p-256' }),
    'sigalgs is a number': () => ({ sigalgs: 1 }),
    'sigalgs is empty': () => ({ sigalgs: '' }),
    'minVersion is a number': () => ({ minVersion: 1 }),
    'minVersion is unknown': () => ({ minVersion: 'TLSv9' }),
    'maxVersion is SSLv3': () => ({ maxVersion: 'SSLv3' }),
    'secureProtocol is unknown': () => ({ secureProtocol: 'foo' }),
    'secureProtocol is empty': () => ({ secureProtocol: '' }),
    'secureProtocol is TLSv1_3_method': () => ({ secureProtocol: 'TLSv1_3_method' }),
    'secureProtocol is SSLv2_method': () => ({ secureProtocol: 'SSLv2_method' }),
    'secureProtocol is SSLv3_method': () => ({ secureProtocol: 'SSLv3_method' }),
    'secureProtocol is SSLv3_server_method': () => ({ secureProtocol: 'SSLv3_server_method' }),
    'secureProtocol is SSLv2_client_method': () => ({ secureProtocol: 'SSLv2_client_method' }),
    'secureProtocol with minVersion': () => ({ secureProtocol: 'TLSv1_method', minVersion: 'TLSv1' }),
    'secureProtocol with maxVersion': () => ({ secureProtocol: 'TLS_method', maxVersion: 'TLSv1.3' }),
    'secureOptions is a string': () => ({ secureOptions: 'x' }),
    'secureOptions is not an integer': () => ({ secureOptions: 1.5 }),
    'secureOptions is beyond 2^53': () => ({ secureOptions: 2 ** 53 }),
    'dhparam is a number': () => ({ dhparam: 1 }),
    'dhparam is 512 bits': () => ({ dhparam: forms.dh512 }),
    'sessionIdContext is a number': () => ({ sessionIdContext: 1 }),
    'sessionTimeout is a string': () => ({ sessionTimeout: '5' }),
    'sessionTimeout is negative': () => ({ sessionTimeout: -1 }),
    'sessionTimeout is fractional': () => ({ sessionTimeout: 1.5 }),
    'sessionTimeout is beyond int32': () => ({ sessionTimeout: 2 ** 31 }),
    'ticketKeys is a string': () => ({ ticketKeys: 'x' }),
    'ticketKeys is an ArrayBuffer': () => ({ ticketKeys: new ArrayBuffer(48) }),
    'ticketKeys is 10 bytes': () => ({ ticketKeys: Buffer.alloc(10) }),
    'clientCertEngine is a number': () => ({ clientCertEngine: 1 }),
    'privateKeyIdentifier without privateKeyEngine': () => ({ privateKeyIdentifier: 'foo' }),
    'privateKeyIdentifier is a number': () => ({ privateKeyIdentifier: 1, privateKeyEngine: 'e' }),
    'privateKeyEngine is a number': () => ({ privateKeyIdentifier: 'x', privateKeyEngine: 1 }),
  };
  for (const [what, make] of Object.entries(cases)) {
    it(`rejects: ${what}`, () => {
      const options = make();
      const expected = native(options);
      expect(expected.threw).toBe(true);
      expect(ours(options)).toEqual(expected);
    });
  }
});

describe('options accepted as node:tls accepts them', () => {
  const rsa = credential('rsa');
  const ecdsa = credential('ecdsa');
  const ed25519 = credential('ed25519');
  const forms = keyForms();
  const { root, intermediate, crlPem } = pki();
  const cases: Record<string, () => unknown> = {
    'no options': () => undefined,
    'null options': () => null,
    'empty options': () => ({}),
    'key and cert as strings': () => ({ key: rsa.keyPem, cert: rsa.certPem }),
    'pfx with passphrase': () => ({ pfx: pfxFiles().withChain, passphrase: 'pw' }),
    'pfx as [{buf, passphrase}]': () => ({ pfx: [{ buf: pfxFiles().withChain, passphrase: 'pw' }] }),
    'pfx array with the shared passphrase': () => ({ pfx: [pfxFiles().selfSigned], passphrase: 'pw' }),
    'pfx next to PEM key and cert of another kind': () => ({
      pfx: pfxFiles().selfSigned,
      passphrase: 'pw',
      key: ecdsa.keyPem,
      cert: ecdsa.certPem,
    }),
    'key and cert as Buffers': () => ({ key: Buffer.from(rsa.keyPem), cert: Buffer.from(rsa.certPem) }),
    'key and cert as Uint8Arrays': () => ({
      key: new Uint8Array(Buffer.from(ecdsa.keyPem)),
      cert: new Uint8Array(Buffer.from(ecdsa.certPem)),
    }),
    'key and cert as arrays': () => ({ key: [rsa.keyPem], cert: [rsa.certPem] }),
    'an RSA-2048 certificate at @SECLEVEL=2': () => ({
      ciphers: 'DEFAULT@SECLEVEL=2',
      key: rsa.keyPem,
      cert: rsa.certPem,
    }),
    'an Ed25519 certificate at @SECLEVEL=3': () => ({
      ciphers: 'DEFAULT@SECLEVEL=3',
      key: ed25519.keyPem,
      cert: ed25519.certPem,
    }),
    'RSA, ECDSA and Ed25519 pairs at once': () => ({
      key: [rsa.keyPem, ecdsa.keyPem, ed25519.keyPem],
      cert: [ed25519.certPem, rsa.certPem, ecdsa.certPem],
    }),
    'encrypted key with passphrase': () => ({
      key: forms.encrypted,
      cert: rsa.certPem,
      passphrase: 'secret',
    }),
    'encrypted key as {pem, passphrase}': () => ({
      key: [{ pem: forms.encrypted, passphrase: 'secret' }],
      cert: rsa.certPem,
    }),
    '{pem} falls back to the shared passphrase': () => ({
      key: [{ pem: forms.encrypted }],
      cert: rsa.certPem,
      passphrase: 'secret',
    }),
    'PKCS#1 key': () => ({ key: forms.pkcs1, cert: rsa.certPem }),
    'key and cert from one combined PEM': () => ({
      key: rsa.keyPem + rsa.certPem,
      cert: rsa.keyPem + rsa.certPem,
    }),
    'an empty ca array': () => ({ ca: [] }),
    'an empty key array': () => ({ key: [], cert: [] }),
    'passphrase of a number without key': () => ({ passphrase: 1 }),
    'key without cert': () => ({ key: rsa.keyPem }),
    'cert without key': () => ({ cert: rsa.certPem }),
    'falsy key and cert': () => ({ key: '', cert: '', ca: '' }),
    'cert chain: leaf then intermediate': () => ({
      cert: pki().leaf.certPem + intermediate.certPem,
      key: pki().leaf.keyPem,
    }),
    'ca as a string': () => ({ ca: root.certPem }),
    'ca as Buffers in an array': () => ({
      ca: [Buffer.from(root.certPem), Buffer.from(intermediate.certPem)],
    }),
    'ca that is not PEM': () => ({ ca: 'nonsense' }),
    'ca with a broken block': () => ({
      ca: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
    }),
    crl: () => ({ crl: crlPem }),
    'crl in an array': () => ({ crl: [Buffer.from(crlPem)] }),
    'ciphers with TLS 1.3 names only': () => ({ ciphers: 'TLS_AES_128_GCM_SHA256' }),
    'ciphers with an unknown TLS 1.3 name among known ones': () => ({
      ciphers: 'TLS_AES_128_GCM_SHA256:TLS_FOO',
    }),
    'ciphers with an unknown TLS 1.2 name among known ones': () => ({ ciphers: 'AES128-SHA:FOO' }),
    'ciphers null': () => ({ ciphers: null }),
    'ciphers selecting only suites this stack lacks (CAMELLIA)': () => ({ ciphers: 'CAMELLIA' }),
    'ciphers selecting only PSK suites': () => ({ ciphers: 'PSK' }),
    'ciphers leaving only NULL-encryption suites': () => ({ ciphers: 'TLSv1:-ALL' }),
    'ciphers empty': () => ({ ciphers: '' }),
    'ciphers with @SECLEVEL glued on': () => ({ ciphers: 'AES128-SHA@SECLEVEL=2' }),
    'ecdhCurve auto': () => ({ ecdhCurve: 'auto' }),
    'ecdhCurve list': () => ({ ecdhCurve: 'P-256:X25519' }),
    'ecdhCurve OpenSSL names': () => ({ ecdhCurve: 'prime256v1:secp384r1:secp521r1:x25519:X448:ffdhe2048' }),
    'sigalgs pairs': () => ({ sigalgs: 'RSA-PSS+SHA256:ECDSA+SHA256:RSA+SHA256' }),
    'sigalgs names': () => ({ sigalgs: 'rsa_pss_rsae_sha256:ed25519:ecdsa_secp384r1_sha384' }),
    'minVersion TLSv1': () => ({ minVersion: 'TLSv1' }),
    'null versions': () => ({ minVersion: null, maxVersion: null }),
    'minVersion above maxVersion': () => ({ minVersion: 'TLSv1.3', maxVersion: 'TLSv1.2' }),
    'secureProtocol TLS_method with null maxVersion': () => ({
      secureProtocol: 'TLS_method',
      maxVersion: null,
    }),
    'secureProtocol that is not a string': () => ({ secureProtocol: 1 }),
    'secureOptions NaN': () => ({ secureOptions: Number.NaN }),
    'secureOptions -1': () => ({ secureOptions: -1 }),
    'honorCipherOrder with a string secureOptions': () => ({ honorCipherOrder: true, secureOptions: 'x' }),
    'dhparam auto': () => ({ dhparam: 'auto' }),
    'dhparam that is not PEM': () => ({ dhparam: 'x' }),
    'dhparam 2048 bits': () => ({ dhparam: forms.dh2048 }),
    sessionIdContext: () => ({ sessionIdContext: 'my-app' }),
    'sessionIdContext empty': () => ({ sessionIdContext: '' }),
    'sessionTimeout 0': () => ({ sessionTimeout: 0 }),
    'ticketKeys Buffer': () => ({ ticketKeys: Buffer.alloc(48, 1) }),
    'ticketKeys Uint8Array': () => ({ ticketKeys: new Uint8Array(48) }),
    'honorCipherOrder truthy': () => ({ honorCipherOrder: 1 }),
    'clientCertEngine null': () => ({ clientCertEngine: null }),
    'allowPartialTrustChain true': () => ({ allowPartialTrustChain: true }),
    'allowPartialTrustChain of any type (taken as a boolean)': () => ({ allowPartialTrustChain: 'yes' }),
    'sessionTimeout at its int32 limit': () => ({ sessionTimeout: 2 ** 31 - 1 }),
    'pfx in the OpenSSL 1.x format (3DES, SHA-1 MAC)': () => ({ pfx: pfxFiles().des, passphrase: 'pw' }),
    'pfx unencrypted without a MAC, no passphrase': () => ({ pfx: pfxFiles().unencrypted }),
  };
  for (const [what, make] of Object.entries(cases)) {
    it(`accepts: ${what}`, () => {
      const options = make();
      expect(native(options)).toEqual({ threw: false });
      expect(ours(options)).toEqual({ threw: false });
    });
  }
});

describe('pfx failures node:tls reports without a code', () => {
  for (const [what, options] of [
    ['a wrong passphrase', () => ({ pfx: pfxFiles().withChain, passphrase: 'nope' })],
    ['no passphrase', () => ({ pfx: pfxFiles().withChain })],
  ] as const) {
    it(`fails for ${what} with Node's message, and a code`, () => {
      const expected = native(options());
      expect(expected).toMatchObject({ threw: true, name: 'Error', message: 'mac verify failure' });
      expect(ours(options())).toMatchObject({
        threw: true,
        name: 'X509Error',
        message: 'mac verify failure',
        code: 'ERR_X509_PKCS12_MAC',
      });
    });
  }

  it('fails for bytes that are not a PFX, with a DER code', () => {
    expect(native({ pfx: 'x' })).toMatchObject({ threw: true });
    expect(ours({ pfx: 'x' })).toMatchObject({ threw: true, code: 'ERR_X509_DER' });
  });
});
