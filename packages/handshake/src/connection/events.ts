// What the engine reports. Core events are kebab-case (STYLE.md §5.5); the socket layer maps them
// to Node's events.

import type { TlsError } from '@tls/record';
import type { CipherSuiteInfo } from '../suites.js';

/** What was negotiated, for `getCipher()`, `getProtocol()`, `alpnProtocol`, `getPeerCertificate()` … */
export interface HandshakeInfo {
  /** 0x0304 for TLS 1.3, 0x0303 for TLS 1.2, 0x0302/0x0301 for TLS 1.1/1.0. */
  readonly version: number;
  readonly cipherSuite: CipherSuiteInfo;
  /** The key exchange group (NamedGroup), or undefined for psk_ke. */
  readonly group: number | undefined;
  readonly alpnProtocol: string | undefined;
  /** The SNI host name the client sent (both sides). */
  readonly serverName: string | undefined;
  /** The peer's chain, DER, leaf first; empty when the peer sent none. */
  readonly peerCertificates: readonly Uint8Array[];
  /** The chain we sent, if any. */
  readonly localCertificates: readonly Uint8Array[];
  /** The scheme the peer signed its CertificateVerify with. */
  readonly peerSignatureScheme: number | undefined;
  /** The scheme we signed with. */
  readonly localSignatureScheme: number | undefined;
  /**
   * The schemes both sides accept for CertificateVerify (OpenSSL's shared sigalgs, what Node's
   * `getSharedSigalgs()` reports): the peer's signature_algorithms (a server: the ClientHello's; a
   * client: the CertificateRequest's, none without one) that we accept too.
   */
  readonly sharedSignatureSchemes: readonly number[];
  readonly resumed: boolean;
  readonly clientRandom: Uint8Array;
  readonly serverRandom: Uint8Array;
  /** verify_data of the client's and the server's Finished (getFinished / getPeerFinished). */
  readonly clientFinished: Uint8Array;
  readonly serverFinished: Uint8Array;
  /** Whether a HelloRetryRequest was needed. */
  readonly helloRetry: boolean;
  /** TLS 1.2: whether the extended master secret was used (RFC 7627). */
  readonly extendedMasterSecret?: boolean;
  /**
   * TLS 1.2: false when the peer does not support secure renegotiation (RFC 5746): a server
   * without it (which a client's `legacyServerConnect` allows) or a client that sent neither
   * renegotiation_info nor the SCSV. No renegotiation happens on such a connection (§4.2, §4.4):
   * the peer's attempt gets a warning no_renegotiation.
   */
  readonly secureRenegotiation?: boolean;
  /** TLS 1.2 CBC suites: whether encrypt_then_mac was negotiated (RFC 7366). */
  readonly encryptThenMac?: boolean;
  /** TLS 1.2 DHE: the size of the prime in bits (Node's getEphemeralKeyInfo `{ type: 'DH', size }`). */
  readonly dhPrimeBits?: number;
  /** TLS 1.2: the protocol chosen by NPN (Node's `npnProtocol`), if it was negotiated. */
  readonly npnProtocol?: string;
  /** TLS 1.2: the session id the server assigned (empty when none). */
  readonly sessionId?: Uint8Array;
}

/** An error that ended the connection because the peer sent a fatal alert. */
export interface ReceivedAlert {
  readonly level: number;
  readonly description: number;
}

export type ConnectionEvent =
  | { readonly type: 'handshake-complete'; readonly info: HandshakeInfo }
  | { readonly type: 'application-data'; readonly data: Uint8Array }
  | { readonly type: 'peer-closed' }
  /** A session to resume with later (`session` option); `lifetime` in seconds. */
  | { readonly type: 'session-ticket'; readonly session: Uint8Array; readonly lifetime: number }
  | { readonly type: 'key-update'; readonly direction: 'read' | 'write' }
  /** The peer started a TLS 1.2 renegotiation (the server counts client ones: CLIENT_RENEG_LIMIT). */
  | { readonly type: 'renegotiation'; readonly initiator: 'client' | 'server' }
  /** The peer declined our renegotiation with a warning no_renegotiation; nothing changed. */
  | { readonly type: 'renegotiation-refused' }
  /** A TLS 1.2 renegotiation completed with these parameters. */
  | { readonly type: 'renegotiated'; readonly info: HandshakeInfo }
  /** The server stapled an OCSP response (client side; Node's 'OCSPResponse'). */
  | { readonly type: 'ocsp-response'; readonly response: Uint8Array }
  /**
   * Server: the client answered a post-handshake CertificateRequest (`requestClientCertificate()`,
   * RFC 8446 §4.6.2) and its CertificateVerify and Finished verified; `peerCertificates` is its
   * chain (DER, leaf first; empty when it sent none), which `info.peerCertificates` now holds too.
   */
  | { readonly type: 'peer-certificate'; readonly peerCertificates: readonly Uint8Array[] }
  | { readonly type: 'keylog'; readonly line: string }
  /**
   * Client: the server accepted our 0-RTT data (early_data in its EncryptedExtensions, RFC 8446
   * §4.2.10): `length` bytes went as early data; `unsent` is what `earlyData` held beyond
   * max_early_data_size, never sent (write it after the handshake if it is still wanted).
   */
  | { readonly type: 'early-data-accepted'; readonly length: number; readonly unsent: Uint8Array }
  /**
   * Client: our early data did not reach the server's application: it was not offered (the session
   * allows no 0-RTT, or its suite or ALPN protocol is not offered again), the server answered with a
   * HelloRetryRequest, or it did not accept it (a full handshake, no early_data in
   * EncryptedExtensions, TLS 1.2). `data` is every byte given as early data (`earlyData` and
   * `writeEarlyData()`), to send again after the handshake if the application decides to (RFC
   * 8446 §4.2.10: the engine never resends it by itself).
   */
  | {
      readonly type: 'early-data-rejected';
      readonly reason: 'not-offered' | 'hello-retry' | 'not-accepted';
      readonly data: Uint8Array;
    }
  /**
   * Server: 0-RTT application data (RFC 8446 §4.2.10), received before the handshake completes
   * and before the client is authenticated by its Finished; it may be a replay (RFC 8446 §8).
   */
  | { readonly type: 'early-data'; readonly data: Uint8Array }
  | { readonly type: 'error'; readonly error: TlsError; readonly receivedAlert: ReceivedAlert | undefined };
