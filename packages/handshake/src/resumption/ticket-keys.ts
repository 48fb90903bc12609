// Server session tickets (RFC 5077 §4's recommended format, used for TLS 1.3 tickets too): the
// 48-byte key Node exposes through getTicketKeys()/setTicketKeys() is key_name (16) ‖ HMAC-SHA256
// key (16) ‖ AES-128 key (16). A ticket is key_name ‖ IV (16) ‖ AES-128-CBC(state) ‖
// HMAC-SHA256(key_name ‖ IV ‖ ciphertext). The MAC is checked in constant time before anything
// is decrypted; a ticket that fails any check is simply not used (a full handshake follows).

import type { BlockCipher, CryptoProvider } from '@tls/crypto';
import { copyBytes } from '../client/common.js';

const nameLength = 16;
const ivLength = 16;
const macLength = 32;

const ticketKeys = new WeakMap<Uint8Array, TicketKey>();

/** One ticket key (48 bytes) and the operations on tickets it protects. */
export class TicketKey {
  /**
   * The key for `keys`, made once per provider and key array: a server seals a ticket or two per
   * handshake with the same key, and making it imports the AES key into OpenSSL. The bytes are
   * compared on each use, so keys changed in place take effect at once.
   */
  static for(provider: CryptoProvider, keys: Uint8Array): TicketKey {
    const cached = ticketKeys.get(keys);
    if (
      cached !== undefined &&
      cached.#provider === provider &&
      provider.timingSafeEqual(cached.#keys, keys)
    ) {
      return cached;
    }
    const key = new TicketKey(provider, keys);
    ticketKeys.set(keys, key);
    return key;
  }

  readonly #provider: CryptoProvider;
  readonly #name: Uint8Array;
  readonly #macKey: Uint8Array;
  readonly #cipher: BlockCipher;
  /** A copy of the 48 bytes, to notice keys changed in place. */
  readonly #keys: Uint8Array;

  /**
   * @throws RangeError `ERR_INVALID_ARG_VALUE`-style when `keys` is not 48 bytes (as Node's setTicketKeys).
   */
  constructor(provider: CryptoProvider, keys: Uint8Array) {
    if (keys.length !== 48) {
      throw Object.assign(new RangeError(`ticket keys must be 48 bytes, got ${keys.length}`), {
        code: 'ERR_INVALID_ARG_VALUE',
      });
    }
    this.#provider = provider;
    this.#keys = copyBytes(keys);
    this.#name = copyBytes(keys.subarray(0, 16));
    this.#macKey = copyBytes(keys.subarray(16, 32));
    this.#cipher = provider.createBlockCipher('aes-128-cbc', keys.subarray(32, 48));
  }

  /** Protects `state` (PKCS#7 padded, encrypted, authenticated). */
  seal(state: Uint8Array): Uint8Array {
    const padding = 16 - (state.length % 16);
    const padded = new Uint8Array(state.length + padding);
    padded.set(state);
    padded.fill(padding, state.length);
    const iv = this.#provider.random(ivLength);
    const ciphertext = this.#cipher.encrypt(iv, padded);
    const ticket = new Uint8Array(nameLength + ivLength + ciphertext.length + macLength);
    ticket.set(this.#name, 0);
    ticket.set(iv, nameLength);
    ticket.set(ciphertext, nameLength + ivLength);
    const covered = ticket.subarray(0, ticket.length - macLength);
    ticket.set(this.#provider.hmac('sha256', this.#macKey, covered), covered.length);
    return ticket;
  }

  /** The state inside `ticket`, or undefined when it is not ours, forged, or malformed. */
  open(ticket: Uint8Array): Uint8Array | undefined {
    const ciphertextLength = ticket.length - nameLength - ivLength - macLength;
    if (ciphertextLength < 16 || ciphertextLength % 16 !== 0) return undefined;
    for (let i = 0; i < nameLength; i++) if (ticket[i] !== this.#name[i]) return undefined;
    const covered = ticket.subarray(0, ticket.length - macLength);
    if (
      !this.#provider.timingSafeEqual(
        this.#provider.hmac('sha256', this.#macKey, covered),
        ticket.subarray(covered.length),
      )
    ) {
      return undefined;
    }
    const padded = this.#cipher.decrypt(
      ticket.subarray(nameLength, nameLength + ivLength),
      ticket.subarray(nameLength + ivLength, covered.length),
    );
    const padding = padded[padded.length - 1]!;
    if (padding < 1 || padding > 16) return undefined;
    return padded.subarray(0, padded.length - padding);
  }
}
