// CBC record protection for TLS 1.0-1.2 (RFC 2246 §6.2.3.2, RFC 4346 §6.2.3.2, RFC 5246
// §6.2.3.2): HMAC then pad then encrypt, or encrypt-then-MAC when negotiated (RFC 7366).
// TLS 1.1 and 1.2 carry a random explicit IV per record; TLS 1.0 chains the last ciphertext
// block of the previous record as the next IV.
//
// MAC-then-encrypt is the home of padding oracles (Vaudenay, Lucky 13). When opening, the padding
// is checked over a fixed window without early exit, the MAC is always computed (over the data
// as if the padding were empty when it is bad), the bytes the MAC did not cover are hashed as
// well so the hashing work does not depend on the padding length, and the verdict is one
// constant-time comparison folded with the padding result. Every failure is the same
// bad_record_mac (RFC 5246 §6.2.3.2, "implementations MUST ensure ... same alert").

import type { BlockCipher, BlockCipherAlgorithm, CryptoProvider, HashName } from '@tls/crypto';
import { AlertDescription } from '../alert.js';
import { RecordLimits } from '../content-type.js';
import { TlsError, badRecordMac } from '../errors.js';
import { tls12PseudoHeader } from './tls12-common.js';
import type { SequenceNumber } from '../sequence.js';
import type { OpenedRecord, RecordProtection } from './protection.js';
import { recordHeader } from './protection.js';
import { concatBytes, copyBytes } from '../bytes.js';

class Tls12CbcProtection implements RecordProtection {
  readonly kind = 'tls12-cbc';
  readonly maxExpansion = RecordLimits.Tls12MaxExpansion;
  readonly confidentialityLimit = Number.POSITIVE_INFINITY;
  readonly #provider: CryptoProvider;
  readonly #cipher: BlockCipher;
  readonly #macHash: HashName;
  readonly #macKey: Uint8Array;
  readonly #macLength: number;
  readonly #explicitIv: boolean;
  readonly #encryptThenMac: boolean;
  /** TLS 1.0: the IV of the next record, the last ciphertext block of the previous one. */
  #chainedIv: Uint8Array;

  constructor(provider: CryptoProvider, cipher: BlockCipher, keys: Tls12CbcKeys) {
    this.#provider = provider;
    this.#cipher = cipher;
    this.#macHash = keys.macHash;
    this.#macKey = copyBytes(keys.macKey);
    this.#macLength = provider.hashLength(keys.macHash);
    this.#explicitIv = keys.version >= 0x0302;
    this.#encryptThenMac = keys.encryptThenMac ?? false;
    this.#chainedIv = copyBytes(keys.iv ?? new Uint8Array(cipher.blockSize));
  }

