// Static RSA key exchange (RFC 5246 §7.4.7.1): PKCS#1 v1.5 encryption, and a premaster decrypt
// that answers every bad padding, length or version with client_version || 46 random bytes.
import { constants, generateKeyPairSync, privateDecrypt, publicEncrypt } from 'node:crypto';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { describe, expect, it } from 'vitest';
import { thrownCode, toHex } from './helpers.js';

const provider = createNodeCryptoProvider();
const { publicKey: nodePublic, privateKey: nodePrivate } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
});
const privateKey = provider.importPrivateKey({
  key: new Uint8Array(nodePrivate.export({ format: 'der', type: 'pkcs8' })),
});
const publicKey = privateKey.publicKey;
const k = 256;

function premaster(version: number): Uint8Array {
  const out = provider.random(48);
  out[0] = version >> 8;
  out[1] = version & 0xff;
  return out;
}

/** EM = 00 02 PS 00 M with a hand-made (possibly broken) layout, encrypted raw. */
function encryptRaw(em: Uint8Array): Uint8Array {
  return publicEncrypt({ key: nodePublic, padding: constants.RSA_NO_PADDING }, em);
}

function goodEncoding(message: Uint8Array): Uint8Array {
  const em = new Uint8Array(k);
  em[1] = 2;
  const ps = em.subarray(2, k - message.length - 1);
  for (let i = 0; i < ps.length; i++) ps[i] = 1 + (i % 255);
  em.set(message, k - message.length);
  return em;
}

function expectFallback(result: Uint8Array, secret: Uint8Array, version: number): void {
  expect(result).toHaveLength(48);
  expect([result[0], result[1]]).toEqual([version >> 8, version & 0xff]);
  expect(toHex(result.subarray(2))).not.toBe(toHex(secret.subarray(2)));
}

describe('rsaEncryptPkcs1 / rsaDecryptPremaster', () => {
  it('round-trips a premaster, and node:crypto can decrypt ours (PKCS#1 v1.5 type 2)', () => {
    const secret = premaster(0x0303);
    const ciphertext = provider.rsaEncryptPkcs1(publicKey, secret);
    expect(ciphertext).toHaveLength(k);
    expect(toHex(provider.rsaDecryptPremaster(privateKey, ciphertext, 0x0303))).toBe(toHex(secret));
    const em = privateDecrypt({ key: nodePrivate, padding: constants.RSA_NO_PADDING }, ciphertext);
    expect([em[0], em[1], em[k - 49]]).toEqual([0, 2, 0]);
    expect(em.subarray(2, k - 49).includes(0)).toBe(false);
    expect(em.subarray(k - 48).toString('hex')).toBe(toHex(secret));
  });

  it('decrypts a premaster node:crypto encrypted, for TLS 1.0, 1.1 and 1.2 versions', () => {
    for (const version of [0x0301, 0x0302, 0x0303]) {
      const secret = premaster(version);
      const ciphertext = publicEncrypt({ key: nodePublic, padding: constants.RSA_PKCS1_PADDING }, secret);
      expect(toHex(provider.rsaDecryptPremaster(privateKey, ciphertext, version))).toBe(toHex(secret));
    }
  });

  const broken: Array<[string, (em: Uint8Array) => void]> = [
    [
      'second byte not 02',
      (em) => {
        em[1] = 1;
      },
    ],
    [
      'a zero inside the first 8 padding bytes',
      (em) => {
        em[5] = 0;
      },
    ],
    [
      'a zero late in the padding (message longer than 48 bytes)',
      (em) => {
        em[k - 60] = 0;
      },
    ],
    [
      'no zero separator',
      (em) => {
        em[k - 49] = 7;
      },
    ],
    [
      'the separator one byte early (a 49-byte message)',
      (em) => {
        em[k - 50] = 0;
        em[k - 49] = 3;
      },
    ],
    [
      'wrong version bytes',
      (em) => {
        em[k - 48] = 0x02;
      },
    ],
    [
      'wrong minor version',
      (em) => {
        em[k - 47] = 0x01;
      },
    ],
  ];
  for (const [name, breakIt] of broken) {
    it(`returns client_version || 46 random bytes for ${name}`, () => {
      const secret = premaster(0x0303);
      const em = goodEncoding(secret);
      breakIt(em);
      const ciphertext = encryptRaw(em);
      const first = provider.rsaDecryptPremaster(privateKey, ciphertext, 0x0303);
      const second = provider.rsaDecryptPremaster(privateKey, ciphertext, 0x0303);
      expectFallback(first, secret, 0x0303);
      expect(toHex(first)).not.toBe(toHex(second));
    });
  }

  it('the unbroken hand-made encoding decrypts (so the cases above fail only for their defect)', () => {
    const secret = premaster(0x0303);
    expect(toHex(provider.rsaDecryptPremaster(privateKey, encryptRaw(goodEncoding(secret)), 0x0303))).toBe(
      toHex(secret),
    );
  });

  it('returns random bytes for a ciphertext of the wrong length or >= n', () => {
    const secret = premaster(0x0303);
    const ciphertext = provider.rsaEncryptPkcs1(publicKey, secret);
    for (const bad of [
      ciphertext.subarray(1),
      new Uint8Array(k).fill(0xff),
      new Uint8Array(0),
      new Uint8Array(k + 1),
    ]) {
      expectFallback(provider.rsaDecryptPremaster(privateKey, bad, 0x0303), secret, 0x0303);
    }
  });

  it('refuses non-RSA keys and oversized plaintexts', () => {
    const ec = provider.generateKeyPair({ type: 'ec', curve: 'P-256' });
    expect(thrownCode(() => provider.rsaEncryptPkcs1(ec.publicKey, new Uint8Array(48)))).toBe(
      'ERR_CRYPTO_KEY_MISMATCH',
    );
    expect(thrownCode(() => provider.rsaDecryptPremaster(ec.privateKey, new Uint8Array(k), 0x0303))).toBe(
      'ERR_CRYPTO_KEY_MISMATCH',
    );
    expect(thrownCode(() => provider.rsaEncryptPkcs1(publicKey, new Uint8Array(k - 10)))).toBe(
      'ERR_CRYPTO_INVALID_LENGTH',
    );
  });
});
