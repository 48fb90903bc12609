// TLS 1.2 PRF (RFC 5246 §5) and TLS 1.0/1.1 PRF (RFC 2246 §5): the published TLS 1.2 vectors in
// test/vectors/tls12-prf.json, and a cross-check against OpenSSL's TLS1-PRF KDF through the
// `openssl kdf` CLI (its seed is label || seed; digest MD5-SHA1 is the TLS 1.0 PRF).
import { execFileSync } from 'node:child_process';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { describe, expect, it } from 'vitest';
import { ascii, fromHex, thrownCode, toHex } from './helpers.js';
import vectors from './vectors/tls12-prf.json';

const provider = createNodeCryptoProvider();

function opensslPrf(digest: string, secret: Uint8Array, label: string, seed: Uint8Array, length: number) {
  const output = execFileSync('openssl', [
    'kdf',
    '-keylen',
    String(length),
    '-kdfopt',
    `digest:${digest}`,
    '-kdfopt',
    `hexsecret:${toHex(secret)}`,
    '-kdfopt',
    `hexseed:${toHex(ascii(label))}${toHex(seed)}`,
    '-binary',
    'TLS1-PRF',
  ]);
  return output.toString('hex');
}

describe('TLS 1.2 PRF', () => {
  for (const vector of vectors.cases) {
    it(`gives the published P_${vector.algorithm.toUpperCase()} output`, () => {
      const length = vector.output.length / 2;
      const output = provider.prf(
        vector.algorithm as 'sha256' | 'sha384',
        fromHex(vector.secret),
        vector.label,
        fromHex(vector.seed),
        length,
      );
      expect(toHex(output)).toBe(vector.output);
    });
  }

  it('gives a prefix of the longer output for a shorter length', () => {
    const [vector] = vectors.cases;
    const output = provider.prf('sha256', fromHex(vector!.secret), vector!.label, fromHex(vector!.seed), 13);
    expect(toHex(output)).toBe(vector!.output.slice(0, 26));
  });
});

describe('PRF against the OpenSSL CLI', () => {
  const cases: Array<[algorithm: 'sha256' | 'sha384' | 'tls10', digest: string]> = [
    ['sha256', 'SHA256'],
    ['sha384', 'SHA384'],
    ['tls10', 'MD5-SHA1'],
  ];
  for (const [algorithm, digest] of cases) {
    it(`matches openssl TLS1-PRF digest:${digest} for lengths 1, 12, 48, 104, 200 and odd secrets`, () => {
      const lengths = [1, 12, 48, 104, 200];
      lengths.forEach((length, i) => {
        // Odd secret lengths make the TLS 1.0 halves share their middle byte (RFC 2246 §5).
        const secret = provider.random([48, 47, 1, 33, 64][i]!);
        const seed = provider.random(64);
        const label = i % 2 === 0 ? 'master secret' : 'key expansion';
        const ours = provider.prf(algorithm, secret, label, seed, length);
        expect(ours).toHaveLength(length);
        expect(toHex(ours)).toBe(opensslPrf(digest, secret, label, seed, length));
      });
    });
  }

  it('differs between the TLS 1.0 PRF and the TLS 1.2 PRF on the same input', () => {
    const secret = fromHex('00112233445566778899aabbccddeeff');
    const a = provider.prf('tls10', secret, 'x', new Uint8Array(4), 32);
    const b = provider.prf('sha256', secret, 'x', new Uint8Array(4), 32);
    expect(toHex(a)).not.toBe(toHex(b));
  });
});

describe('PRF arguments', () => {
  it('rejects an unknown PRF and a negative length', () => {
    expect(
      thrownCode(() => provider.prf('sha512' as 'sha256', new Uint8Array(4), 'x', new Uint8Array(4), 8)),
    ).toBe('ERR_CRYPTO_UNSUPPORTED_ALGORITHM');
    expect(() => provider.prf('sha256', new Uint8Array(4), 'x', new Uint8Array(4), -1)).toThrow(RangeError);
    expect(provider.prf('sha256', new Uint8Array(4), 'x', new Uint8Array(4), 0)).toHaveLength(0);
  });
});