  #mac(sequence: SequenceNumber, contentType: number, version: number, data: Uint8Array): Uint8Array {
    return this.#provider.hmac(this.#macHash, this.#macKey, [
      tls12PseudoHeader(sequence, contentType, version, data.length),
      data,
    ]);
  }

  #nextIv(): Uint8Array {
    return this.#explicitIv ? this.#provider.random(this.#cipher.blockSize) : this.#chainedIv;
  }

  #encrypt(iv: Uint8Array, padded: Uint8Array): Uint8Array {
    const ciphertext = this.#cipher.encrypt(iv, padded);
    if (!this.#explicitIv)
      this.#chainedIv = copyBytes(ciphertext, ciphertext.length - this.#cipher.blockSize);
    return ciphertext;
  }

  /** `content` followed by TLS padding: padding_length + 1 bytes, each equal to padding_length. */
  #pad(parts: readonly Uint8Array[]): Uint8Array {
    const blockSize = this.#cipher.blockSize;
    let length = 0;
    for (const part of parts) length += part.length;
    const paddingLength = blockSize - 1 - (length % blockSize);
    const padded = new Uint8Array(length + paddingLength + 1);
    let offset = 0;
    for (const part of parts) {
      padded.set(part, offset);
      offset += part.length;
    }
    padded.fill(paddingLength, offset);
    return padded;
  }

  seal(
    contentType: number,
    version: number,
    fragment: Uint8Array,
    sequence: SequenceNumber,
    out: Uint8Array[],
  ): void {
    const iv = this.#nextIv();
    if (this.#encryptThenMac) {
      const ciphertext = this.#encrypt(iv, this.#pad([fragment]));
      const body = this.#explicitIv ? [iv, ciphertext] : [ciphertext];
      const covered = body.length === 2 ? concatBytes(body) : ciphertext;
      const mac = this.#mac(sequence, contentType, version, covered);
      out.push(recordHeader(contentType, version, covered.length + mac.length), covered, mac);
      return;
    }
    const mac = this.#mac(sequence, contentType, version, fragment);
    const ciphertext = this.#encrypt(iv, this.#pad([fragment, mac]));
    const length = ciphertext.length + (this.#explicitIv ? iv.length : 0);
    out.push(recordHeader(contentType, version, length));
    if (this.#explicitIv) out.push(iv);
    out.push(ciphertext);
  }

  open(header: Uint8Array, body: Uint8Array, sequence: SequenceNumber): OpenedRecord {
    const contentType = header[0]!;
    const version = (header[1]! << 8) | header[2]!;
    const fragment = this.#encryptThenMac
      ? this.#openEncryptThenMac(contentType, version, body, sequence)
      : this.#openMacThenEncrypt(contentType, version, body, sequence);
    if (fragment.length > RecordLimits.MaxPlaintext) {
      throw new TlsError(
        'ERR_SSL_DATA_LENGTH_TOO_LONG',
        AlertDescription.RecordOverflow,
        `record carries ${fragment.length} bytes, over 2^14`,
      );
    }
    return { contentType, fragment };
  }

  #decrypt(body: Uint8Array): Uint8Array {
    const blockSize = this.#cipher.blockSize;
    const ivLength = this.#explicitIv ? blockSize : 0;
    const iv = this.#explicitIv ? body.subarray(0, blockSize) : this.#chainedIv;
    const ciphertext = body.subarray(ivLength);
    if (!this.#explicitIv) this.#chainedIv = copyBytes(ciphertext, ciphertext.length - blockSize);
    return this.#cipher.decrypt(iv, ciphertext);
  }

  #openEncryptThenMac(
    contentType: number,
    version: number,
    body: Uint8Array,
    sequence: SequenceNumber,
  ): Uint8Array {
    const blockSize = this.#cipher.blockSize;
    const ivLength = this.#explicitIv ? blockSize : 0;
    const covered = body.length - this.#macLength;
    if (covered < ivLength + blockSize || (covered - ivLength) % blockSize !== 0)
      throw badRecordMac('RFC 5246 §6.2.3');
    const expected = this.#mac(sequence, contentType, version, body.subarray(0, covered));
    // RFC 7366 §3: the MAC is checked before anything is decrypted, so padding can leak nothing.
    if (!this.#provider.timingSafeEqual(expected, body.subarray(covered)))
      throw badRecordMac('RFC 5246 §6.2.3');
    const plaintext = this.#decrypt(body.subarray(0, covered));
    const paddingLength = plaintext[plaintext.length - 1]!;
    if (paddingLength + 1 > plaintext.length) throw badRecordMac('RFC 5246 §6.2.3');
    for (let i = plaintext.length - 1 - paddingLength; i < plaintext.length; i++) {
      if (plaintext[i] !== paddingLength) throw badRecordMac('RFC 5246 §6.2.3');
    }
    return plaintext.subarray(0, plaintext.length - paddingLength - 1);
  }

  #openMacThenEncrypt(
    contentType: number,
    version: number,
    body: Uint8Array,
    sequence: SequenceNumber,
  ): Uint8Array {
    const blockSize = this.#cipher.blockSize;
    const ivLength = this.#explicitIv ? blockSize : 0;
    const macLength = this.#macLength;
    const encryptedLength = body.length - ivLength;
    // The shortest valid record holds the MAC and one padding byte, rounded up to whole blocks.
    if (
      encryptedLength % blockSize !== 0 ||
      encryptedLength < Math.ceil((macLength + 1) / blockSize) * blockSize
    ) {
      throw badRecordMac('RFC 5246 §6.2.3');
    }
    const plaintext = this.#decrypt(body);
    const length = plaintext.length;
    const paddingLength = plaintext[length - 1]!;
    // good = 1 when padding_length + 1 + macLength fits, computed without a branch.
    let good = ((length - (paddingLength + 1 + macLength)) >>> 31) ^ 1;
    // Check a fixed window of up to 256 trailing bytes: those within the padding must equal it.
    const window = Math.min(256, length);
    let mismatch = 0;
    for (let i = 0; i < window; i++) {
      const inPadding = ((i - paddingLength - 1) >>> 31) & 1; // 1 when i <= paddingLength
      mismatch |= -inPadding & (plaintext[length - 1 - i]! ^ paddingLength);
    }
    good &= ((mismatch - 1) >>> 31) & 1; // 1 when mismatch === 0
    // With bad padding, MAC the data as if there were no padding, so the work is the same.
    const effectivePadding = paddingLength & -good;
    const dataLength = length - macLength - effectivePadding - 1;
    const data = plaintext.subarray(0, dataLength);
    const expected = this.#mac(sequence, contentType, version, data);
    // Lucky 13: hash the bytes the MAC skipped too, so the hashed length is the same for every padding.
    this.#provider.hash(this.#macHash, plaintext.subarray(dataLength, dataLength + effectivePadding));
    const macGood = this.#provider.timingSafeEqual(
      expected,
      plaintext.subarray(dataLength, dataLength + macLength),
    )
      ? 1
      : 0;
    if ((good & macGood) !== 1) throw badRecordMac('RFC 5246 §6.2.3');
    return data;
  }
}

export interface Tls12CbcKeys {
  readonly cipher: BlockCipherAlgorithm;
  readonly key: Uint8Array;
  readonly macHash: HashName;
  readonly macKey: Uint8Array;
  /** Record version: 0x0301 (TLS 1.0, chained IVs), 0x0302 or 0x0303 (explicit IVs). */
  readonly version: number;
  /** TLS 1.0 only: the initial IV from the key block. */
  readonly iv?: Uint8Array;
  /** RFC 7366 encrypt_then_mac negotiated. */
  readonly encryptThenMac?: boolean;
}

/**
 * CBC protection for one direction from its slice of the key block (RFC 5246 §6.3).
 * @throws RangeError when TLS 1.0 is asked for without its initial IV.
 */
export function createTls12CbcProtection(provider: CryptoProvider, keys: Tls12CbcKeys): RecordProtection {
  if (keys.version < 0x0302 && keys.iv === undefined)
    throw new RangeError('TLS 1.0 CBC needs the initial IV from the key block');
  return new Tls12CbcProtection(provider, provider.createBlockCipher(keys.cipher, keys.key), keys);
}
