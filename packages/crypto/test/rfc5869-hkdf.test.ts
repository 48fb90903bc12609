// RFC 5869 Appendix A: all seven HKDF test cases (SHA-256 and SHA-1), Extract and Expand
// separately, byte for byte. Vectors: test/vectors/rfc5869.json, copied from the RFC text.
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { describe, expect, it } from 'vitest';
import vectors from './vectors/rfc5869.json';
import { fromHex, thrownCode, toHex } from './helpers.js';

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

describe('HKDF-Expand-Label limits (RFC 8446 §7.1)', () => {
  it('builds the HkdfLabel struct: length, "tls13 " + label, context', () => {
    const secret = provider.random(32);
    const context = Uint8Array.of(1, 2, 3);
    const info = Uint8Array.from([0x00, 0x10, 9, ...new TextEncoder().encode('tls13 key'), 3, 1, 2, 3]);
    expect(toHex(provider.hkdfExpandLabel('sha256', secret, 'key', context, 16))).toBe(
      toHex(provider.hkdfExpand('sha256', secret, info, 16)),
    );
  });

  it('rejects a label over 255 bytes with the prefix, a context over 255 bytes, and lengths over 65535', () => {
    const secret = new Uint8Array(32);
    expect(
      thrownCode(() => provider.hkdfExpandLabel('sha256', secret, 'x'.repeat(250), new Uint8Array(0), 16)),
    ).toBe('ERR_CRYPTO_INVALID_LENGTH');
    expect(provider.hkdfExpandLabel('sha256', secret, 'x'.repeat(249), new Uint8Array(0), 16)).toHaveLength(
      16,
    );
    expect(thrownCode(() => provider.hkdfExpandLabel('sha256', secret, 'key', new Uint8Array(256), 16))).toBe(
      'ERR_CRYPTO_INVALID_LENGTH',
    );
    expect(() => provider.hkdfExpandLabel('sha256', secret, 'key', new Uint8Array(0), 65536)).toThrow(
      RangeError,
    );
  });

  it('deriveSecret is Expand-Label with Hash.length output (48 bytes for SHA-384)', () => {
    const secret = provider.random(48);
    const hash = provider.hash('sha384', new Uint8Array(0));
    const derived = provider.deriveSecret('sha384', secret, 'derived', hash);
    expect(derived).toHaveLength(48);
    expect(toHex(derived)).toBe(toHex(provider.hkdfExpandLabel('sha384', secret, 'derived', hash, 48)));
  });
});
