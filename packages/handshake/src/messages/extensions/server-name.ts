// server_name (RFC 6066 §3). The ClientHello carries a ServerNameList; the server acknowledges
// with an empty extension (EncryptedExtensions in TLS 1.3, ServerHello in TLS 1.2).

import type { Reader, Writer } from '@tls/record';
import { ServerNameType } from '../../enums.js';
import { illegalParameter } from '../../errors.js';

export interface ServerName {
  /** NameType; only host_name (0) is defined. */
  readonly nameType: number;
  /** The name bytes as sent: ASCII for host_name, without a trailing dot (RFC 6066 §3). */
  readonly name: Uint8Array;
}

/** The ClientHello form: a ServerNameList. */
export interface ServerNameList {
  readonly kind: 'server_name';
  readonly serverNameList: readonly ServerName[];
}

/**
 * Reads a ServerNameList (RFC 6066 §3: `ServerName server_name_list<1..2^16-1>`).
 * @throws TlsError `ERR_SSL_DECODE_ERROR` when malformed, `ERR_SSL_ILLEGAL_PARAMETER` when a name type repeats.
 */
export function readServerNameList(reader: Reader): ServerNameList {
  const list = reader.child(2, 'server_name_list', 1);
  const serverNameList: ServerName[] = [];
  const seen = new Set<number>();
  while (list.remaining > 0) {
    const nameType = list.u8('server_name.name_type');
    // RFC 6066 §3: "The ServerNameList MUST NOT contain more than one name of the same name_type."
    if (seen.has(nameType)) {
      throw illegalParameter(`client sent two server names of type ${nameType} (RFC 6066 §3)`);
    }
    seen.add(nameType);
    // Every name type defined so far (only host_name) is an opaque<1..2^16-1>.
    serverNameList.push({ nameType, name: list.vector(2, 'server_name.name', 1) });
  }
  return { kind: 'server_name', serverNameList };
}

/** Writes what `readServerNameList` reads. @throws RangeError when a field is too long for its length prefix. */
export function writeServerNameList(writer: Writer, extension: ServerNameList): void {
  writer.lengthPrefixed(2, (w) => {
    for (const entry of extension.serverNameList) w.u8(entry.nameType).vector(2, entry.name);
  });
}

/**
 * A ServerNameList holding one host name, for a client to send.
 * @example serverNameList('example.com')
 */
export function serverNameList(hostName: string): ServerNameList {
  const name = new Uint8Array(hostName.length);
  for (let i = 0; i < hostName.length; i++) name[i] = hostName.charCodeAt(i);
  return { kind: 'server_name', serverNameList: [{ nameType: ServerNameType.HostName, name }] };
}

/**
 * The host_name of a ServerNameList as a string, or `undefined` when there is none.
 * @throws TlsError `ERR_SSL_ILLEGAL_PARAMETER` when the name is not printable ASCII or ends with a dot
 *   (RFC 6066 §3: "ASCII encoding without a trailing dot").
 */
export function getHostName(extension: ServerNameList): string | undefined {
  const entry = extension.serverNameList.find((e) => e.nameType === ServerNameType.HostName);
  if (entry === undefined) return undefined;
  let hostName = '';
  for (const byte of entry.name) {
    if (byte <= 0x20 || byte >= 0x7f) {
      throw illegalParameter('client sent a host_name that is not printable ASCII (RFC 6066 §3)');
    }
    hostName += String.fromCharCode(byte);
  }
  if (hostName.endsWith('.'))
    throw illegalParameter('client sent a host_name with a trailing dot (RFC 6066 §3)');
  return hostName;
}
