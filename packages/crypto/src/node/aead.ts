// AEAD (RFC 5116) and CBC ciphers over node:crypto. AES-GCM (RFC 5288), ChaCha20-Poly1305
// (RFC 8439, RFC 7905) and AES-CCM (RFC 6655) for the record layer; bare CBC for the TLS 1.0-1.2
// CBC suites, whose padding and MAC the record layer handles.
//
// node:crypto cannot re-key a cipher object with a new nonce, so each record gets a fresh one
// (about 4.5 µs, PERF-NOTES.md). The key is kept as a private copy of its bytes and handed to
// each cipher as such: measured, a seal costs the same with raw bytes as with a KeyObject, and a
// KeyObject costs a native object (a handle, a weak reference, off-heap memory) per connection
// and direction, made four times in every TLS 1.3 handshake. The traffic secrets the keys come
// from live in the JavaScript heap anyway. Ciphertext parts are returned as node allocated them:
// no extra copy.

import { type CipherCCMTypes, type CipherGCMTypes, createCipheriv, createDecipheriv } from 'node:crypto';
import { CryptoError } from '../errors.js';
import type { Aead, AeadAlgorithm, BlockCipher, BlockCipherAlgorithm } from '../provider.js';
import { asBytes } from './bytes.js';

interface AeadSpec {
  readonly algorithm: AeadAlgorithm;
  readonly cipher: string;
  readonly keyLength: number;
  readonly tagLength: number;
  readonly ccm: boolean;
  /** The options of every createCipheriv/createDecipheriv call (node:crypto never changes them). */
  readonly options: { readonly authTagLength: number };
}

function aeadSpec(algorithm: AeadAlgorithm, cipher: string, keyLength: number, tagLength: number): AeadSpec {
  const ccm = cipher.endsWith('-ccm');
  return { algorithm, cipher, keyLength, tagLength, ccm, options: { authTagLength: tagLength } };
}

const aeadSpecs: Record<AeadAlgorithm, AeadSpec> = {
  'aes-128-gcm': aeadSpec('aes-128-gcm', 'aes-128-gcm', 16, 16),
  'aes-256-gcm': aeadSpec('aes-256-gcm', 'aes-256-gcm', 32, 16),
  'chacha20-poly1305': aeadSpec('chacha20-poly1305', 'chacha20-poly1305', 32, 16),
  'aes-128-ccm': aeadSpec('aes-128-ccm', 'aes-128-ccm', 16, 16),
  'aes-128-ccm8': aeadSpec('aes-128-ccm8', 'aes-128-ccm', 16, 8),
};

function requireKeyLength(algorithm: string, key: Uint8Array, expected: number): void {
  if (key.length !== expected) {
    throw new CryptoError(
      'ERR_CRYPTO_INVALID_LENGTH',
      `${algorithm} needs a ${expected}-byte key, got ${key.length} bytes`,
    );
  }
}

