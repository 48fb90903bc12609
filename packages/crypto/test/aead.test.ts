// AEAD and CBC through the provider: RFC 8439 §2.8.2 (ChaCha20-Poly1305), the GCM specification's
// test cases 4 and 16 (McGrew and Viega, "The Galois/Counter Mode of Operation", AES-128 and
// AES-256 with AAD), tampering, AES-CCM against node:crypto, CBC against node:crypto.
import { createCipheriv } from 'node:crypto';
import type { AeadAlgorithm, BlockCipherAlgorithm } from '@tls/crypto';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { describe, expect, it } from 'vitest';
import { ascii, fromHex, thrownCode, toHex } from './helpers.js';

const provider = createNodeCryptoProvider();

function sealToHex(algorithm: AeadAlgorithm, key: string, nonce: string, aad: string, parts: Uint8Array[]) {
  const sealed = provider.createAead(algorithm, fromHex(key)).seal(fromHex(nonce), fromHex(aad), parts);
  const tag = sealed.at(-1)!;
  return { ciphertext: sealed.slice(0, -1).map(toHex).join(''), tag: toHex(tag), parts: sealed.length - 1 };
}

// RFC 8439 §2.8.2 (nonce = 32-bit fixed-common part 07000000 || IV 4041424344454647).
const rfc8439 = {
  key: '808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f',
  nonce: '070000004041424344454647',
  aad: '50515253c0c1c2c3c4c5c6c7',
  plaintext:
    "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
  ciphertext:
    'd31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b' +
    '1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc' +
    '3ff4def08e4b7a9de576d26586cec64b6116',
  tag: '1ae10b594f09e26a7e902ecbd0600691',
};

// GCM specification test cases 4 (AES-128) and 16 (AES-256): 60-byte plaintext, 20-byte AAD.
const gcmPlaintext =
  'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39';
const gcmCases = [
  {
    name: 'Test Case 4 (AES-128-GCM)',
    algorithm: 'aes-128-gcm' as const,
    key: 'feffe9928665731c6d6a8f9467308308',
    ciphertext:
      '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091',
    tag: '5bc94fbc3221a5db94fae95ae7121a47',
  },
  {
    name: 'Test Case 16 (AES-256-GCM)',
    algorithm: 'aes-256-gcm' as const,
    key: 'feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308',
    ciphertext:
      '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662',
    tag: '76fc6ece0f4e1768cddf8853bb2d551b',
  },
];
const gcmNonce = 'cafebabefacedbaddecaf888';
const gcmAad = 'feedfacedeadbeeffeedfacedeadbeefabaddad2';

describe('AEAD known answers', () => {
  it('RFC 8439 §2.8.2 AEAD_CHACHA20_POLY1305 seal and open', () => {
    const plaintext = ascii(rfc8439.plaintext);
    const sealed = sealToHex('chacha20-poly1305', rfc8439.key, rfc8439.nonce, rfc8439.aad, [plaintext]);
    expect(sealed.ciphertext).toBe(rfc8439.ciphertext);
    expect(sealed.tag).toBe(rfc8439.tag);
    const aead = provider.createAead('chacha20-poly1305', fromHex(rfc8439.key));
    const opened = aead.open(
      fromHex(rfc8439.nonce),
      fromHex(rfc8439.aad),
      fromHex(rfc8439.ciphertext),
      fromHex(rfc8439.tag),
    );
    expect(new TextDecoder().decode(opened)).toBe(rfc8439.plaintext);
  });

  it('RFC 8439 §2.8.2 with the plaintext given in three parts gives the same bytes, one part each', () => {
    const plaintext = ascii(rfc8439.plaintext);
    const parts = [plaintext.subarray(0, 1), plaintext.subarray(1, 64), plaintext.subarray(64)];
    const sealed = sealToHex('chacha20-poly1305', rfc8439.key, rfc8439.nonce, rfc8439.aad, parts);
    expect(sealed.parts).toBe(3);
    expect(sealed.ciphertext).toBe(rfc8439.ciphertext);
    expect(sealed.tag).toBe(rfc8439.tag);
  });

  for (const vector of gcmCases) {
    it(`GCM ${vector.name} seal and open`, () => {
      const sealed = sealToHex(vector.algorithm, vector.key, gcmNonce, gcmAad, [fromHex(gcmPlaintext)]);
      expect(sealed.ciphertext).toBe(vector.ciphertext);
      expect(sealed.tag).toBe(vector.tag);
      const aead = provider.createAead(vector.algorithm, fromHex(vector.key));
      const opened = aead.open(
        fromHex(gcmNonce),
        fromHex(gcmAad),
        fromHex(vector.ciphertext),
        fromHex(vector.tag),
      );
      expect(toHex(opened!)).toBe(gcmPlaintext);
    });
  }
});

