// TLS 1.2 AEAD record protection (RFC 5246 §6.2.3.3): additional data is
// seq_num ‖ type ‖ version ‖ length. AES-GCM (RFC 5288 §3) and AES-CCM (RFC 6655 §3) use a 4-byte
// implicit salt and an 8-byte explicit nonce carried in each record (ours is the sequence
// number, which is unique per key); ChaCha20-Poly1305 (RFC 7905 §2) XORs the sequence number
// into a 12-byte implicit IV and carries no explicit nonce.

import type { Aead, AeadAlgorithm, CryptoProvider } from '@tls/crypto';
import { AlertDescription } from '../alert.js';
import { RecordLimits } from '../content-type.js';
import { TlsError, badRecordMac } from '../errors.js';
import { tls12PseudoHeader } from './tls12-common.js';
import type { SequenceNumber } from '../sequence.js';
import type { OpenedRecord, RecordProtection } from './protection.js';
import { recordHeader } from './protection.js';
import { copyBytes, recordBytes } from '../bytes.js';

/**
 * The nonce (bytes 0..12) and the additional data (16..29) of the record being sealed or opened:
 * an AEAD reads them during the call and does not keep them, so one array serves every record of
 * every connection (none kept per key).
 */
const scratch = new Uint8Array(32);

class Tls12AeadProtection implements RecordProtection {
  readonly kind = 'tls12-aead';
  readonly maxExpansion = RecordLimits.Tls12MaxExpansion;
  readonly confidentialityLimit: number;
  readonly #aead: Aead;
  readonly #fixedIv: Uint8Array;
  readonly #explicitNonceLength: number;

  constructor(aead: Aead, fixedIv: Uint8Array) {
    this.#aead = aead;
    this.#fixedIv = fixedIv;
    this.#explicitNonceLength = fixedIv.length === 4 ? 8 : 0;
    this.confidentialityLimit =
      aead.algorithm === 'aes-128-gcm' || aead.algorithm === 'aes-256-gcm'
        ? 2 ** 24
        : Number.POSITIVE_INFINITY;
  }

  #nonce(sequence: SequenceNumber): Uint8Array {
    const nonce = scratch.subarray(0, 12);
    nonce.set(this.#fixedIv);
    if (this.#explicitNonceLength === 8) sequence.writeTo(nonce, 4);
    else sequence.xorIntoNonce(nonce);
    return nonce;
  }

  seal(
    contentType: number,
    version: number,
    fragment: Uint8Array,
    sequence: SequenceNumber,
    out: Uint8Array[],
  ): void {
    const nonce = this.#nonce(sequence);
    const aad = tls12PseudoHeader(sequence, contentType, version, fragment.length, scratch.subarray(16, 29));
    const explicit = this.#explicitNonceLength;
    const bodyLength = explicit + fragment.length + this.#aead.tagLength;
    const sealed = this.#aead.seal(nonce, aad, [fragment]);
    if (explicit === 0) {
      out.push(recordHeader(contentType, version, bodyLength, recordBytes.take(5)));
    } else {
      // One small buffer for the header and the explicit nonce that follows it.
      const head = new Uint8Array(5 + explicit);
      head.set(recordHeader(contentType, version, bodyLength));
      head.set(nonce.subarray(4), 5);
      out.push(head);
    }
    for (const part of sealed) out.push(part);
  }

  open(header: Uint8Array, body: Uint8Array, sequence: SequenceNumber): OpenedRecord {
    const explicit = this.#explicitNonceLength;
    const tagLength = this.#aead.tagLength;
    if (body.length < explicit + tagLength) throw badRecordMac('RFC 5246 §6.2.3');
    const nonce = scratch.subarray(0, 12);
    nonce.set(this.#fixedIv);
    if (explicit === 8) nonce.set(body.subarray(0, 8), 4);
    else sequence.xorIntoNonce(nonce);
    const plaintextLength = body.length - explicit - tagLength;
    const contentType = header[0]!;
    const version = (header[1]! << 8) | header[2]!;
    const aad = tls12PseudoHeader(sequence, contentType, version, plaintextLength, scratch.subarray(16, 29));
    const fragment = this.#aead.open(
      nonce,
      aad,
      body.subarray(explicit, explicit + plaintextLength),
      body.subarray(explicit + plaintextLength),
    );
    if (fragment === undefined) throw badRecordMac('RFC 5246 §6.2.3');
    if (fragment.length > RecordLimits.MaxPlaintext) {
      throw new TlsError(
        'ERR_SSL_DATA_LENGTH_TOO_LONG',
        AlertDescription.RecordOverflow,
        `record carries ${fragment.length} bytes, over 2^14`,
      );
    }
    return { contentType, fragment };
  }
}

export interface Tls12AeadKeys {
  readonly aead: AeadAlgorithm;
  readonly key: Uint8Array;
  /** The implicit part of the nonce from the key block: 4 bytes for GCM/CCM, 12 for ChaCha20. */
  readonly fixedIv: Uint8Array;
}

/**
 * TLS 1.2 AEAD protection for one direction from its slice of the key block (RFC 5246 §6.3).
 * @throws RangeError when `fixedIv` is not 4 (GCM, CCM) or 12 (ChaCha20-Poly1305) bytes.
 */
export function createTls12AeadProtection(provider: CryptoProvider, keys: Tls12AeadKeys): RecordProtection {
  const expected = keys.aead === 'chacha20-poly1305' ? 12 : 4;
  if (keys.fixedIv.length !== expected)
    throw new RangeError(`${keys.aead} in TLS 1.2 needs a ${expected}-byte fixed IV`);
  return new Tls12AeadProtection(provider.createAead(keys.aead, keys.key), copyBytes(keys.fixedIv));
}
