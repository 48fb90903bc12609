// Hashes, HMAC, random and constant-time compare. Known answers: FIPS 180-2 Appendix B.1
// (SHA-256 of "abc"), RFC 1321 §A.5 (MD5 of "abc"), RFC 3174 (SHA-1 of "abc"),
// RFC 4231 §4.2 (HMAC-SHA-256 test case 1).
import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { createNodeCryptoProvider, nodeCryptoProvider } from '@tls/crypto/node';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ascii, fromHex, thrownCode, toHex } from './helpers.js';

const provider = createNodeCryptoProvider();
const abc = ascii('abc');
const md5Abc = '900150983cd24fb0d6963f7d28e17f72';
const sha1Abc = 'a9993e364706816aba3e25717850c26c9cd0d89d';

describe('hashes', () => {
  it('SHA-256, SHA-1, MD5 and MD5-SHA1 of "abc"', () => {
    expect(toHex(provider.hash('sha256', abc))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(toHex(provider.hash('sha1', abc))).toBe(sha1Abc);
    expect(toHex(provider.hash('md5', abc))).toBe(md5Abc);
    expect(toHex(provider.hash('md5-sha1', abc))).toBe(md5Abc + sha1Abc);
  });

  it('hashes a list of parts as their concatenation, and gives plain Uint8Arrays', () => {
    const digest = provider.hash('sha384', [ascii('a'), ascii(''), ascii('bc')]);
    expect(toHex(digest)).toBe(toHex(provider.hash('sha384', abc)));
    expect(Object.getPrototypeOf(digest)).toBe(Uint8Array.prototype);
  });

  it('hash lengths', () => {
    expect(
      ['md5', 'sha1', 'sha256', 'sha384', 'sha512', 'md5-sha1'].map((h) => provider.hashLength(h as never)),
    ).toEqual([16, 20, 32, 48, 64, 36]);
    expect(thrownCode(() => provider.hashLength('sha3-256' as never))).toBe(
      'ERR_CRYPTO_UNSUPPORTED_ALGORITHM',
    );
  });

  it('a running hash can be digested, cloned and continued (transcript forks)', () => {
    const context = provider.createHash('sha256');
    context.update(ascii('a'));
    const fork = context.clone();
    expect(toHex(context.digest())).toBe(toHex(provider.hash('sha256', ascii('a'))));
    context.update(ascii('bc'));
    fork.update(ascii('x'));
    expect(toHex(context.digest())).toBe(toHex(provider.hash('sha256', abc)));
    expect(toHex(fork.digest())).toBe(toHex(provider.hash('sha256', ascii('ax'))));
  });
});

describe('HMAC', () => {
  const key = new Uint8Array(20).fill(0x0b);
  const expected = 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7';
  it('RFC 4231 test case 1, one-shot, in parts and streaming', () => {
    expect(toHex(provider.hmac('sha256', key, ascii('Hi There')))).toBe(expected);
    expect(toHex(provider.hmac('sha256', key, [ascii('Hi '), ascii('There')]))).toBe(expected);
    const context = provider.createHmac('sha256', key);
    context.update(ascii('Hi'));
    context.update(ascii(' There'));
    expect(toHex(context.digest())).toBe(expected);
  });
});

describe('random, now, timingSafeEqual', () => {
  it('random gives the asked length and different bytes each call, also above 64 KiB', () => {
    expect(provider.random(0)).toHaveLength(0);
    expect(toHex(provider.random(32))).not.toBe(toHex(provider.random(32)));
    expect(provider.random(70_000)).toHaveLength(70_000);
    expect(() => provider.random(-1)).toThrow(RangeError);
  });

  it('now is the wall clock in ms', () => {
    const before = Date.now();
    const now = provider.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThan(before + 5000);
  });

  it('timingSafeEqual compares contents and is false for different lengths', () => {
    expect(provider.timingSafeEqual(fromHex('0102'), fromHex('0102'))).toBe(true);
    expect(provider.timingSafeEqual(fromHex('0102'), fromHex('0103'))).toBe(false);
    expect(provider.timingSafeEqual(fromHex('0102'), fromHex('010200'))).toBe(false);
    expect(provider.timingSafeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });

  it('nodeCryptoProvider is a ready shared instance naming OpenSSL', () => {
    expect(nodeCryptoProvider.name).toMatch(/^node:crypto \(OpenSSL \d/);
    expect(nodeCryptoProvider.supportedGroups[0]).toBe(0x001d);
  });
});

describe('one-shot digests and HMAC agree with node:crypto objects', () => {
  const hashes = ['md5', 'sha1', 'sha256', 'sha384', 'sha512'] as const;
  // Up to 1300 bytes: inputs over 1 KiB take the createHmac/createHash path, the rest the one-shot.
  const parts = fc.array(fc.uint8Array({ maxLength: 1300 }), { maxLength: 3 });

  it('HMAC for every hash, key length (empty, short, a block, longer than a block) and input size', () => {
    fc.assert(
      fc.property(fc.constantFrom(...hashes), fc.uint8Array({ maxLength: 200 }), parts, (hash, key, data) => {
        const reference = createHmac(hash, key);
        for (const part of data) reference.update(part);
        const expected = reference.digest('hex');
        expect(toHex(provider.hmac(hash, key, data))).toBe(expected);
        expect(toHex(provider.hmac(hash, key, Buffer.concat(data)))).toBe(expected);
      }),
      { numRuns: 400 },
    );
  });

  it('hashes of one array or of parts', () => {
    fc.assert(
      fc.property(fc.constantFrom(...hashes), parts, (hash, data) => {
        const expected = createHash(hash).update(Buffer.concat(data)).digest('hex');
        expect(toHex(provider.hash(hash, data))).toBe(expected);
        expect(toHex(provider.hash(hash, Buffer.concat(data)))).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('HKDF-Extract and HKDF-Expand as crypto.hkdfSync, for one block and several', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('sha256', 'sha384') as fc.Arbitrary<'sha256' | 'sha384'>,
        fc.uint8Array({ minLength: 1, maxLength: 80 }),
        fc.uint8Array({ maxLength: 80 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.integer({ min: 1, max: 200 }),
        (hash, ikm, salt, info, length) => {
          const prk = provider.hkdfExtract(hash, salt, ikm);
          const okm = provider.hkdfExpand(hash, prk, info, length);
          expect(toHex(okm)).toBe(Buffer.from(hkdfSync(hash, ikm, salt, info, length)).toString('hex'));
          expect(Object.getPrototypeOf(okm)).toBe(Uint8Array.prototype);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('inputs over 1 KiB (node:crypto Hmac and Hash) agree with the one-shot path on both sides of it', () => {
    // fast-check's default sizes stay far below 1 KiB, so the boundary is checked here explicitly.
    const key = Uint8Array.from({ length: 32 }, (_, i) => i);
    for (const size of [1023, 1024, 1025, 1100]) {
      const data = Uint8Array.from({ length: size }, (_, i) => (i * 7) & 0xff);
      const parts = [data.subarray(0, 500), data.subarray(500)];
      for (const hash of hashes) {
        const expected = createHmac(hash, key).update(data).digest('hex');
        expect(toHex(provider.hmac(hash, key, data))).toBe(expected);
        expect(toHex(provider.hmac(hash, key, parts))).toBe(expected);
        expect(toHex(provider.hash(hash, parts))).toBe(createHash(hash).update(data).digest('hex'));
      }
      // HKDF-Expand, one block truncated to 16 bytes (RFC 5869 §2.3: T(1) = HMAC(PRK, info | 0x01)).
      const t1 = createHmac('sha256', key).update(data).update(Uint8Array.of(1)).digest('hex');
      expect(toHex(provider.hkdfExpand('sha256', key, data, 16))).toBe(t1.slice(0, 32));
      expect(toHex(provider.hkdfExpand('sha256', key, data, 32))).toBe(t1);
    }
  });
});
