// What the engine is given: the provider, the algorithms it may negotiate, credentials and the
// peer verifier. Policy defaults (Node's cipher list, curves, rejectUnauthorized) belong to
// @tls/context; the defaults here are only what a bare engine needs to work.

import { type CryptoProvider, NamedGroup, type PrivateKey, SignatureScheme } from '@tls/crypto';
import { TlsError } from '@tls/record';
import { CipherSuite, ProtocolVersion } from '../enums.js';
import type { CertificateRequestExtension } from '../messages/extensions/extension-list.js';

/** A certificate chain (DER, leaf first) and the private key of its leaf. */
export interface CertifiedKey {
  readonly chain: readonly Uint8Array[];
  readonly privateKey: PrivateKey;
  /** A DER OCSPResponse to staple when the client asks (RFC 8446 §4.4.2.1). */
  readonly ocspResponse?: Uint8Array;
  /**
   * The SignatureScheme the leaf certificate is signed with, when known: a server prefers chains
   * signed the way the client's signature_algorithms_cert asks (RFC 8446 §4.2.3).
   */
  readonly certificateSignatureScheme?: number;
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

/** A server-side session cache for TLS 1.2 session ids (Node's `newSession`/`resumeSession`). */
export interface SessionStore {
  /** Keeps the state of a new session under its id (the bytes are secret: they hold the master secret). */
  save(sessionId: Uint8Array, state: Uint8Array): void;
  /** The state saved under `sessionId`, or undefined for a full handshake. */
  load(sessionId: Uint8Array): Uint8Array | undefined;
  /**
   * Told of each TLS 1.3 ticket sent, under a fresh random id, as OpenSSL tells Node's
   * `newSession` (one call per ticket). Informational: a TLS 1.3 session resumes from its ticket,
   * never from this id, so a cache has no reason to keep it.
   */
  announce?(sessionId: Uint8Array, state: Uint8Array): void;
}

/** Finite-field Diffie-Hellman parameters for DHE suites (RFC 5246 §7.4.3), big-endian. */
export interface DhParameters {
  readonly prime: Uint8Array;
  readonly generator: Uint8Array;
}

/**
 * What a server needs to resume a TLS 1.3 ticket (RFC 8446 §4.6.1, §4.2.11): the state a ticket
 * stands for. `unwrapTicket` returns it for tickets the engine did not seal itself.
 */
export interface ResumptionState {
  /** The TLS 1.3 suite of the original connection; its hash must be the resumed suite's. */
  readonly cipherSuite: number;
  /** The resumption PSK: HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length). */
  readonly psk: Uint8Array;
  /** Milliseconds since the epoch (the provider's clock) when the ticket was issued. */
  readonly issuedAt: number;
  /** Seconds (the ticket_lifetime it was issued with). */
  readonly lifetime: number;
  /** The ticket_age_add it was issued with. */
  readonly ageAdd: number;
  /** The ALPN protocol of the original connection, if any: 0-RTT needs the same (RFC 8446 §4.2.10). */
  readonly alpnProtocol?: string | undefined;
  readonly serverName?: string | undefined;
  /** The max_early_data_size the ticket announced; 0 or absent: no 0-RTT with this ticket. */
  readonly maxEarlyData?: number;
}

/** What the server's `acceptEarlyData` hook is told about a 0-RTT attempt that passed every other check. */
export interface EarlyDataContext {
  /** The PSK identity (the ticket) the client resumes with: unique per ticket, the key for replay caches. */
  readonly identity: Uint8Array;
  /** The ticket's age as the client reports it, in milliseconds (RFC 8446 §4.2.11.1). */
  readonly clientTicketAge: number;
  /** Milliseconds since the ticket was issued, by our clock. */
  readonly ticketAge: number;
  /** When the ticket expires (ms since the epoch): a replay cache can forget the identity after it. */
  readonly expiresAt: number;
  readonly serverName: string | undefined;
  readonly alpnProtocol: string | undefined;
}

export interface ConnectionConfig {
  readonly provider: CryptoProvider;
  /**
   * Lowest protocol version (ProtocolVersion: 0x0301 TLS 1.0 … 0x0304 TLS 1.3); default 0x0303.
   * TLS 1.0/1.1 only when the layer above asks for them, as Node's `minVersion`.
   */
  readonly minVersion?: number;
  /** Highest protocol version; default 0x0304. */
  readonly maxVersion?: number;
  /**
   * Server: versions between `minVersion` and `maxVersion` that are not negotiated (OpenSSL's
   * SSL_OP_NO_TLSv1_1 with TLS 1.0 and 1.2 on): a client whose highest version is one of them is
   * offered the next lower enabled one (RFC 5246 §E.1), as OpenSSL's server does.
   */
  readonly disabledVersions?: readonly number[];
  /**
   * The one role this configuration serves, as an OpenSSL method restricts it (TLS_client_method
   * cannot accept, TLS_server_method cannot connect: Node's `secureProtocol` names ending in
   * `_client_method` / `_server_method`). A connection of the other role fails at once with
   * ERR_SSL_CALLED_A_FUNCTION_YOU_SHOULD_NOT_CALL and sends nothing, as OpenSSL's SSL_accept /
   * SSL_connect do there. Default: both roles.
   */
  readonly onlyRole?: 'client' | 'server';
  /** Suites in preference order: TLS 1.3 suites and TLS 1.2 suites (each used at its versions). */
  readonly cipherSuites?: readonly number[];
  /** Groups in preference order. */
  readonly groups?: readonly number[];
  /** Client: how many of the first groups get a key share in the first ClientHello (default 1). */
  readonly keyShareCount?: number;
  /** Signature schemes accepted from the peer, in preference order. */
  readonly signatureSchemes?: readonly number[];
  /** Client: signature schemes accepted in certificates (signature_algorithms_cert), when they differ. */
  readonly certificateSignatureSchemes?: readonly number[];
  /** ALPN protocols in preference order. */
  readonly alpnProtocols?: readonly string[];
  /**
   * Server: chooses the ALPN protocol instead of `alpnProtocols` (Node's `ALPNCallback`), from the
   * client's list and server name; undefined refuses the connection (no_application_protocol).
   */
  readonly selectAlpn?: (request: {
    readonly serverName: string | undefined;
    readonly protocols: readonly string[];
  }) => string | undefined;
  /** Server: the chains to choose from; client: the chain offered when a server asks. */
  readonly certificates?: readonly CertifiedKey[];
  readonly verifyPeer?: PeerVerifier;
  /** Client: the server name to send (never an IP literal: the caller checks). */
  readonly serverName?: string;
  /** Client: a random legacy_session_id and a ChangeCipherSpec (RFC 8446 §D.4); default true. */
  readonly middleboxCompatibility?: boolean;
  /**
   * Client: offer post-handshake authentication (the empty post_handshake_auth extension, RFC
   * 8446 §4.2.6), so that a TLS 1.3 server may ask for our certificate after the handshake
   * (answered from `certificates`); default false. Without it such a request is unexpected_message.
   */
  readonly postHandshakeAuth?: boolean;
  /** Server: ask the client for a certificate (CertificateRequest). */
  readonly requestClientCertificate?: boolean;
  /**
   * Server: distinguished names (DER) of the CAs a client certificate should chain to, sent in a
   * CertificateRequest: its certificate_authorities field in TLS 1.2 (RFC 5246 §7.4.4), its
   * certificate_authorities extension in TLS 1.3 (RFC 8446 §4.2.4).
   */
  readonly certificateAuthorities?: readonly Uint8Array[];
  /**
   * Server: the session id context (OpenSSL's SSL_CTX_set_session_id_context, Node's
   * `sessionIdContext`), at most 32 bytes: kept in every session and ticket we issue, and a
   * session or ticket from another context is not resumed (a full handshake follows).
   */
  readonly sessionIdContext?: Uint8Array;
  /** Server: choose the suite by our order (default true, as Node's `honorCipherOrder`). */
  readonly honorCipherOrder?: boolean;
  /**
   * Server, with honorCipherOrder: when the client lists a ChaCha20-Poly1305 suite first, prefer
   * our ChaCha20-Poly1305 suites (OpenSSL's SSL_OP_PRIORITIZE_CHACHA); default false.
   */
  readonly prioritizeChaCha?: boolean;
  /** Emit `keylog` events with the secrets in SSLKEYLOGFILE format. */
  readonly keylog?: boolean;
  /** Client: a session from an earlier `session-ticket` event, offered for resumption (RFC 8446 §4.2.11). */
  readonly session?: Uint8Array;
  /** Client: the PSK modes offered with a session (RFC 8446 §4.2.9); default psk_dhe_ke only. */
  readonly pskKeyExchangeModes?: readonly number[];
  /**
   * Server: resume with psk_ke, a PSK without an (EC)DHE exchange (RFC 8446 §4.2.9), when the
   * client offers only that mode; default true. OpenSSL refuses it unless SSL_OP_ALLOW_NO_DHE_KEX
   * (a full handshake follows), which `@tls/context` mirrors with false.
   */
  readonly pskWithoutKeyExchange?: boolean;
  /**
   * Client: ask for TLS 1.2 session tickets and offer them (the session_ticket extension, RFC
   * 5077 §3.2); default true. false (OpenSSL's SSL_OP_NO_TICKET) leaves the extension out, so a
   * TLS 1.2 session resumes only by its id. TLS 1.3 tickets are not affected.
   */
  readonly sessionTickets?: boolean;
  /** Server: the 48-byte ticket key (Node's getTicketKeys shape); without it no ticket is issued. */
  readonly ticketKeys?: Uint8Array;
  /**
   * Server: how long a session stays resumable, in seconds (Node's sessionTimeout; default 300):
   * the lifetime of tickets and TLS 1.2 session ids, at most 604800 for TLS 1.3 tickets (RFC 8446
   * §4.6.1), uncapped in TLS 1.2 (RFC 5077 §3.3), as in OpenSSL.
   */
  readonly ticketLifetime?: number;
  /** Server: tickets sent after a full handshake (default 2, as OpenSSL). */
  readonly ticketCount?: number;
  /**
   * Server: tickets sent after a resumption; default one (at most `ticketCount`), as OpenSSL.
   * node:tls sends none (its ticket-key callback never asks for renewal), which the context sets.
   */
  readonly resumptionTicketCount?: number;
  /**
   * Client: application data to send as 0-RTT early data (RFC 8446 §4.2.10) when resuming
   * `session`, a TLS 1.3 session whose ticket allows early data (max_early_data_size > 0), whose
   * suite is in `cipherSuites` and whose ALPN protocol (if any) is in `alpnProtocols`. Then the
   * ClientHello carries early_data and at most max_early_data_size bytes of this data follow it
   * under the client_early_traffic_secret; `writeEarlyData()` may add more until the server's
   * Finished. The outcome is one event: `early-data-accepted` or `early-data-rejected` (with the
   * bytes to send again after the handshake, if the application still wants to). An empty array
   * offers 0-RTT with nothing written yet.
   */
  readonly earlyData?: Uint8Array;
  /**
   * Server: accept 0-RTT early data up to this many bytes (RFC 8446 §4.6.1 max_early_data_size)
   * on resumption, and announce it in the tickets we issue. Default 0: early data is refused
   * (skipped, RFC 8446 §4.2.10) and tickets do not allow it. At most 2^32 - 1.
   * Early data can be replayed (RFC 8446 §8, §E.5): see `acceptEarlyData`.
   */
  readonly maxEarlyData?: number;
  /**
   * Server, with `maxEarlyData`: the last word on a 0-RTT attempt that passed every check of RFC
   * 8446 §4.2.10 (first identity, same version, suite and ALPN, ticket age within
   * `earlyDataAgeTolerance` of ours, binder verified, no HelloRetryRequest). Return false to refuse
   * the early data (the handshake goes on as 1-RTT). The engine sees one connection and keeps no
   * state across connections or processes, so it cannot stop replays itself: a server that acts
   * on early data plugs in a single-use store here (RFC 8446 §8.1; `EarlyDataReplayFilter` is one
   * for a single process). Absent: every such attempt is accepted.
   */
  readonly acceptEarlyData?: (context: EarlyDataContext) => boolean;
  /**
   * Server: the cookie (RFC 8446 §4.2.2) a HelloRetryRequest carries, 1..65535 bytes, called once
   * per retry. The second ClientHello must echo it exactly (compared in constant time), else the
   * handshake fails with illegal_parameter, or missing_extension when it is absent. The engine
   * keeps its retry state itself, so a cookie is never needed; it lets a server check that the
   * client received its HelloRetryRequest, as OpenSSL's stateless-cookie callbacks do. Default:
   * no cookie.
   */
  readonly helloRetryCookie?: () => Uint8Array;
  /**
   * Server, TLS 1.3: take the first of our `groups` that the client lists in supported_groups,
   * with a HelloRetryRequest when it sent no key share for it (as Go and NSS do: our preference
   * over a round trip). Default false: a share the client sent for any group we support is used,
   * in our order, and a HelloRetryRequest only follows when none is usable (as OpenSSL does).
   */
  readonly strictGroupPreference?: boolean;
  /**
   * Server: how far (ms) the client's ticket age may be from ours for 0-RTT (RFC 8446 §8.3); default 10000.
   */
  readonly earlyDataAgeTolerance?: number;
  /**
   * Server: resumes tickets the engine did not issue (Go's UnwrapSession, OpenSSL's ticket
   * callback): given a PSK identity from the ClientHello, the state it stands for, or undefined
   * (then `ticketKeys` is tried, then a full handshake follows). The binder is still checked.
   */
  readonly unwrapTicket?: (identity: Uint8Array) => ResumptionState | undefined;
  /** Client: send GREASE values (RFC 8701); default true. */
  readonly grease?: boolean;
  /** The largest record plaintext we accept, advertised as record_size_limit (RFC 8449); 64..16385. */
  readonly recordSizeLimit?: number;
  /** Client: ask for a stapled OCSP response (status_request, RFC 6066 §8). */
  readonly requestOcsp?: boolean;
  /** Server: parameters for DHE suites; without them no DHE suite is chosen. */
  readonly dhParams?: DhParameters;
  /** Client: the smallest DHE prime accepted, in bits (Node's `minDHSize`, default 1024). */
  readonly minDHSize?: number;
  /**
   * Server: allow static RSA key exchange suites (RFC 5246 §7.4.7.1; no forward secrecy).
   * Default false. Clients offer them whenever they are in `cipherSuites`.
   */
  readonly staticRsaKeyExchange?: boolean;
  /**
   * Server: a cache for TLS 1.2 session ids; without it no session id is issued. As OpenSSL, a new
   * session that gets a ticket gets no session id (so it is not saved here), and a ClientHello
   * carrying a ticket is resumed from the ticket alone.
   */
  readonly sessionStore?: SessionStore;
  /** Offer/accept extended_master_secret (RFC 7627); default true. */
  readonly extendedMasterSecret?: boolean;
  /**
   * NPN (draft-agl-tls-nextprotoneg-04, Node's v6 `NPNProtocols`), TLS 1.2 and older only. Server:
   * the protocols advertised; client: the protocols it speaks, in preference order.
   */
  readonly npnProtocols?: readonly string[];
  /**
   * Client: ask for max_fragment_length (RFC 6066 §4): 512, 1024, 2048 or 4096. A server answers
   * any client request (TLS 1.2; as OpenSSL) unless `maxFragmentLength` is 0 there.
   */
  readonly maxFragmentLength?: 0 | 512 | 1024 | 2048 | 4096;
  /**
   * TLS 1.2 secure renegotiation (RFC 5746), started by either side; default true (as OpenSSL).
   * false refuses the peer's with a warning no_renegotiation and disables `renegotiate()`.
   */
  readonly renegotiation?: boolean;
  /**
   * Client: connect to a TLS 1.2 server that does not support secure renegotiation (no
   * renegotiation_info, RFC 5746 §4.1), as OpenSSL's SSL_OP_LEGACY_SERVER_CONNECT; default false
   * (OpenSSL 3's default: such a server is refused with ERR_SSL_UNSAFE_LEGACY_RENEGOTIATION_DISABLED).
   * Renegotiation with that server stays refused (RFC 5746 §4.2): `renegotiate()` throws and a
   * HelloRequest gets a warning no_renegotiation.
   */
  readonly legacyServerConnect?: boolean;
  /** Client: signal a fallback retry with TLS_FALLBACK_SCSV (RFC 7507 §4); default false. */
  readonly fallbackScsv?: boolean;
  /** Offer/accept encrypt_then_mac for CBC suites (RFC 7366); default true. */
  readonly encryptThenMac?: boolean;
  /**
   * TLS 1.0 with a CBC suite: send an empty application_data record before the data of each
   * write, so that the IV of the data's record is not one the peer's attacker could predict (the
   * countermeasure to TLS 1.0's chained IVs, RFC 4346 §1; OpenSSL does it unless
   * SSL_OP_DONT_INSERT_EMPTY_FRAGMENTS). Default false; `@tls/context` turns it on as OpenSSL.
   */
  readonly cbcEmptyFragments?: boolean;
  /**
   * Client: the order of the ClientHello extensions, by ExtensionType. The listed types this
   * ClientHello carries come first, in this order, and the others follow in our usual order;
   * pre_shared_key stays last (RFC 8446 §4.2.11). Three extensions a TLS 1.3-only ClientHello
   * otherwise leaves out are sent when listed: renegotiation_info (empty, RFC 5746 §3.4),
   * session_ticket (empty, RFC 5077 §3.2) and psk_key_exchange_modes (`pskKeyExchangeModes`,
   * RFC 8446 §4.2.9: the modes the client could resume with). For matching another client's
   * ClientHello (the RFC 8448 traces are NSS's). Default: our order, and none of the three.
   * Listing a type the client never sends is `ERR_INVALID_ARG_VALUE`.
   */
  readonly clientHelloExtensions?: readonly number[];
  /**
   * Client: pad a ClientHello of 256 to 511 bytes to 512 with the padding extension (RFC 7685 §4,
   * the workaround NSS and BoringSSL apply for servers that choke on those sizes); default false.
   * The padding goes last (before pre_shared_key) unless `clientHelloExtensions` lists it.
   */
  readonly clientHelloPadding?: boolean;
  /**
   * Server: list our groups, in preference order, in EncryptedExtensions (RFC 8446 §4.2.7 allows
   * it, so that a client can send a share we prefer next time); default false.
   */
  readonly advertiseGroups?: boolean;
}

/** The version range of a config, checked: [min, max] within TLS 1.0 … TLS 1.3. */
export function versionRange(config: ConnectionConfig): { readonly min: number; readonly max: number } {
  const min = config.minVersion ?? ProtocolVersion.Tls12;
  const max = config.maxVersion ?? ProtocolVersion.Tls13;
  if (min < ProtocolVersion.Tls10 || max > ProtocolVersion.Tls13 || min > max) {
    throw new TlsError(
      'ERR_SSL_NO_PROTOCOLS_AVAILABLE',
      undefined,
      `no protocol version between 0x${min.toString(16)} and 0x${max.toString(16)} is available`,
    );
  }
  return { min, max };
}

export const defaultCipherSuites: readonly number[] = [
  CipherSuite.TLS_AES_256_GCM_SHA384,
  CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
  CipherSuite.TLS_AES_128_GCM_SHA256,
];

/**
 * TLS 1.2 suites when none are configured: forward-secret AEAD first, then CBC, then static RSA
 * (a server uses static RSA only with `staticRsaKeyExchange`, DHE only with `dhParams`).
 */
export const defaultTls12CipherSuites: readonly number[] = [
  CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
  CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
  CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
  CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
  CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
  CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
  CipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
  CipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
  CipherSuite.TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
  CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
  CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
  CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
  CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,
  CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA256,
  CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA256,
  CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
  CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
  CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
  CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
  CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA,
  CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA,
  CipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256,
  CipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384,
  CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256,
  CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA256,
  CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA,
  CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA,
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

/**
 * What TLS 1.2 adds (RFC 5246 §7.4.1.4.1): PKCS#1 v1.5 signatures, which TLS 1.3 allows only in
 * certificates (RFC 8446 §4.2.3).
 */
export const defaultTls12SignatureSchemes: readonly number[] = [
  ...defaultSignatureSchemes,
  SignatureScheme.RsaPkcs1Sha256,
  SignatureScheme.RsaPkcs1Sha384,
  SignatureScheme.RsaPkcs1Sha512,
];

/**
 * The schemes of `peer` (its signature_algorithms) that we accept, at any version: as OpenSSL, the
 * ones only certificates may use in TLS 1.3 count too. In our order on a server honouring its own
 * order (SSL_OP_CIPHER_SERVER_PREFERENCE), otherwise in the peer's.
 * @example sharedSignatureSchemes([0x0804, 0x0403], { signatureSchemes: [0x0403] }, 'client') // [0x0403]
 */
export function sharedSignatureSchemes(
  peer: readonly number[] | undefined,
  config: Pick<ConnectionConfig, 'signatureSchemes' | 'honorCipherOrder'>,
  role: 'client' | 'server',
): number[] {
  if (peer === undefined) return [];
  const ours = config.signatureSchemes ?? defaultTls12SignatureSchemes;
  const ourOrder = role === 'server' && config.honorCipherOrder !== false;
  const [first, second] = ourOrder ? [ours, peer] : [peer, ours];
  return first.filter((scheme, index) => second.includes(scheme) && first.indexOf(scheme) === index);
}

/**
 * The extensions of our TLS 1.3 CertificateRequest (RFC 8446 §4.3.2), in the handshake and after
 * it. signature_algorithms lists every scheme we accept but the SHA-1 and MD5 ones, rsa_pkcs1_*
 * included because they also say which certificate signatures we accept (§4.2.3, §4.4.2.2), as
 * OpenSSL's does; the client's CertificateVerify is still held to the TLS 1.3 list
 * (`isTls13SignatureScheme`). certificate_authorities (§4.2.4) names `certificateAuthorities`.
 */
export function tls13CertificateRequestExtensions(config: ConnectionConfig): CertificateRequestExtension[] {
  const forCertificates: readonly number[] = [
    SignatureScheme.RsaPkcs1Sha256,
    SignatureScheme.RsaPkcs1Sha384,
    SignatureScheme.RsaPkcs1Sha512,
  ];
  const schemes = (config.signatureSchemes ?? defaultTls12SignatureSchemes).filter(
    (scheme) => isTls13SignatureScheme(scheme) || forCertificates.includes(scheme),
  );
  const extensions: CertificateRequestExtension[] = [
    { kind: 'signature_algorithms', supportedSignatureAlgorithms: schemes },
  ];
  const authorities = config.certificateAuthorities ?? [];
  if (authorities.length > 0) extensions.push({ kind: 'certificate_authorities', authorities });
  return extensions;
}

/** Whether TLS 1.3 allows `scheme` in CertificateVerify (RFC 8446 §4.2.3: no PKCS#1 v1.5, no SHA-1). */
export function isTls13SignatureScheme(scheme: number): boolean {
  return !tls12OnlySchemes.includes(scheme);
}

const tls12OnlySchemes: readonly number[] = [
  SignatureScheme.RsaPkcs1Sha1,
  SignatureScheme.RsaPkcs1Sha256,
  SignatureScheme.RsaPkcs1Sha384,
  SignatureScheme.RsaPkcs1Sha512,
  SignatureScheme.EcdsaSha1,
  SignatureScheme.LegacyRsaPkcs1Md5Sha1,
];