function concatParts(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Two fields: a connection keeps one per direction for its whole life, so what is the same for
 * every key of an algorithm stays in the shared spec (memory per idle connection).
 */
class NodeAead implements Aead {
  readonly #spec: AeadSpec;
  readonly #key: Uint8Array;

  constructor(algorithm: AeadAlgorithm, key: Uint8Array) {
    const spec = aeadSpecs[algorithm];
    if (spec === undefined)
      throw new CryptoError('ERR_CRYPTO_UNSUPPORTED_ALGORITHM', `unsupported AEAD ${String(algorithm)}`);
    requireKeyLength(algorithm, key, spec.keyLength);
    this.#spec = spec;
    this.#key = key.slice();
  }

  get algorithm(): AeadAlgorithm {
    return this.#spec.algorithm;
  }

  get keyLength(): number {
    return this.#spec.keyLength;
  }

  get nonceLength(): number {
    return 12;
  }

  get tagLength(): number {
    return this.#spec.tagLength;
  }

  seal(nonce: Uint8Array, aad: Uint8Array, plaintext: readonly Uint8Array[]): Uint8Array[] {
    const { options, cipher: name, ccm } = this.#spec;
    if (ccm) {
      // OpenSSL's CCM takes the whole message in one update, with its length announced first.
      const data = concatParts(plaintext);
      const cipher = createCipheriv(name as CipherCCMTypes, this.#key, nonce, options);
      cipher.setAAD(aad, { plaintextLength: data.length });
      // OpenSSL's CCM needs an update call even for an empty message, and one whose input has
      // no backing store (randomBytes(0)) reads as NULL and is skipped: pass a fresh empty array.
      const out = cipher.update(data.length === 0 ? new Uint8Array(0) : data);
      cipher.final();
      return [out, cipher.getAuthTag()];
    }
    const cipher = createCipheriv(name as CipherGCMTypes, this.#key, nonce, options);
    cipher.setAAD(aad);
    // The bulk path: one or two parts (a record and its TLS 1.3 content type byte).
    if (plaintext.length === 1) {
      const body = cipher.update(plaintext[0]!);
      cipher.final();
      return [body, cipher.getAuthTag()];
    }
    if (plaintext.length === 2) {
      const body = cipher.update(plaintext[0]!);
      const trailer = cipher.update(plaintext[1]!);
      cipher.final();
      return [body, trailer, cipher.getAuthTag()];
    }
    const out: Uint8Array[] = [];
    for (const part of plaintext) out.push(cipher.update(part));
    cipher.final();
    out.push(cipher.getAuthTag());
    return out;
  }

  open(nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array): Uint8Array | undefined {
    if (tag.length !== this.tagLength) return undefined;
    const { options, cipher: name, ccm } = this.#spec;
    if (ccm) {
      const decipher = createDecipheriv(name as CipherCCMTypes, this.#key, nonce, options);
      decipher.setAuthTag(tag);
      decipher.setAAD(aad, { plaintextLength: ciphertext.length });
      const out = decipher.update(ciphertext.length === 0 ? new Uint8Array(0) : ciphertext);
      try {
        decipher.final();
      } catch {
        return undefined; // authentication failed; the reason is the same for every cause
      }
      return asBytes(out);
    }
    const decipher = createDecipheriv(name as CipherGCMTypes, this.#key, nonce, options);
    decipher.setAuthTag(tag);
    decipher.setAAD(aad);
    const out = decipher.update(ciphertext);
    try {
      decipher.final();
    } catch {
      return undefined; // authentication failed
    }
    // A plain view, no copy: opened plaintext travels up to the pure layers, where Buffer's
    // sharing slice() must not appear.
    return asBytes(out);
  }
}

export function createNodeAead(algorithm: AeadAlgorithm, key: Uint8Array): Aead {
  return new NodeAead(algorithm, key);
}

const blockSpecs: Record<BlockCipherAlgorithm, { keyLength: number; blockSize: number }> = {
  'aes-128-cbc': { keyLength: 16, blockSize: 16 },
  'aes-256-cbc': { keyLength: 32, blockSize: 16 },
  'des-ede3-cbc': { keyLength: 24, blockSize: 8 },
};

class NodeBlockCipher implements BlockCipher {
  readonly algorithm: BlockCipherAlgorithm;
  readonly keyLength: number;
  readonly blockSize: number;
  readonly #key: Uint8Array;

  constructor(algorithm: BlockCipherAlgorithm, key: Uint8Array) {
    const spec = blockSpecs[algorithm];
    if (spec === undefined)
      throw new CryptoError('ERR_CRYPTO_UNSUPPORTED_ALGORITHM', `unsupported cipher ${String(algorithm)}`);
    requireKeyLength(algorithm, key, spec.keyLength);
    this.algorithm = algorithm;
    this.keyLength = spec.keyLength;
    this.blockSize = spec.blockSize;
    this.#key = key.slice();
  }

  #run(encrypt: boolean, iv: Uint8Array, data: Uint8Array): Uint8Array {
    if (data.length % this.blockSize !== 0 || iv.length !== this.blockSize) {
      throw new CryptoError(
        'ERR_CRYPTO_INVALID_LENGTH',
        `${this.algorithm} needs whole ${this.blockSize}-byte blocks and IV`,
      );
    }
    const cipher = encrypt
      ? createCipheriv(this.algorithm, this.#key, iv)
      : createDecipheriv(this.algorithm, this.#key, iv);
    cipher.setAutoPadding(false);
    const out = cipher.update(data);
    const rest = cipher.final();
    return rest.length === 0 ? asBytes(out) : concatParts([out, rest]);
  }

  encrypt(iv: Uint8Array, data: Uint8Array): Uint8Array {
    return this.#run(true, iv, data);
  }

  decrypt(iv: Uint8Array, data: Uint8Array): Uint8Array {
    return this.#run(false, iv, data);
  }
}

export function createNodeBlockCipher(algorithm: BlockCipherAlgorithm, key: Uint8Array): BlockCipher {
  return new NodeBlockCipher(algorithm, key);
}
