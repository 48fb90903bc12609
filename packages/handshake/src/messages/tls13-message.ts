// Decoding of any TLS 1.3 handshake message by its type (RFC 8446 §4), for a state machine whose
// every state starts with `requireHandshake(message, HandshakeType.X)` (STYLE.md §5.4): the type
// is checked before any field is used, and a message type TLS 1.3 does not have is
// unexpected_message.

import { HandshakeType, handshakeTypeName } from '../enums.js';
import { unexpectedMessage } from '../errors.js';
import { type DecodedCertificate, decodeCertificate } from './certificate.js';
import { type DecodedCertificateRequest, decodeCertificateRequest } from './certificate-request.js';
import { type DecodedCertificateVerify, decodeCertificateVerify } from './certificate-verify.js';
import { type DecodedClientHello, decodeClientHello } from './client-hello.js';
import { type DecodedEncryptedExtensions, decodeEncryptedExtensions } from './encrypted-extensions.js';
import { decodeEndOfEarlyData } from './end-of-early-data.js';
import { type DecodedFinished, decodeFinished } from './finished.js';
import { type DecodedKeyUpdate, decodeKeyUpdate } from './key-update.js';
import { type DecodedNewSessionTicket, decodeNewSessionTicket } from './new-session-ticket.js';
import { type DecodedServerHello, decodeServerHello } from './server-hello.js';

const H = HandshakeType;

/** A decoded TLS 1.3 handshake message, tagged with its HandshakeType. */
export type Tls13HandshakeMessage =
  | { readonly type: typeof H.ClientHello; readonly message: DecodedClientHello }
  | { readonly type: typeof H.ServerHello; readonly message: DecodedServerHello }
  | { readonly type: typeof H.NewSessionTicket; readonly message: DecodedNewSessionTicket }
  | { readonly type: typeof H.EndOfEarlyData; readonly message: { readonly original: Uint8Array } }
  | { readonly type: typeof H.EncryptedExtensions; readonly message: DecodedEncryptedExtensions }
  | { readonly type: typeof H.Certificate; readonly message: DecodedCertificate }
  | { readonly type: typeof H.CertificateRequest; readonly message: DecodedCertificateRequest }
  | { readonly type: typeof H.CertificateVerify; readonly message: DecodedCertificateVerify }
  | { readonly type: typeof H.Finished; readonly message: DecodedFinished }
  | { readonly type: typeof H.KeyUpdate; readonly message: DecodedKeyUpdate };

/** The decoded message type for HandshakeType `T`. */
export type Tls13MessageOf<T extends Tls13HandshakeMessage['type']> = Extract<
  Tls13HandshakeMessage,
  { type: T }
>['message'];

export interface DecodeTls13Options {
  /** verify_data length of a Finished: the negotiated suite's hash length. */
  readonly finishedLength: number;
}

/**
 * Decodes one complete TLS 1.3 handshake message (header included) by its type.
 * @throws TlsError `ERR_SSL_UNEXPECTED_MESSAGE` for a type TLS 1.3 does not use (HelloRequest,
 *   ServerKeyExchange, message_hash …); otherwise whatever the message's codec throws.
 * @example decodeTls13Message(frame.bytes, { finishedLength: 32 })
 */
export function decodeTls13Message(bytes: Uint8Array, options: DecodeTls13Options): Tls13HandshakeMessage {
  const type = bytes[0];
  switch (type) {
    case H.ClientHello:
      return { type, message: decodeClientHello(bytes) };
    case H.ServerHello:
      return { type, message: decodeServerHello(bytes) };
    case H.NewSessionTicket:
      return { type, message: decodeNewSessionTicket(bytes) };
    case H.EndOfEarlyData:
      return { type, message: decodeEndOfEarlyData(bytes) };
    case H.EncryptedExtensions:
      return { type, message: decodeEncryptedExtensions(bytes) };
    case H.Certificate:
      return { type, message: decodeCertificate(bytes) };
    case H.CertificateRequest:
      return { type, message: decodeCertificateRequest(bytes) };
    case H.CertificateVerify:
      return { type, message: decodeCertificateVerify(bytes) };
    case H.Finished:
      return { type, message: decodeFinished(bytes, options.finishedLength) };
    case H.KeyUpdate:
      return { type, message: decodeKeyUpdate(bytes) };
    default:
      throw unexpectedMessage(
        type === undefined
          ? 'peer sent an empty handshake message'
          : `peer sent ${handshakeTypeName(type)}, which TLS 1.3 does not use (RFC 8446 §4)`,
      );
  }
}

/**
 * Narrows a decoded message to the one a state expects.
 * @throws TlsError `ERR_SSL_UNEXPECTED_MESSAGE` (unexpected_message) for any other type.
 * @example const finished = requireHandshake(message, HandshakeType.Finished);
 */
export function requireHandshake<T extends Tls13HandshakeMessage['type']>(
  message: Tls13HandshakeMessage,
  type: T,
): Tls13MessageOf<T> {
  if (message.type !== type) {
    throw unexpectedMessage(
      `peer sent ${handshakeTypeName(message.type)} where ${handshakeTypeName(type)} was expected`,
    );
  }
  return message.message as unknown as Tls13MessageOf<T>;
}
