// RFC 5869 Appendix A: all seven HKDF test cases (SHA-256 and SHA-1), Extract and Expand
// separately, byte for byte. Vectors: test/vectors/rfc5869.json, copied from the RFC text.
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { describe, expect, it } from 'vitest';
import vectors from './vectors/rfc5869.json';
import { fromHex, toHex } from './helpers.js';

const provider = createNodeCryptoProvider();

describe('RFC 5869 HKDF', () => {
  it('has all seven test cases', () => {
    expect(vectors.cases).toHaveLength(7);
  });

  for (const vector of vectors.cases) {
    const hash = vector.hash as 'sha256' | 'sha1';
    it(`${vector.name}: Extract gives the printed PRK`, () => {
      const salt = vector.salt === null ? undefined : fromHex(vector.salt);
      expect(toHex(provider.hkdfExtract(hash, salt, fromHex(vector.ikm)))).toBe(vector.prk);
    });
    it(`${vector.name}: Expand gives the printed ${vector.length}-byte OKM`, () => {
      const okm = provider.hkdfExpand(hash, fromHex(vector.prk), fromHex(vector.info), vector.length);
      expect(okm).toHaveLength(vector.length);
      expect(toHex(okm)).toBe(vector.okm);
    });
  }

  it('rejects an output longer than 255 * HashLen with a RangeError', () => {
    const prk = new Uint8Array(32);
    expect(() => provider.hkdfExpand('sha256', prk, new Uint8Array(0), 255 * 32 + 1)).toThrow(RangeError);
    expect(provider.hkdfExpand('sha256', prk, new Uint8Array(0), 255 * 32)).toHaveLength(255 * 32);
  });

  it('matches node:crypto hkdfSync for many lengths and all hashes', async () => {
    const { hkdfSync } = await import('node:crypto');
    for (const hash of ['sha1', 'sha256', 'sha384', 'sha512'] as const) {
      for (const length of [1, 16, 31, 32, 33, 48, 64, 65, 100, 1000]) {
        const ikm = provider.random(length % 40);
        const salt = provider.random(length % 17);
        const info = provider.random(length % 23);
        const prk = provider.hkdfExtract(hash, salt, ikm);
        const ours = provider.hkdfExpand(hash, prk, info, length);
        const theirs = new Uint8Array(hkdfSync(hash, ikm, salt, info, length));
        expect(toHex(ours)).toBe(toHex(theirs));
      }
    }
  });
});
