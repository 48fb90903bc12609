// ServerKeyExchange (RFC 5246 §7.4.3) for ECDHE (RFC 8422 §5.4, named curves only) and DHE,
// with the signature over client_random + server_random + params that the client checks.

import { type Reader, Writer } from '@tls/record';
import { HandshakeType, type ProtocolVersion } from '../../enums.js';
import { illegalParameter } from '../../errors.js';
import { encodeHandshake, openHandshake } from '../handshake.js';
import { type DigitallySigned, readDigitallySigned, writeDigitallySigned } from './digitally-signed.js';
import { copyBytes } from '@tls/record';

/** ECCurveType named_curve (RFC 8422 §5.4); explicit curves are deprecated and refused. */
export const namedCurveType = 3;

/** `ServerECDHParams` and its signature. */
export interface EcdheServerKeyExchange {
  readonly kind: 'ecdhe';
  /** A NamedGroup (RFC 8422 §5.1.1 NamedCurve, including x25519/x448). */
  readonly namedCurve: number;
  /** `opaque point<1..2^8-1>`: the server's ephemeral public key. */
  readonly publicKey: Uint8Array;
  readonly signed: DigitallySigned;
}

/** `ServerDHParams` and its signature. */
export interface DheServerKeyExchange {
  readonly kind: 'dhe';
  /** `opaque dh_p<1..2^16-1>`, big-endian. */
  readonly p: Uint8Array;
  /** `opaque dh_g<1..2^16-1>`. */
  readonly g: Uint8Array;
  /** `opaque dh_Ys<1..2^16-1>`: the server's public value. */
  readonly publicKey: Uint8Array;
  readonly signed: DigitallySigned;
}

export type ServerKeyExchange = EcdheServerKeyExchange | DheServerKeyExchange;
export type DecodedServerKeyExchange = ServerKeyExchange & { readonly original: Uint8Array };

/**
 * @param keyExchange the negotiated suite's key exchange (the message itself does not say).
 * @throws TlsError `ERR_SSL_DECODE_ERROR` when malformed; `ERR_SSL_ILLEGAL_PARAMETER` for explicit curve parameters.
 */
export function readServerKeyExchange(
  reader: Reader,
  keyExchange: 'ecdhe' | 'dhe',
  version: ProtocolVersion,
): ServerKeyExchange {
  let message: ServerKeyExchange;
  if (keyExchange === 'ecdhe') {
    const curveType = reader.u8('ECCurveType');
    // RFC 8422 §5.4: explicit_prime (1) and explicit_char2 (2) are deprecated.
    if (curveType !== namedCurveType) {
      throw illegalParameter(
        `server sent ECDH parameters with curve type ${curveType}, not named_curve (RFC 8422 §5.4)`,
      );
    }
    const namedCurve = reader.u16('NamedCurve');
    const publicKey = reader.vector(1, 'ECPoint', 1);
    message = { kind: 'ecdhe', namedCurve, publicKey, signed: readDigitallySigned(reader, version) };
  } else {
    const p = reader.vector(2, 'dh_p', 1);
    const g = reader.vector(2, 'dh_g', 1);
    const publicKey = reader.vector(2, 'dh_Ys', 1);
    message = { kind: 'dhe', p, g, publicKey, signed: readDigitallySigned(reader, version) };
  }
  reader.expectEnd('ServerKeyExchange');
  return message;
}

function writeParams(writer: Writer, message: ServerKeyExchange): void {
  if (message.kind === 'ecdhe') {
    writer.u8(namedCurveType).u16(message.namedCurve).vector(1, message.publicKey);
  } else {
    writer.vector(2, message.p).vector(2, message.g).vector(2, message.publicKey);
  }
}

/** Writes what `readServerKeyExchange` reads. @throws RangeError when a field is too long for its length prefix. */
export function writeServerKeyExchange(writer: Writer, message: ServerKeyExchange): void {
  writeParams(writer, message);
  writeDigitallySigned(writer, message.signed);
}

/** Decodes a complete ServerKeyExchange (header included). @throws see `readServerKeyExchange`. */
export function decodeServerKeyExchange(
  message: Uint8Array,
  keyExchange: 'ecdhe' | 'dhe',
  version: ProtocolVersion,
): DecodedServerKeyExchange {
  const original = copyBytes(message);
  const reader = openHandshake(original, HandshakeType.ServerKeyExchange);
  return { ...readServerKeyExchange(reader, keyExchange, version), original };
}

/** Encodes a ServerKeyExchange with its header. @throws RangeError when a field is too long. */
export function encodeServerKeyExchange(message: ServerKeyExchange): Uint8Array {
  const size = message.kind === 'dhe' ? message.p.length * 3 + 600 : 600;
  return encodeHandshake(HandshakeType.ServerKeyExchange, (w) => writeServerKeyExchange(w, message), size);
}

/**
 * The bytes the server signs and the client verifies: client_random + server_random + params
 * (RFC 5246 §7.4.3, RFC 8422 §5.4), params being the ServerECDHParams or ServerDHParams.
 * @example provider.verify(message.signed.algorithm, serverKey, serverKeyExchangeSignedContent(cr, sr, message), message.signed.signature)
 */
export function serverKeyExchangeSignedContent(
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
  message: ServerKeyExchange,
): Uint8Array {
  // Sized exactly: the @tls/record Writer must not grow (see messages/handshake.ts).
  const paramsLength =
    message.kind === 'ecdhe'
      ? 4 + message.publicKey.length
      : 6 + message.p.length + message.g.length + message.publicKey.length;
  const params = new Writer(clientRandom.length + serverRandom.length + paramsLength);
  params.bytes(clientRandom).bytes(serverRandom);
  writeParams(params, message);
  return copyBytes(params.finish());
}
