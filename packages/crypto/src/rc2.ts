// RC2 (RFC 2268) in CBC mode, written in TypeScript because OpenSSL 3 keeps RC2 only in its legacy
// provider, which Node does not load, while PKCS#12 files made by older tools (and by OpenSSL 3
// with `-legacy`) encrypt their certificates with pbeWithSHAAnd40BitRC2-CBC (RFC 7292 Appendix C).
// Pure: no node:*. RC2 is broken as a cipher; this exists only to read such files.
//
// Not constant time: the mashing rounds index the key table by data (RFC 2268 §3.3), as every RC2
// implementation does. The keys decrypted this way come from password-based PBE, whose strength is
// the 40-bit effective key anyway.

import { CryptoError } from './errors.js';

// RFC 2268 §2: PITABLE, a permutation of 0..255 derived from the digits of pi.
const piTable = /* @__PURE__ */ Uint8Array.from(
  (
    'd978f9c419ddb5ed28e9fd794aa0d89dc67e37832b76538e624c6488448bfba2' +
    '179a59f587b34f1361456d8d09817d32bd8f40eb86b77b0bf09521225c6b4e82' +
    '54d66593ce60b21c7356c014a78cf1dc1275ca1f3bbee4d1423dd430a33cb626' +
    '6fbf0eda4669075727f21d9bbc944303f811c7f690ef3ee706c3d52fc8661ed7' +
    '08e8eade8052eef784aa72ac354d6a2a961ad2715a1549744b9fd05e0418a4ec' +
    'c2e0416e0f51cbcc2491af50a1f47039997c3a8523b8b47afc02365b25559731' +
    '2d5dfa98e38a92ae05df2910676cbac9d300e6cfe19ea82c6316013f58e289a9' +
    '0d38341bab33ffb0bb480c5fb9b1cd2ec5f3db47e5a59c770aa62068fe7fc1ad'
  )
    .match(/../g)!
    .map((pair) => Number.parseInt(pair, 16)),
);

/** RC2-CBC bound to one key and effective key length. No padding: the caller pads (PKCS#5). */
export interface Rc2Cbc {
  readonly algorithm: 'rc2-cbc';
  /** The key length in bytes, 1..128. */
  readonly keyLength: number;
  /** The effective key length in bits, 1..1024 (RFC 2268 §2). */
  readonly effectiveKeyBits: number;
  readonly blockSize: 8;
  /** `data.length` must be a multiple of 8 and `iv` 8 bytes long. */
  encrypt(iv: Uint8Array, data: Uint8Array): Uint8Array;
  /** `data.length` must be a multiple of 8 and `iv` 8 bytes long. */
  decrypt(iv: Uint8Array, data: Uint8Array): Uint8Array;
}

/** RFC 2268 §2: the 64 16-bit subkeys K[0..63] from the key and its effective length T1. */
function expandKey(key: Uint8Array, effectiveKeyBits: number): Uint16Array {
  const l = new Uint8Array(128);
  l.set(key);
  const t = key.length;
  for (let i = t; i < 128; i++) l[i] = piTable[(l[i - 1]! + l[i - t]!) & 0xff]!;
  const t8 = (effectiveKeyBits + 7) >> 3;
  const tm = 0xff >> (8 * t8 - effectiveKeyBits);
  l[128 - t8] = piTable[l[128 - t8]! & tm]!;
  for (let i = 127 - t8; i >= 0; i--) l[i] = piTable[l[i + 1]! ^ l[i + t8]!]!;
  const k = new Uint16Array(64);
  for (let i = 0; i < 64; i++) k[i] = l[2 * i]! | (l[2 * i + 1]! << 8);
  return k;
}

const shifts = [1, 2, 3, 5] as const;

/** RFC 2268 §3: one 64-bit block, words little-endian, in place in `r`. */
function encryptBlock(k: Uint16Array, r: Uint16Array): void {
  let j = 0;
  const mix = () => {
    for (let i = 0; i < 4; i++) {
      // §3.1: R[i] += K[j] + (R[i-1] & R[i-2]) + (~R[i-1] & R[i-3]); R[i] <<<= s[i]
      const a = r[(i + 3) & 3]!;
      const value = (r[i]! + k[j++]! + (a & r[(i + 2) & 3]!) + (~a & r[(i + 1) & 3]!)) & 0xffff;
      const s = shifts[i]!;
      r[i] = (value << s) | (value >>> (16 - s));
    }
  };
  // §3.3: R[i] += K[R[i-1] & 63]
  const mash = () => {
    for (let i = 0; i < 4; i++) r[i] = r[i]! + k[r[(i + 3) & 3]! & 63]!;
  };
  for (let n = 0; n < 5; n++) mix();
  mash();
  for (let n = 0; n < 6; n++) mix();
  mash();
  for (let n = 0; n < 5; n++) mix();
}

