// The suite registry against OpenSSL's own table (`openssl ciphers -V`), and the enum names.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  CipherSuite,
  ProtocolVersion,
  cipherSuiteName,
  cipherSuites,
  extensionTypeName,
  getCipherSuite,
  getCipherSuiteByOpensslName,
  handshakeTypeName,
  isSuiteUsableAt,
  protocolVersionName,
} from '@tls/handshake';

/** `openssl ciphers -V` lines: codepoint, OpenSSL name, version, Kx, Au, Enc, Mac. */
function opensslTable(names: string[]): Map<string, string[]> {
  const tls13 = names.filter((n) => n.startsWith('TLS_'));
  const tls12 = names.filter((n) => !n.startsWith('TLS_'));
  const out = execFileSync(
    'openssl',
    ['ciphers', '-V', '-s', '-ciphersuites', tls13.join(':'), `${tls12.join(':')}:@SECLEVEL=0`],
    { encoding: 'utf8' },
  );
  const table = new Map<string, string[]>();
  for (const line of out.trim().split('\n')) {
    const [code, , name, ...rest] = line.trim().split(/\s+/);
    table.set(name!, [code!, ...rest]);
  }
  return table;
}

describe('cipher suite registry', () => {
  const table = opensslTable(cipherSuites.map((s) => s.opensslName));

  it('has the codepoint, version, key exchange, authentication and cipher OpenSSL gives each suite', () => {
    for (const suite of cipherSuites) {
      const row = table.get(suite.opensslName);
      expect(row, suite.opensslName).toBeDefined();
      const [code, version, kx, au, enc, mac] = row!;
      expect(code, suite.opensslName).toBe(
        `0x${(suite.id >> 8).toString(16).toUpperCase().padStart(2, '0')},0x${(suite.id & 0xff).toString(16).toUpperCase().padStart(2, '0')}`,
      );
      if (suite.minVersion === ProtocolVersion.Tls13) expect(version).toBe('TLSv1.3');
      expect(kx).toBe({ any: 'Kx=any', ecdhe: 'Kx=ECDH', dhe: 'Kx=DH', rsa: 'Kx=RSA' }[suite.keyExchange]);
      expect(au).toBe({ any: 'Au=any', ecdsa: 'Au=ECDSA', rsa: 'Au=RSA' }[suite.authentication]);
      const cipher = suite.cipherType === 'aead' ? suite.aead : suite.cipher;
      expect(enc).toBe(
        {
          'aes-128-gcm': 'Enc=AESGCM(128)',
          'aes-256-gcm': 'Enc=AESGCM(256)',
          'chacha20-poly1305': 'Enc=CHACHA20/POLY1305(256)',
          'aes-128-ccm': 'Enc=AESCCM(128)',
          'aes-128-ccm8': 'Enc=AESCCM8(128)',
          'aes-128-cbc': 'Enc=AES(128)',
          'aes-256-cbc': 'Enc=AES(256)',
        }[cipher as string],
      );
      expect(mac).toBe(suite.cipherType === 'aead' ? 'Mac=AEAD' : `Mac=${suite.mac.toUpperCase()}`);
      expect(suite.bits).toBe(suite.keyLength * 8);
    }
  });

  it('names every registered suite in the CipherSuite enum with its IANA name', () => {
    for (const suite of cipherSuites) {
      expect(CipherSuite[suite.ianaName as keyof typeof CipherSuite], suite.ianaName).toBe(suite.id);
      expect(cipherSuiteName(suite.id)).toBe(suite.ianaName);
      expect(getCipherSuite(suite.id)).toBe(suite);
      expect(getCipherSuiteByOpensslName(suite.opensslName)).toBe(suite);
    }
    expect(new Set(cipherSuites.map((s) => s.id)).size).toBe(cipherSuites.length);
    expect(getCipherSuite(0x0a0a)).toBeUndefined();
  });

  it('keeps TLS 1.3 suites to TLS 1.3 and AEAD/SHA-2 TLS 1.2 suites to TLS 1.2', () => {
    const aes128 = getCipherSuite(CipherSuite.TLS_AES_128_GCM_SHA256)!;
    expect(isSuiteUsableAt(aes128, ProtocolVersion.Tls13)).toBe(true);
    expect(isSuiteUsableAt(aes128, ProtocolVersion.Tls12)).toBe(false);
    const gcm = getCipherSuite(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)!;
    expect([
      isSuiteUsableAt(gcm, ProtocolVersion.Tls12),
      isSuiteUsableAt(gcm, ProtocolVersion.Tls11),
    ]).toEqual([true, false]);
    const sha1 = getCipherSuite(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA)!;
    expect(isSuiteUsableAt(sha1, ProtocolVersion.Tls10)).toBe(true);
    expect(gcm).toMatchObject({ fixedIvLength: 4, recordIvLength: 8, hash: 'sha256' });
    expect(getCipherSuite(CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256)).toMatchObject({
      fixedIvLength: 12,
      recordIvLength: 0,
    });
    expect(getCipherSuite(CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384)).toMatchObject({
      hash: 'sha384',
      macLength: 48,
      macKeyLength: 48,
    });
  });
});

describe('enum names', () => {
  it('names known values, GREASE and unknown ones', () => {
    expect(handshakeTypeName(1)).toBe('ClientHello');
    expect(handshakeTypeName(200)).toBe('0xc8');
    expect(extensionTypeName(51)).toBe('KeyShare');
    expect(extensionTypeName(0x3a3a)).toBe('GREASE(0x3a3a)');
    expect(extensionTypeName(0x1234)).toBe('0x1234');
    expect(cipherSuiteName(0xdada)).toBe('GREASE(0xdada)');
    expect(protocolVersionName(0x0304)).toBe('TLSv1.3');
    expect(protocolVersionName(0x0301)).toBe('TLSv1');
    expect(protocolVersionName(0x7f1c)).toBe('0x7f1c');
  });
});
