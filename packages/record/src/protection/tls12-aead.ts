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
 * The nonce and the additional data of the record being sealed or opened, and the one-part
 * plaintext list: the AEAD reads them during the call and keeps none of them, and sealing and
 * opening are synchronous, so these serve every record of every connection (no view or array
 * made per record, none kept per connection).
 */
const nonceScratch = new Uint8Array(12);
const aadScratch = new Uint8Array(13);
const sealInput: Uint8Array[] = [];
const noBytes = new Uint8Array(0);

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
    const nonce = nonceScratch;
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
    const aad = tls12PseudoHeader(sequence, contentType, version, fragment.length, aadScratch);
    const explicit = this.#explicitNonceLength;
    const bodyLength = explicit + fragment.length + this.#aead.tagLength;
    sealInput[0] = fragment;
    const sealed = this.#aead.seal(nonce, aad, sealInput);
    sealInput[0] = noBytes; // not kept: the caller's buffer stays the caller's
    // The header and the explicit nonce that follows it, carved from the slab in one piece.
    const head = recordHeader(contentType, version, bodyLength, recordBytes.take(5 + explicit));
    if (explicit !== 0) sequence.writeTo(head, 5);
    out.push(head);
    for (const part of sealed) out.push(part);
  }

  open(header: Uint8Array, body: Uint8Array, sequence: SequenceNumber): OpenedRecord {
    const explicit = this.#explicitNonceLength;
    const tagLength = this.#aead.tagLength;
    if (body.length < explicit + tagLength) throw badRecordMac('RFC 5246 §6.2.3');
    const nonce = nonceScratch;
    nonce.set(this.#fixedIv);
    if (explicit === 8)
      for (let i = 0; i < 8; i++) nonce[4 + i] = body[i]!; // no view per record
    else sequence.xorIntoNonce(nonce);
    const plaintextLength = body.length - explicit - tagLength;
    const contentType = header[0]!;
    const version = (header[1]! << 8) | header[2]!;
    const aad = tls12PseudoHeader(sequence, contentType, version, plaintextLength, aadScratch);
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
