// Reading the server name a client asks for before any engine exists, so the layer above can
// choose the certificate, asynchronously if it likes (Node's SNICallback), and only then start the
// server with it. Nothing is consumed: the same bytes are given to the engine afterwards.

import { ContentType, RecordReader, copyBytes, isTlsError } from '@tls/record';
import { HandshakeType } from './enums.js';
import { getExtension } from './messages/extensions/extension-list.js';
import { getHostName } from './messages/extensions/server-name.js';
import { decodeClientHello } from './messages/client-hello.js';
import { HandshakeReassembler } from './reassembler.js';

export type ClientHelloPeek =
  | { readonly status: 'incomplete' }
  | {
      readonly status: 'complete';
      readonly serverName: string | undefined;
      /** legacy_session_id: a TLS 1.2 client resuming by session id sends it (empty when none). */
      readonly sessionId: Uint8Array;
      /** The client asked for a stapled OCSP response (status_request, RFC 6066 §8). */
      readonly requestsOcsp: boolean;
      /**
       * A non-empty session_ticket extension (RFC 5077): such a session resumes from its ticket,
       * so Node does not ask 'resumeSession' for it.
       */
      readonly offersTicket: boolean;
    }
  /** Not a ClientHello we can read: the engine will say why, with the right alert. */
  | { readonly status: 'invalid' };

/**
 * What the layer above needs from the first ClientHello carried by `bytes` (the start of what the
 * client sent, possibly several chunks joined) before the engine starts: the SNI host name, the
 * session id and whether OCSP stapling is asked for. Nothing is consumed.
 * @example peekClientHello(firstBytes) // { status: 'complete', serverName: 'example.com', ... }
 */
export function peekClientHello(bytes: Uint8Array): ClientHelloPeek {
  const reader = new RecordReader();
  const reassembler = new HandshakeReassembler();
  reader.push(bytes);
  try {
    for (let event = reader.read(); event !== undefined; event = reader.read()) {
      if (event.kind === 'error' || event.contentType !== ContentType.Handshake) return { status: 'invalid' };
      reassembler.addRecord(event.fragment);
      const frame = reassembler.next();
      if (frame === undefined) continue;
      if (frame.type !== HandshakeType.ClientHello) return { status: 'invalid' };
      const hello = decodeClientHello(frame.bytes);
      const serverNames = getExtension(hello.extensions, 'server_name');
      return {
        status: 'complete',
        serverName: serverNames === undefined ? undefined : getHostName(serverNames),
        sessionId: copyBytes(hello.legacySessionId),
        requestsOcsp: getExtension(hello.extensions, 'status_request') !== undefined,
        offersTicket: (getExtension(hello.extensions, 'session_ticket')?.ticket.length ?? 0) > 0,
      };
    }
  } catch (error) {
    if (isTlsError(error)) return { status: 'invalid' };
    throw error;
  }
  return { status: 'incomplete' };
}

/** @deprecated use peekClientHello; kept for callers of the first version. */
export const peekServerName = peekClientHello;
