// key_share (RFC 8446 §4.2.8): the client's shares, the server's one share, and the group a
// HelloRetryRequest asks for.

import type { Reader, Writer } from '@tls/record';
import type { NamedGroup } from '@tls/crypto';
import { namedGroupName } from '@tls/crypto';
import { illegalParameter } from '../../errors.js';

export interface KeyShareEntry {
  readonly group: NamedGroup;
  /** `opaque key_exchange<1..2^16-1>`: the public share in the group's format (RFC 8446 §4.2.8.1/2). */
  readonly keyExchange: Uint8Array;
}

/** ClientHello: `KeyShareEntry client_shares<0..2^16-1>`. */
export interface KeyShareClientHello {
  readonly kind: 'key_share';
  readonly clientShares: readonly KeyShareEntry[];
}

/** ServerHello: `KeyShareEntry server_share`. */
export interface KeyShareServerHello {
  readonly kind: 'key_share';
  readonly serverShare: KeyShareEntry;
}

/** HelloRetryRequest: `NamedGroup selected_group`. */
export interface KeyShareHelloRetryRequest {
  readonly kind: 'key_share';
  readonly selectedGroup: NamedGroup;
}

export type KeyShareExtension = KeyShareClientHello | KeyShareServerHello | KeyShareHelloRetryRequest;

function readEntry(reader: Reader): KeyShareEntry {
  const group = reader.u16('KeyShareEntry.group');
  return { group, keyExchange: reader.vector(2, 'KeyShareEntry.key_exchange', 1) };
}

/**
 * @throws TlsError `ERR_SSL_DECODE_ERROR` when malformed; `ERR_SSL_ILLEGAL_PARAMETER` when two
 *   shares are for the same group (RFC 8446 §4.2.8: "Clients MUST NOT offer multiple KeyShareEntry
 *   values for the same group").
 */
export function readKeyShareClientHello(reader: Reader): KeyShareClientHello {
  const list = reader.child(2, 'client_shares');
  const clientShares: KeyShareEntry[] = [];
  const groups = new Set<number>();
  while (list.remaining > 0) {
    const entry = readEntry(list);
    if (groups.has(entry.group)) {
      throw illegalParameter(
        `client offered two key shares for ${namedGroupName(entry.group)} (RFC 8446 §4.2.8)`,
      );
    }
    groups.add(entry.group);
    clientShares.push(entry);
  }
  return { kind: 'key_share', clientShares };
}

/** @throws TlsError `ERR_SSL_DECODE_ERROR` when malformed or outside the RFC's length bounds. */
export function readKeyShareServerHello(reader: Reader): KeyShareServerHello {
  return { kind: 'key_share', serverShare: readEntry(reader) };
}

/** @throws TlsError `ERR_SSL_DECODE_ERROR` when malformed or outside the RFC's length bounds. */
export function readKeyShareHelloRetryRequest(reader: Reader): KeyShareHelloRetryRequest {
  return { kind: 'key_share', selectedGroup: reader.u16('selected_group') };
}

/** Writes key_share in the form given (ClientHello, ServerHello or HelloRetryRequest). @throws RangeError when a field is too long for its length prefix. */
export function writeKeyShare(writer: Writer, extension: KeyShareExtension): void {
  if ('clientShares' in extension) {
    writer.lengthPrefixed(2, (w) => {
      for (const entry of extension.clientShares) w.u16(entry.group).vector(2, entry.keyExchange);
    });
  } else if ('serverShare' in extension) {
    writer.u16(extension.serverShare.group).vector(2, extension.serverShare.keyExchange);
  } else {
    writer.u16(extension.selectedGroup);
  }
}