describe('AEAD tampering and parameters', () => {
  const algorithms: Array<[AeadAlgorithm, number, number]> = [
    ['aes-128-gcm', 16, 16],
    ['aes-256-gcm', 32, 16],
    ['chacha20-poly1305', 32, 16],
    ['aes-128-ccm', 16, 16],
    ['aes-128-ccm8', 16, 8],
  ];
  for (const [algorithm, keyLength, tagLength] of algorithms) {
    it(`${algorithm}: round trip, and any change to ciphertext, tag, AAD or nonce gives undefined`, () => {
      const aead = provider.createAead(algorithm, provider.random(keyLength));
      expect([aead.algorithm, aead.keyLength, aead.nonceLength, aead.tagLength]).toEqual([
        algorithm,
        keyLength,
        12,
        tagLength,
      ]);
      const nonce = provider.random(12);
      const aad = provider.random(13);
      const plaintext = provider.random(1000);
      const sealed = aead.seal(nonce, aad, [plaintext.subarray(0, 300), plaintext.subarray(300)]);
      const tag = sealed.at(-1)!;
      expect(tag).toHaveLength(tagLength);
      const ciphertext = Uint8Array.from(Buffer.concat(sealed.slice(0, -1)));
      expect(ciphertext).toHaveLength(1000);
      expect(toHex(aead.open(nonce, aad, ciphertext, tag)!)).toBe(toHex(plaintext));

      const flip = (bytes: Uint8Array, at: number) => {
        const copy = bytes.slice();
        copy[at]! ^= 0x01;
        return copy;
      };
      expect(aead.open(nonce, aad, flip(ciphertext, 999), tag)).toBeUndefined();
      expect(aead.open(nonce, aad, flip(ciphertext, 0), tag)).toBeUndefined();
      expect(aead.open(nonce, aad, ciphertext, flip(tag, tagLength - 1))).toBeUndefined();
      expect(aead.open(nonce, flip(aad, 5), ciphertext, tag)).toBeUndefined();
      expect(aead.open(flip(nonce, 11), aad, ciphertext, tag)).toBeUndefined();
      expect(aead.open(nonce, aad, ciphertext, tag.subarray(1))).toBeUndefined();
      expect(aead.open(nonce, aad, ciphertext.subarray(1), tag)).toBeUndefined();
    });

    it(`${algorithm}: rejects a key of the wrong length with ERR_CRYPTO_INVALID_LENGTH`, () => {
      expect(thrownCode(() => provider.createAead(algorithm, new Uint8Array(keyLength - 1)))).toBe(
        'ERR_CRYPTO_INVALID_LENGTH',
      );
    });
  }

  it('AES-128-CCM and CCM_8 match node:crypto used directly (RFC 6655 parameters)', () => {
    for (const tagLength of [16, 8]) {
      const key = provider.random(16);
      const nonce = provider.random(12);
      const aad = provider.random(13);
      const plaintext = provider.random(77);
      const cipher = createCipheriv('aes-128-ccm', key, nonce, { authTagLength: tagLength });
      cipher.setAAD(aad, { plaintextLength: plaintext.length });
      const expected = Buffer.concat([cipher.update(plaintext), cipher.final()]).toString('hex');
      const sealed = provider
        .createAead(tagLength === 16 ? 'aes-128-ccm' : 'aes-128-ccm8', key)
        .seal(nonce, aad, [plaintext]);
      expect(toHex(sealed[0]!)).toBe(expected);
      expect(toHex(sealed[1]!)).toBe(cipher.getAuthTag().toString('hex'));
    }
  });

  it('rejects an unknown algorithm', () => {
    expect(thrownCode(() => provider.createAead('aes-128-ocb' as AeadAlgorithm, new Uint8Array(16)))).toBe(
      'ERR_CRYPTO_UNSUPPORTED_ALGORITHM',
    );
  });
});

describe('CBC block ciphers', () => {
  const ciphers: Array<[BlockCipherAlgorithm, number, number]> = [
    ['aes-128-cbc', 16, 16],
    ['aes-256-cbc', 32, 16],
    ['des-ede3-cbc', 24, 8],
  ];
  for (const [algorithm, keyLength, blockSize] of ciphers) {
    it(`${algorithm}: matches node:crypto without padding and round-trips`, () => {
      const key = provider.random(keyLength);
      const iv = provider.random(blockSize);
      const data = provider.random(blockSize * 5);
      const cipher = provider.createBlockCipher(algorithm, key);
      expect([cipher.keyLength, cipher.blockSize]).toEqual([keyLength, blockSize]);
      const encrypted = cipher.encrypt(iv, data);
      const reference = createCipheriv(algorithm, key, iv).setAutoPadding(false);
      expect(toHex(encrypted)).toBe(
        Buffer.concat([reference.update(data), reference.final()]).toString('hex'),
      );
      expect(toHex(cipher.decrypt(iv, encrypted))).toBe(toHex(data));
    });

    it(`${algorithm}: refuses partial blocks, a wrong IV and a wrong key length`, () => {
      const cipher = provider.createBlockCipher(algorithm, provider.random(keyLength));
      expect(thrownCode(() => cipher.encrypt(new Uint8Array(blockSize), new Uint8Array(blockSize + 1)))).toBe(
        'ERR_CRYPTO_INVALID_LENGTH',
      );
      expect(thrownCode(() => cipher.decrypt(new Uint8Array(blockSize - 1), new Uint8Array(blockSize)))).toBe(
        'ERR_CRYPTO_INVALID_LENGTH',
      );
      expect(thrownCode(() => provider.createBlockCipher(algorithm, new Uint8Array(keyLength + 1)))).toBe(
        'ERR_CRYPTO_INVALID_LENGTH',
      );
    });
  }
});