/** RFC 2268 §4: the inverse of {@link encryptBlock}. */
function decryptBlock(k: Uint16Array, r: Uint16Array): void {
  let j = 63;
  const unmix = () => {
    for (let i = 3; i >= 0; i--) {
      const s = shifts[i]!;
      const value = r[i]!;
      const rotated = ((value >>> s) | (value << (16 - s))) & 0xffff;
      const a = r[(i + 3) & 3]!;
      r[i] = rotated - k[j--]! - (a & r[(i + 2) & 3]!) - (~a & r[(i + 1) & 3]!);
    }
  };
  const unmash = () => {
    for (let i = 3; i >= 0; i--) r[i] = r[i]! - k[r[(i + 3) & 3]! & 63]!;
  };
  for (let n = 0; n < 5; n++) unmix();
  unmash();
  for (let n = 0; n < 6; n++) unmix();
  unmash();
  for (let n = 0; n < 5; n++) unmix();
}

function loadBlock(bytes: Uint8Array, offset: number, r: Uint16Array): void {
  for (let i = 0; i < 4; i++) r[i] = bytes[offset + 2 * i]! | (bytes[offset + 2 * i + 1]! << 8);
}

function storeBlock(r: Uint16Array, bytes: Uint8Array, offset: number): void {
  for (let i = 0; i < 4; i++) {
    bytes[offset + 2 * i] = r[i]! & 0xff;
    bytes[offset + 2 * i + 1] = r[i]! >>> 8;
  }
}

function requireBlocks(iv: Uint8Array, data: Uint8Array): void {
  if (iv.length !== 8 || data.length % 8 !== 0) {
    throw new CryptoError('ERR_CRYPTO_INVALID_LENGTH', 'rc2-cbc needs whole 8-byte blocks and an 8-byte IV');
  }
}

/**
 * RC2 (RFC 2268) in CBC mode, in pure TypeScript. PKCS#12's pbeWithSHAAnd40BitRC2-CBC uses a
 * 5-byte key with 40 effective bits; pbeWithSHAAnd128BitRC2-CBC a 16-byte key with 128.
 * @throws CryptoError `ERR_CRYPTO_INVALID_LENGTH` for a key outside 1..128 bytes or an effective
 *   length outside 1..1024 bits; from `encrypt`/`decrypt`, for partial blocks or a bad IV.
 * @example
 * ```ts
 * const cipher = createRc2Cbc(key, 40);
 * const plaintext = cipher.decrypt(iv, ciphertext); // still PKCS#5-padded
 * ```
 */
export function createRc2Cbc(key: Uint8Array, effectiveKeyBits: number = key.length * 8): Rc2Cbc {
  if (key.length < 1 || key.length > 128) {
    throw new CryptoError('ERR_CRYPTO_INVALID_LENGTH', `rc2 needs a key of 1..128 bytes, got ${key.length}`);
  }
  if (!Number.isInteger(effectiveKeyBits) || effectiveKeyBits < 1 || effectiveKeyBits > 1024) {
    throw new CryptoError(
      'ERR_CRYPTO_INVALID_LENGTH',
      `rc2 effective key length must be 1..1024 bits, got ${effectiveKeyBits}`,
    );
  }
  const k = expandKey(key, effectiveKeyBits);
  return {
    algorithm: 'rc2-cbc',
    keyLength: key.length,
    effectiveKeyBits,
    blockSize: 8,
    encrypt(iv, data) {
      requireBlocks(iv, data);
      const out = new Uint8Array(data.length);
      const r = new Uint16Array(4);
      const chain = Uint8Array.from(iv);
      for (let offset = 0; offset < data.length; offset += 8) {
        for (let i = 0; i < 8; i++) chain[i]! ^= data[offset + i]!;
        loadBlock(chain, 0, r);
        encryptBlock(k, r);
        storeBlock(r, out, offset);
        chain.set(out.subarray(offset, offset + 8));
      }
      return out;
    },
    decrypt(iv, data) {
      requireBlocks(iv, data);
      const out = new Uint8Array(data.length);
      const r = new Uint16Array(4);
      for (let offset = 0; offset < data.length; offset += 8) {
        loadBlock(data, offset, r);
        decryptBlock(k, r);
        storeBlock(r, out, offset);
        const previous = offset === 0 ? iv : data.subarray(offset - 8, offset);
        for (let i = 0; i < 8; i++) out[offset + i]! ^= previous[i]!;
      }
      return out;
    },
  };
}

/**
 * One raw RC2 block (ECB) for known-answer tests against RFC 2268 §5; use {@link createRc2Cbc}.
 * @example rc2EncryptBlock(key, 64, new Uint8Array(8))
 */
export function rc2EncryptBlock(key: Uint8Array, effectiveKeyBits: number, block: Uint8Array): Uint8Array {
  return createRc2Cbc(key, effectiveKeyBits).encrypt(new Uint8Array(8), block.subarray(0, 8));
}
