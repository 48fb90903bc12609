// pre_shared_key (RFC 8446 §4.2.11): the client's OfferedPsks with their binders, and the
// server's selected_identity. The binders are the last bytes of the ClientHello (the extension
// must be last), so the truncated ClientHello that binders cover (§4.2.11.2) is everything before
// the binders list; `pskBindersLength` gives its size and `replacePskBinders` fills them in.

import type { Reader, Writer } from '@tls/record';
import { illegalParameter } from '../../errors.js';
import { copyBytes } from '@tls/record';

export interface PskIdentity {
  /** `opaque identity<1..2^16-1>`: a ticket or an external PSK label. */
  readonly identity: Uint8Array;
  /** The ticket age in milliseconds plus ticket_age_add, modulo 2^32 (RFC 8446 §4.2.11.1). */
  readonly obfuscatedTicketAge: number;
}

/** ClientHello: `OfferedPsks`. */
export interface OfferedPsks {
  readonly kind: 'pre_shared_key';
  /** `PskIdentity identities<7..2^16-1>`. */
  readonly identities: readonly PskIdentity[];
  /** `PskBinderEntry binders<33..2^16-1>`, one per identity, each `opaque<32..255>`. */
  readonly binders: readonly Uint8Array[];
}

/** ServerHello: `uint16 selected_identity`. */
export interface PreSharedKeyServerHello {
  readonly kind: 'pre_shared_key';
  readonly selectedIdentity: number;
}

export type PreSharedKeyExtension = OfferedPsks | PreSharedKeyServerHello;

/**
 * @throws TlsError `ERR_SSL_DECODE_ERROR` when malformed; `ERR_SSL_ILLEGAL_PARAMETER` when the
 *   numbers of identities and binders differ (RFC 8446 §4.2.11).
 */
export function readOfferedPsks(reader: Reader): OfferedPsks {
  const identityList = reader.child(2, 'identities', 7);
  const identities: PskIdentity[] = [];
  while (identityList.remaining > 0) {
    const identity = identityList.vector(2, 'PskIdentity.identity', 1);
    identities.push({ identity, obfuscatedTicketAge: identityList.u32('obfuscated_ticket_age') });
  }
  const binderList = reader.child(2, 'binders', 33);
  const binders: Uint8Array[] = [];
  while (binderList.remaining > 0) binders.push(binderList.vector(1, 'PskBinderEntry', 32));
  if (binders.length !== identities.length) {
    throw illegalParameter(
      `client sent ${identities.length} PSK identities but ${binders.length} binders (RFC 8446 §4.2.11)`,
    );
  }
  return { kind: 'pre_shared_key', identities, binders };
}

/** @throws TlsError `ERR_SSL_DECODE_ERROR` when malformed or outside the RFC's length bounds. */
export function readPreSharedKeyServerHello(reader: Reader): PreSharedKeyServerHello {
  return { kind: 'pre_shared_key', selectedIdentity: reader.u16('selected_identity') };
}

/** Writes pre_shared_key in the form given (OfferedPsks or selected_identity). @throws RangeError when a field is too long for its length prefix. */
export function writePreSharedKey(writer: Writer, extension: PreSharedKeyExtension): void {
  if ('identities' in extension) {
    writer.lengthPrefixed(2, (w) => {
      for (const entry of extension.identities) w.vector(2, entry.identity).u32(entry.obfuscatedTicketAge);
    });
    writer.lengthPrefixed(2, (w) => {
      for (const binder of extension.binders) w.vector(1, binder);
    });
  } else {
    writer.u16(extension.selectedIdentity);
  }
}

/**
 * Bytes that the binders list takes at the end of a ClientHello: its 2-byte length plus, per
 * binder, a 1-byte length and the binder (RFC 8446 §4.2.11.2).
 * @example pskBindersLength([new Uint8Array(32)]) // 35
 */
export function pskBindersLength(binders: readonly Uint8Array[]): number {
  return binders.reduce((sum, binder) => sum + 1 + binder.length, 2);
}

/**
 * A copy of an encoded ClientHello (with its handshake header) whose binders are replaced by
 * `binders`, which must have the lengths of the ones it holds. Clients encode the ClientHello
 * with placeholder binders, hash the truncated message, then call this.
 * @throws RangeError when the lengths do not match the binders list at the end of `clientHello`.
 */
export function replacePskBinders(clientHello: Uint8Array, binders: readonly Uint8Array[]): Uint8Array {
  const length = pskBindersLength(binders);
  const start = clientHello.length - length;
  const out = copyBytes(clientHello);
  if (start < 0 || ((out[start]! << 8) | out[start + 1]!) !== length - 2) {
    throw new RangeError('binders do not match the binders list that ends the ClientHello');
  }
  let at = start + 2;
  for (const binder of binders) {
    if (out[at] !== binder.length) throw new RangeError('binder length differs from the placeholder');
    out.set(binder, at + 1);
    at += 1 + binder.length;
  }
  return out;
}

/**
 * obfuscated_ticket_age for a ticket received `ageMilliseconds` ago: the age plus ticket_age_add,
 * modulo 2^32 (RFC 8446 §4.2.11.1).
 * @example obfuscateTicketAge(1500, ticket.ticketAgeAdd)
 */
export function obfuscateTicketAge(ageMilliseconds: number, ticketAgeAdd: number): number {
  return (Math.floor(ageMilliseconds) + ticketAgeAdd) >>> 0;
}

/** The client's view of the ticket age in milliseconds, from obfuscated_ticket_age (RFC 8446 §4.2.11.1). */
export function ticketAgeFromObfuscated(obfuscatedTicketAge: number, ticketAgeAdd: number): number {
  return (obfuscatedTicketAge - ticketAgeAdd) >>> 0;
}
