// What the engine is given: the provider, the algorithms it may negotiate, credentials and the
// peer verifier. Policy defaults (Node's cipher list, curves, rejectUnauthorized) belong to
// @tls/context; the defaults here are only what a bare engine needs to work.

import { type CryptoProvider, NamedGroup, type PrivateKey, SignatureScheme } from '@tls/crypto';
import type { TlsError } from '@tls/record';
import { CipherSuite } from '../enums.js';

/** A certificate chain (DER, leaf first) and the private key of its leaf. */
export interface CertifiedKey {
  readonly chain: readonly Uint8Array[];
  readonly privateKey: PrivateKey;
  /** A DER OCSPResponse to staple when the client asks (RFC 8446 §4.4.2.1). */
  readonly ocspResponse?: Uint8Array;
}

/** Facts the verifier gets besides the chain. */
export interface PeerVerificationContext {
  /** Who is being verified: the server (by a client) or the client (by a server). */
  readonly peer: 'server' | 'client';
  /** The name the client asked for (SNI), if any. */
  readonly serverName: string | undefined;
}

/**
 * Checks the peer's chain (DER, leaf first). Returns `undefined` to go on, or the TlsError to
 * abort with (its alert is sent: bad_certificate, unknown_ca, certificate_expired, ...).
 * A verifier that only records a failure (Node's `rejectUnauthorized: false`) returns undefined.
 */
export type PeerVerifier = (
  chain: readonly Uint8Array[],
  context: PeerVerificationContext,
) => TlsError | undefined;

export interface ConnectionConfig {
  readonly provider: CryptoProvider;
  /** TLS 1.3 suites in preference order. */
  readonly cipherSuites?: readonly number[];
  /** Groups in preference order. */
  readonly groups?: readonly number[];
  /** Client: how many of the first groups get a key share in the first ClientHello (default 1). */
  readonly keyShareCount?: number;
  /** Signature schemes accepted from the peer, in preference order. */
  readonly signatureSchemes?: readonly number[];
  /** ALPN protocols in preference order. */
  readonly alpnProtocols?: readonly string[];
  /** Server: the chains to choose from; client: the chain offered when a server asks. */
  readonly certificates?: readonly CertifiedKey[];
  readonly verifyPeer?: PeerVerifier;
  /** Client: the server name to send (never an IP literal: the caller checks). */
  readonly serverName?: string;
  /** Client: a random legacy_session_id and a ChangeCipherSpec (RFC 8446 §D.4); default true. */
  readonly middleboxCompatibility?: boolean;
  /** Server: ask the client for a certificate (CertificateRequest). */
  readonly requestClientCertificate?: boolean;
  /** Server: choose the suite by our order (default true, as Node's `honorCipherOrder`). */
  readonly honorCipherOrder?: boolean;
  /** Emit `keylog` events with the secrets in SSLKEYLOGFILE format. */
  readonly keylog?: boolean;
  /** Client: a session from an earlier `session-ticket` event, offered for resumption (RFC 8446 §4.2.11). */
  readonly session?: Uint8Array;
  /** Client: the PSK modes offered with a session (RFC 8446 §4.2.9); default psk_dhe_ke only. */
  readonly pskKeyExchangeModes?: readonly number[];
  /** Server: the 48-byte ticket key (Node's getTicketKeys shape); without it no ticket is issued. */
  readonly ticketKeys?: Uint8Array;
  /** Server: ticket lifetime in seconds (Node's sessionTimeout; default 300, at most 604800). */
  readonly ticketLifetime?: number;
  /** Server: tickets sent after each handshake (default 2, as OpenSSL). */
  readonly ticketCount?: number;
  /** Client: send GREASE values (RFC 8701); default true. */
  readonly grease?: boolean;
  /** The largest record plaintext we accept, advertised as record_size_limit (RFC 8449); 64..16385. */
  readonly recordSizeLimit?: number;
  /** Client: ask for a stapled OCSP response (status_request, RFC 6066 §8). */
  readonly requestOcsp?: boolean;
}

export const defaultCipherSuites: readonly number[] = [
  CipherSuite.TLS_AES_256_GCM_SHA384,
  CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
  CipherSuite.TLS_AES_128_GCM_SHA256,
];

export const defaultGroups: readonly number[] = [
  NamedGroup.X25519,
  NamedGroup.Secp256r1,
  NamedGroup.Secp384r1,
  NamedGroup.X448,
  NamedGroup.Secp521r1,
  NamedGroup.Ffdhe2048,
  NamedGroup.Ffdhe3072,
];

/** What TLS 1.3 allows in CertificateVerify (RFC 8446 §4.2.3: no PKCS#1 v1.5 there). */
export const defaultSignatureSchemes: readonly number[] = [
  SignatureScheme.EcdsaSecp256r1Sha256,
  SignatureScheme.EcdsaSecp384r1Sha384,
  SignatureScheme.EcdsaSecp521r1Sha512,
  SignatureScheme.Ed25519,
  SignatureScheme.Ed448,
  SignatureScheme.RsaPssRsaeSha256,
  SignatureScheme.RsaPssRsaeSha384,
  SignatureScheme.RsaPssRsaeSha512,
  SignatureScheme.RsaPssPssSha256,
  SignatureScheme.RsaPssPssSha384,
  SignatureScheme.RsaPssPssSha512,
];
