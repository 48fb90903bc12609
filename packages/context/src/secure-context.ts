// createSecureContext(): Node's options, validated in Node's order with Node's errors
// (lib/_tls_common.js and lib/internal/tls/secure-context.js of Node 20), turned into a frozen
// SecureContext that gives @tls/handshake its ConnectionConfig and verifies peer chains with
// @tls/x509 (RFC 5280 §6 path validation, OpenSSL's error names).

import process from 'node:process';
import { Buffer } from 'node:buffer';
import { type CryptoProvider, type PrivateKey, SignatureScheme } from '@tls/crypto';
import { nodeCryptoProvider } from '@tls/crypto/node';
import {
  type CertifiedKey,
  type ConnectionConfig,
  type PeerVerifier,
  PskKeyExchangeMode,
  getCipherSuite,
} from '@tls/handshake';
import { AlertDescription, TlsError } from '@tls/record';
import {
  type Certificate,
  type Crl,
  isKeyForCertificate,
  namesEqual,
  parseCertificate,
  parsePkcs12,
} from '@tls/x509';
import { signatureParamsOf, verifyChain } from '@tls/x509/verify';
import { parseEcdhCurve, parseSigalgs } from './algorithms.js';
import { tlsDefaults } from './defaults.js';
import { type DhParameters, autoDhParameters, readDhParameters } from './dh-parameters.js';
import { selectCiphers } from './cipher-string.js';
import {
  type PemInput,
  completeChain,
  keySlot,
  pemText,
  readCaCertificates,
  readCertificateChain,
  readCrls,
  readPrivateKey,
  requirePemInput,
  securityBits,
  securityLevelBits,
} from './credentials.js';
import { contextError, invalidArgType, invalidArgValue, opensslError, tlsTypeError } from './errors.js';
import {
  type SecureContextOptions,
  requireBufferView,
  requireInteger,
  requireObject,
  requireString,
  viewBytes,
} from './options.js';
import { cachedBounded, rememberBounded } from './bounded-cache.js';
import { defaultTrustAnchors, defaultTrustAnchorsFor, rootCertificates } from './root-certificates.js';
import {
  SSL_OP_TLSEXT_PADDING,
  SecureOptions,
  TlsVersion,
  applySecureProtocol,
  effectiveVersions,
  serverVersions,
  hasSecureOption,
  parseVersion,
} from './versions.js';

/** A failed peer verification: OpenSSL's name as `code` (Node's `authorizationError`). */
export interface PeerVerificationFailure {
  readonly code: string;
  readonly message: string;
}

/**
 * The `sessionTimeout` in force when none is given, or 0 (seconds): OpenSSL's default for TLS
 * (SSL_CTX_new takes the method's 7200 s, and a context timeout of 0 means that default), which
 * Node keeps: its documented 300 s is never applied (`if (options.sessionTimeout)` in
 * lib/_tls_wrap.js). Checked with the lifetime hint `openssl s_client` reads from node:tls.
 */
const defaultSessionTimeout = 7200;

const REVOCATION_CODES = new Set([
  'CERT_REVOKED',
  'CRL_SIGNATURE_FAILURE',
  'CRL_HAS_EXPIRED',
  'CRL_NOT_YET_VALID',
]);

/** SSL_MAX_SID_CTX_LENGTH. */
const maxSessionIdContextLength = 32;

const oneOf = 'of type string or one of null or undefined';

function engineNotSupported(option: string): Error {
  return contextError(
    'ERR_CRYPTO_CUSTOM_ENGINE_NOT_SUPPORTED',
    `Custom engines not supported by this TLS stack (${option}): OpenSSL engines have no equivalent here`,
  );
}

// Parsed `ca` values by text: contexts made per connect() with the same `ca` parse it once.
const caCache = new Map<string, readonly Certificate[]>();
const caCacheSize = 32;

function cachedCaCertificates(value: PemInput): readonly Certificate[] {
  const text = pemText(value);
  return cachedBounded(caCache, text, caCacheSize, () => Object.freeze(readCaCertificates(text)));
}

// Trust stores of several `ca` values, by the identities of their parsed parts: contexts made per
// connect() with the same `ca` share one store, and with it the verification results below.
const partIds = new WeakMap<readonly Certificate[], number>();
let nextPartId = 0;
const trustStores = new Map<string, readonly Certificate[]>();

function sharedTrustStore(parts: readonly (readonly Certificate[])[]): readonly Certificate[] {
  if (parts.length === 1) return parts[0]!;
  let key = '';
  for (const part of parts) {
    let id = partIds.get(part);
    if (id === undefined) {
      id = nextPartId++;
      partIds.set(part, id);
    }
    key += `${id},`;
  }
  return cachedBounded(trustStores, key, caCacheSize, () => Object.freeze(parts.flat()));
}

/** A verification result and the time span it holds for (every certificate involved is valid). */
interface VerifiedChain {
  readonly notBefore: number;
  readonly notAfter: number;
  readonly failure: PeerVerificationFailure | undefined;
  /** On success, the verified path (leaf first, anchor last): what getPeerCertificate(true) links. */
  readonly path?: readonly Uint8Array[];
}
const verifiedCacheSize = 64;

// Results by provider and trust store, shared by every context with both: a client's context is
// made per connect(), and without sharing each connection parsed and verified the same chain again.
const verifiedChains = new WeakMap<CryptoProvider, WeakMap<object, Map<string, VerifiedChain>>>();

function verifiedChainsFor(provider: CryptoProvider, trust: object): Map<string, VerifiedChain> {
  let byTrust = verifiedChains.get(provider);
  if (byTrust === undefined) {
    byTrust = new WeakMap();
    verifiedChains.set(provider, byTrust);
  }
  let results = byTrust.get(trust);
  if (results === undefined) {
    results = new Map();
    byTrust.set(trust, results);
  }
  return results;
}

// Failures that depend only on the certificates and the trust store, never on the time: a chain
// with no trusted issuer fails the same way for as long as its certificates are valid.
const TIME_INDEPENDENT_FAILURES: ReadonlySet<string> = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

// Parsed `cert` chains by text (public data only; keys are never cached).
const chainCache = new Map<string, readonly Certificate[]>();

function cachedCertificateChain(value: PemInput): readonly Certificate[] {
  const text = pemText(value);
  return cachedBounded(chainCache, text, caCacheSize, () => Object.freeze(readCertificateChain(text)));
}

/**
 * Parsed peer certificates by DER (public data only): a client meets the same server chain again
 * and again, and parsing a certificate is most of what verifying it allocates (about 25 KiB).
 * Certificates are never modified once parsed. Bounded: the oldest entry goes first.
 */
const peerCertificateCache = new Map<string, Certificate>();
const peerCertificateCacheSize = 32;

function parsedPeerCertificate(der: Uint8Array): Certificate {
  const id = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('latin1');
  return cachedBounded(peerCertificateCache, id, peerCertificateCacheSize, () => parseCertificate(der));
}

/** The alert OpenSSL sends for a verification error (ssl_verify_alarm_type). */
function verificationAlert(code: string): number {
  switch (code) {
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'CERT_UNTRUSTED':
    case 'INVALID_CA':
      return AlertDescription.UnknownCa;
    case 'CERT_HAS_EXPIRED':
    case 'CERT_NOT_YET_VALID':
    case 'CRL_HAS_EXPIRED':
    case 'CRL_NOT_YET_VALID':
      return AlertDescription.CertificateExpired;
    case 'CERT_REVOKED':
      return AlertDescription.CertificateRevoked;
    case 'CERT_SIGNATURE_FAILURE':
    case 'CRL_SIGNATURE_FAILURE':
      return AlertDescription.DecryptError;
    case 'INVALID_PURPOSE':
      return AlertDescription.UnsupportedCertificate;
    default:
      return AlertDescription.BadCertificate;
  }
}

interface Resolved {
  readonly options: Readonly<SecureContextOptions>;
  readonly provider: CryptoProvider;
  readonly certificates: readonly CertifiedKey[];
  readonly cipherSuites: readonly number[];
  readonly securityLevel: number;
  readonly groups: readonly number[];
  readonly signatureSchemes: readonly number[] | undefined;
  readonly minVersion: number;
  readonly maxVersion: number;
  readonly serverVersions: { min: number; max: number; disabled: readonly number[] } | undefined;
  readonly methodRole: 'client' | 'server' | undefined;
  readonly secureOptions: number;
  readonly ca: readonly PemInput[] | undefined;
  readonly pfxCa: readonly Certificate[];
  readonly crls: readonly Crl[];
  readonly allowPartialTrustChain: boolean;
  readonly dhParameters: DhParameters | undefined;
  readonly sessionIdContext: string | undefined;
  readonly sessionTimeout: number;
  readonly ticketKeys: Uint8Array | undefined;
}

/**
 * What `createSecureContext()` returns: the credentials, trust and algorithm choices of Node's
 * options, ready to configure connections. Immutable except for `ticketKeys`
 * (`server.setTicketKeys()`).
 * @example
 * const context = createSecureContext({ key, cert });
 * const server = createServerConnection(context.engineConfig('server'));
 */
export class SecureContext {
  /** Node exposes the native handle as `.context`; here it is the object itself. */
  readonly context: SecureContext;
  readonly options: Readonly<SecureContextOptions>;
  readonly provider: CryptoProvider;
  /** Every key/certificate pair, one per key kind (RSA, RSA-PSS, ECDSA, Ed25519, Ed448). */
  readonly certificates: readonly CertifiedKey[];
  /** Suites in preference order: TLS 1.3 first, then TLS 1.2 and below. */
  readonly cipherSuites: readonly number[];
  /** The `@SECLEVEL` of `ciphers` (OpenSSL's default 1). */
  readonly securityLevel: number;
  /** Key exchange groups in preference order (`ecdhCurve`). */
  readonly groups: readonly number[];
  /** Signature schemes from `sigalgs`, or `undefined` for the engine's defaults. */
  readonly signatureSchemes: readonly number[] | undefined;
  /** Lowest enabled version (0x0301..0x0304); above `maxVersion` when no version is left. */
  readonly minVersion: number;
  readonly maxVersion: number;
  /** The SSL_OP_* word in force (`secureOptions`, plus CIPHER_SERVER_PREFERENCE for `honorCipherOrder`). */
  readonly secureOptions: number;
  readonly honorCipherOrder: boolean;
  /** DH parameters for DHE suites (`dhparam`; `'auto'` is RFC 7919 ffdhe2048); none: no DHE as server. */
  readonly dhParameters: DhParameters | undefined;
  readonly sessionIdContext: string | undefined;
  /** Seconds a session stays resumable (`sessionTimeout`; 7200 when not given or 0, as OpenSSL). */
  readonly sessionTimeout: number;
  /** Revocation lists of `crl`. */
  readonly crls: readonly Crl[];
  readonly allowPartialTrustChain: boolean;
  readonly #ca: readonly PemInput[] | undefined;
  /** What a server negotiates: SSL_OP_NO_TLSv1* flags make holes there, not an end. */
  readonly #serverVersions: { min: number; max: number; disabled: readonly number[] } | undefined;
  /** A `*_client_method` / `*_server_method` secureProtocol: the one role the context serves. */
  readonly #methodRole: 'client' | 'server' | undefined;
  /** `sessionIdContext` as the bytes the engine keeps in sessions, encoded once. */
  readonly #sessionIdContextBytes: Uint8Array | undefined;
  readonly #pfxCa: readonly Certificate[];
  #trust: readonly Certificate[] | undefined;
  #caNames: readonly Uint8Array[] | undefined;
  #clientSuites: readonly number[] | undefined;
  #ticketKeys: Uint8Array | undefined;
  /** Verification results with this context's CRLs (at most 64), made at the first verification. */
  #verified: Map<string, VerifiedChain> | undefined;

  /** @internal Use {@link createSecureContext}. */
  constructor(resolved: Resolved) {
    this.context = this;
    this.options = resolved.options;
    this.provider = resolved.provider;
    this.certificates = resolved.certificates;
    this.cipherSuites = resolved.cipherSuites;
    this.securityLevel = resolved.securityLevel;
    this.groups = resolved.groups;
    this.signatureSchemes = resolved.signatureSchemes;
    this.minVersion = resolved.minVersion;
    this.maxVersion = resolved.maxVersion;
    this.secureOptions = resolved.secureOptions;
    this.honorCipherOrder = hasSecureOption(
      resolved.secureOptions,
      SecureOptions.SSL_OP_CIPHER_SERVER_PREFERENCE,
    );
    this.dhParameters = resolved.dhParameters;
    this.sessionIdContext = resolved.sessionIdContext;
    this.#sessionIdContextBytes =
      resolved.sessionIdContext === undefined
        ? undefined
        : new TextEncoder().encode(resolved.sessionIdContext);
    this.sessionTimeout = resolved.sessionTimeout;
    this.crls = resolved.crls;
    this.allowPartialTrustChain = resolved.allowPartialTrustChain;
    this.#ca = resolved.ca;
    this.#serverVersions = resolved.serverVersions;
    this.#methodRole = resolved.methodRole;
    this.#pfxCa = resolved.pfxCa;
    this.#ticketKeys = resolved.ticketKeys;
  }

  /** The 48 bytes of ticket key material (random unless `ticketKeys` was given); a copy. */
  get ticketKeys(): Uint8Array {
    return this.#sharedTicketKeys().slice();
  }

  /** The ticket keys themselves: the engine never modifies its input, so connections share them. */
  #sharedTicketKeys(): Uint8Array {
    this.#ticketKeys ??= this.provider.random(48);
    return this.#ticketKeys;
  }

  /**
   * Replaces the ticket keys (Node's `server.setTicketKeys`); connections made afterwards use them.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` (not bytes), `ERR_INVALID_ARG_VALUE` (not 48 bytes).
   */
  set ticketKeys(keys: ArrayBufferView) {
    requireBufferView(keys, 'keys');
    if (keys.byteLength !== 48) throw invalidArgValue('keys', keys.byteLength, 'must be exactly 48 bytes');
    this.#ticketKeys = viewBytes(keys);
  }

  /** Whether SSL_OP_`flag` is set, e.g. `hasOption(SecureOptions.SSL_OP_NO_RENEGOTIATION)`. */
  hasOption(flag: number): boolean {
    return hasSecureOption(this.secureOptions, flag);
  }

  /**
   * The engine configuration for one connection; `extra` wins over the context's values (the
   * socket layer passes serverName, alpnProtocols, requestClientCertificate, session, its own
   * verifyPeer for `rejectUnauthorized: false`, ...).
   * @example createClientConnection(context.engineConfig('client', { serverName: 'example.com' }))
   */
  engineConfig(role: 'client' | 'server', extra: Partial<ConnectionConfig> = {}): ConnectionConfig {
    const config: Record<string, unknown> = {
      provider: this.provider,
      ...this.#versions(role),
      cipherSuites: role === 'client' ? this.#clientCipherSuites() : this.cipherSuites,
      groups: this.groups,
      certificates: this.certificates,
      verifyPeer: this.#verifyPeer,
      honorCipherOrder: this.honorCipherOrder,
      encryptThenMac: !this.hasOption(SecureOptions.SSL_OP_NO_ENCRYPT_THEN_MAC),
      cbcEmptyFragments: !this.hasOption(SecureOptions.SSL_OP_DONT_INSERT_EMPTY_FRAGMENTS),
    };
    // Node makes such a context with TLS_client_method / TLS_server_method: the other role fails
    // at its first handshake (ERR_SSL_CALLED_A_FUNCTION_YOU_SHOULD_NOT_CALL).
    if (this.#methodRole !== undefined) config.onlyRole = this.#methodRole;
    if (this.signatureSchemes !== undefined) config.signatureSchemes = this.signatureSchemes;
    if (this.hasOption(SecureOptions.SSL_OP_NO_RENEGOTIATION)) config.renegotiation = false;
    if (this.hasOption(SecureOptions.SSL_OP_PRIORITIZE_CHACHA)) config.prioritizeChaCha = true;
    if (role === 'client') {
      // OpenSSL's client: SSL_OP_NO_TICKET drops the TLS 1.2 session_ticket extension and
      // SSL_OP_TLSEXT_PADDING (in SSL_OP_ALL) pads the ClientHello (RFC 7685).
      if (this.hasOption(SecureOptions.SSL_OP_NO_TICKET)) config.sessionTickets = false;
      if (this.hasOption(SSL_OP_TLSEXT_PADDING)) config.clientHelloPadding = true;
      // Either flag lets OpenSSL's client connect to a server without RFC 5746 support.
      if (
        this.hasOption(SecureOptions.SSL_OP_LEGACY_SERVER_CONNECT) ||
        this.hasOption(SecureOptions.SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION)
      )
        config.legacyServerConnect = true;
    }
    // SSL_OP_ALLOW_NO_DHE_KEX: a server resumes with psk_ke, a client offers it after psk_dhe_ke.
    if (this.hasOption(SecureOptions.SSL_OP_ALLOW_NO_DHE_KEX)) {
      if (role === 'client')
        config.pskKeyExchangeModes = [PskKeyExchangeMode.PskDheKe, PskKeyExchangeMode.PskKe];
    } else if (role === 'server') config.pskWithoutKeyExchange = false;
    if (role === 'server') {
      if (this.#sessionIdContextBytes !== undefined) config.sessionIdContext = this.#sessionIdContextBytes;
      if (!this.hasOption(SecureOptions.SSL_OP_NO_TICKET)) {
        config.ticketKeys = this.#sharedTicketKeys();
        // node:tls issues no ticket after a TLS 1.3 resumption: its ticket-key callback accepts
        // a ticket without asking OpenSSL to renew it.
        config.resumptionTicketCount = 0;
        // The engine caps TLS 1.3 tickets at seven days (RFC 8446 §4.6.1), as OpenSSL does;
        // TLS 1.2 sessions keep the whole timeout, as in OpenSSL.
        config.ticketLifetime = this.sessionTimeout;
      }
      // Node adds every `ca` certificate to the client CA list (SSL_CTX_add_client_CA), which a
      // CertificateRequest names; the bundled roots are not added.
      if (this.#ca !== undefined || this.#pfxCa.length > 0)
        config.certificateAuthorities = this.#clientCaNames();
      // Static RSA key exchange is enabled by putting kRSA suites in the list, as in OpenSSL.
      config.staticRsaKeyExchange = true;
      if (this.dhParameters !== undefined) {
        config.dhParams = { prime: this.dhParameters.prime, generator: this.dhParameters.generator };
      }
    }
    // Object.assign, not spread: a megamorphic spread gives every result a map of its own (a few
    // hundred bytes kept per connection); assigning onto the literal shares its transitions.
    return Object.assign(config, extra) as unknown as ConnectionConfig;
  }

  /**
   * The engine's version range. OpenSSL 3 refuses SHA-1 and MD5-SHA1 signatures from security
   * level 1 up, so TLS 1.0 and 1.1 handshakes cannot complete there
   * (ERR_SSL_NO_SUITABLE_SIGNATURE_ALGORITHM): they need `@SECLEVEL=0` in `ciphers`, as with
   * node:tls. A server skips versions disabled between enabled ones (SSL_OP_NO_TLSv1_1 with
   * TLS 1.0 and 1.2 on); a client's range ends at the first one, as OpenSSL's.
   */
  #versions(role: 'client' | 'server'): Record<string, unknown> {
    const floor = this.securityLevel >= 1 ? TlsVersion.Tls12 : TlsVersion.Tls10;
    const server = this.#serverVersions;
    if (role === 'client' || server === undefined)
      return { minVersion: Math.max(this.minVersion, floor), maxVersion: this.maxVersion };
    const disabled = server.disabled.filter((version) => version > Math.max(server.min, floor));
    return {
      minVersion: Math.max(server.min, floor),
      maxVersion: server.max,
      ...(disabled.length > 0 ? { disabledVersions: disabled } : {}),
    };
  }

  /**
   * The suites a client offers. As OpenSSL's client (ssl_set_sig_mask), with `sigalgs` it leaves
   * out the TLS 1.2 suites whose server authentication none of its schemes can verify: with
   * `ECDSA+SHA256` alone no ECDHE-RSA suite is offered, so a server holding RSA and ECDSA
   * certificates picks ECDSA instead of failing. SHA-1 schemes count only at `@SECLEVEL=0`.
   */
  #clientCipherSuites(): readonly number[] {
    if (this.signatureSchemes === undefined) return this.cipherSuites;
    if (this.#clientSuites !== undefined) return this.#clientSuites;
    const sha1 = [SignatureScheme.RsaPkcs1Sha1, SignatureScheme.EcdsaSha1] as readonly number[];
    const verifiable = new Set(
      this.signatureSchemes
        .filter((scheme) => this.securityLevel === 0 || !sha1.includes(scheme))
        .map((scheme) => (schemeKeyType(scheme).startsWith('rsa') ? 'rsa' : 'ecdsa')),
    );
    this.#clientSuites = Object.freeze(
      this.cipherSuites.filter((id) => {
        const authentication = getCipherSuite(id)?.authentication ?? 'any';
        return authentication === 'any' || verifiable.has(authentication);
      }),
    );
    return this.#clientSuites;
  }

  #clientCaNames(): readonly Uint8Array[] {
    const named = this.#ca === undefined ? this.#pfxCa : this.#trustStore();
    this.#caNames ??= Object.freeze(named.map((certificate) => certificate.subject.encoded));
    return this.#caNames;
  }

  readonly #verifyPeer: PeerVerifier = (chain, { peer }) => {
    const failure = this.verifyPeerChain(chain, peer === 'server' ? 'serverAuth' : 'clientAuth');
    if (failure === undefined) return undefined;
    return new TlsError(failure.code, verificationAlert(failure.code), failure.message);
  };

  /**
   * Verifies a peer chain (DER, leaf first) against this context's CAs (the bundled roots when
   * no `ca` was given) and CRLs at `provider.now()`.
   * @returns `undefined` when trusted, else `{ code, message }` with OpenSSL's code
   *   (DEPTH_ZERO_SELF_SIGNED_CERT, UNABLE_TO_VERIFY_LEAF_SIGNATURE, CERT_HAS_EXPIRED, ...).
   * @example context.verifyPeerChain(peerChain, 'serverAuth')?.code // 'DEPTH_ZERO_SELF_SIGNED_CERT'
   */
  verifyPeerChain(
    chain: readonly Uint8Array[],
    purpose: 'serverAuth' | 'clientAuth',
  ): PeerVerificationFailure | undefined {
    // OpenSSL (and Node's authorizationError) when the peer sent no certificate.
    if (chain.length === 0)
      return { code: 'UNABLE_TO_GET_ISSUER_CERT', message: 'unable to get issuer certificate' };
    const now = this.provider.now();
    const defaultRoots = this.#ca === undefined && this.#pfxCa.length === 0;
    const results = this.#results(defaultRoots);
    const key = this.#cacheKey(chain, purpose);
    const cached = results.get(key);
    if (cached !== undefined && now >= cached.notBefore && now <= cached.notAfter) return cached.failure;
    let parsed: Certificate[];
    try {
      parsed = chain.map(parsedPeerCertificate);
    } catch (error) {
      return {
        code: 'UNSPECIFIED',
        message: `certificate could not be parsed: ${(error as Error).message}`,
      };
    }
    const options = this.#pathOptions(parsed, purpose, now, defaultRoots);
    const remember = (used: readonly Certificate[], failure?: PeerVerificationFailure) => {
      const path = failure === undefined ? { path: used.map((certificate) => certificate.der) } : {};
      rememberBounded(
        results,
        key,
        {
          notBefore: Math.max(...used.map((c) => c.notBefore), ...this.crls.map((crl) => crl.thisUpdate)),
          notAfter: Math.min(
            ...used.map((c) => c.notAfter),
            ...this.crls.map((crl) => crl.nextUpdate ?? Infinity),
          ),
          failure: failure === undefined ? undefined : Object.freeze(failure),
          ...path,
        },
        verifiedCacheSize,
      );
    };
    let path: readonly Certificate[];
    try {
      path = verifyChain(parsed[0]!, options, this.provider).chain;
      if (this.crls.length > 0) verifyChain(parsed[0]!, { ...options, crls: this.crls }, this.provider);
    } catch (error) {
      const failure = this.#failure(error, parsed[0]!, options);
      if (this.crls.length === 0 && TIME_INDEPENDENT_FAILURES.has(failure.code)) remember(parsed, failure);
      return failure;
    }
    // Node sets X509_V_FLAG_CRL_CHECK_ALL with `crl`: every certificate of the path, the anchor
    // included, needs a CRL from its issuer.
    const missing = this.#deepestWithoutCrl(path);
    if (missing !== undefined) return { code: 'UNABLE_TO_GET_CRL', message: 'unable to get certificate CRL' };
    // A success stays valid while every certificate and CRL used is within its validity period.
    remember(path);
    return undefined;
  }

  /**
   * Where verification results are kept: shared by provider and trust store (the bundled roots
   * keyed by their PEM list, parsed only as chains name them), or, with CRLs, this context's own
   * (they depend on its lists and their dates).
   */
  #results(defaultRoots: boolean): Map<string, VerifiedChain> {
    if (this.crls.length > 0) this.#verified ??= new Map();
    return (
      this.#verified ?? verifiedChainsFor(this.provider, defaultRoots ? rootCertificates : this.#trustStore())
    );
  }

  /** What verifyChain needs to build a path for `parsed` (the peer's chain, parsed). */
  #pathOptions(
    parsed: readonly Certificate[],
    purpose: 'serverAuth' | 'clientAuth',
    now: number,
    defaultRoots: boolean,
  ) {
    return {
      trustAnchors: defaultRoots ? defaultTrustAnchorsFor(parsed) : this.#trustStore(),
      intermediates: parsed.slice(1),
      purpose,
      time: now,
      partialChain: this.allowPartialTrustChain,
    };
  }

  /**
   * The verified path for a peer's chain, leaf first and trust anchor last (DER), or undefined when
   * it does not verify: what Node's `getPeerCertificate(true)` links, the anchor taken from the
   * trust store when the peer did not send it. Not cached: only that call asks.
   */
  verifiedPath(
    chain: readonly Uint8Array[],
    purpose: 'serverAuth' | 'clientAuth',
  ): readonly Uint8Array[] | undefined {
    if (chain.length === 0) return undefined;
    // Usually the handshake's own verification, remembered.
    const cached = this.#results(this.#ca === undefined && this.#pfxCa.length === 0).get(
      this.#cacheKey(chain, purpose),
    );
    const now = this.provider.now();
    if (cached?.path !== undefined && now >= cached.notBefore && now <= cached.notAfter) return cached.path;
    try {
      const parsed = chain.map(parsedPeerCertificate);
      const defaultRoots = this.#ca === undefined && this.#pfxCa.length === 0;
      const options = this.#pathOptions(parsed, purpose, this.provider.now(), defaultRoots);
      return verifyChain(parsed[0]!, options, this.provider).chain.map((certificate) => certificate.der);
    } catch {
      return undefined;
    }
  }

  #deepestWithoutCrl(path: readonly Certificate[]): number | undefined {
    if (this.crls.length === 0) return undefined;
    let deepest: number | undefined;
    path.forEach((certificate, depth) => {
      if (!this.crls.some((crl) => namesEqual(crl.issuer, certificate.issuer))) deepest = depth;
    });
    return deepest;
  }

  /** OpenSSL's result for a failed verification (Node keeps the last error its callback saw). */
  #failure(
    error: unknown,
    leaf: Certificate,
    options: Parameters<typeof verifyChain>[1],
  ): PeerVerificationFailure {
    const { code, message, depth } = error as { code?: unknown; message: string; depth?: number };
    if (typeof code !== 'string') throw error;
    if (this.crls.length > 0 && depth !== undefined && REVOCATION_CODES.has(code)) {
      // Revocation is checked from the leaf up and each later error replaces the earlier one.
      let path: readonly Certificate[] | undefined;
      try {
        path = verifyChain(leaf, options, this.provider).chain;
      } catch {
        path = undefined;
      }
      const missing = path === undefined ? undefined : this.#deepestWithoutCrl(path);
      if (missing !== undefined && missing >= depth)
        return { code: 'UNABLE_TO_GET_CRL', message: 'unable to get certificate CRL' };
    }
    return { code, message };
  }

  #cacheKey(chain: readonly Uint8Array[], purpose: string): string {
    const digest = this.provider.hash('sha256', chain as Uint8Array[]);
    const hex = Buffer.from(digest.buffer, digest.byteOffset, digest.byteLength).toString('hex');
    return `${purpose}:${this.allowPartialTrustChain}:${hex}:${chain.length}`;
  }

  #trustStore(): readonly Certificate[] {
    // The bundled roots are shared, not copied: a client's context is per connection.
    if (this.#ca === undefined && this.#pfxCa.length === 0) return defaultTrustAnchors();
    // The extra certificates of a pfx join the store (Node's LoadPKCS12: X509_STORE_add_cert).
    this.#trust ??=
      this.#pfxCa.length === 0
        ? sharedTrustStore(this.#ca!.map((value) => cachedCaCertificates(value)))
        : [
            ...(this.#ca === undefined
              ? defaultTrustAnchors()
              : this.#ca.flatMap((value) => cachedCaCertificates(value))),
            ...this.#pfxCa,
          ];
    return this.#trust;
  }
}

/**
 * Node's `tls.createSecureContext(options)`: validates every option as Node does and loads keys,
 * certificates, CRLs and algorithm choices. Unreadable PEM or a key that does not match its
 * certificate fails here, not at the first handshake.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` / RangeError `ERR_OUT_OF_RANGE`
 *   for option types and values Node rejects; TypeError `ERR_TLS_INVALID_PROTOCOL_VERSION`,
 *   `ERR_TLS_PROTOCOL_VERSION_CONFLICT`, `ERR_TLS_INVALID_PROTOCOL_METHOD`; Error
 *   `ERR_OSSL_PEM_NO_START_LINE`, `ERR_OSSL_PEM_BAD_END_LINE`, `ERR_OSSL_ASN1_WRONG_TAG`,
 *   `ERR_OSSL_UNSUPPORTED`, `ERR_OSSL_BAD_DECRYPT`, `ERR_OSSL_X509_KEY_VALUES_MISMATCH`,
 *   `ERR_SSL_EE_KEY_TOO_SMALL`, `ERR_SSL_NO_CIPHER_MATCH`, `ERR_SSL_INVALID_COMMAND`,
 *   `ERR_CRYPTO_OPERATION_FAILED` (bad CRL or
 *   curve), `ERR_X509_PKCS12_MAC` ("mac verify failure": a wrong pfx passphrase); not supported
 *   here: `ERR_CRYPTO_CUSTOM_ENGINE_NOT_SUPPORTED`,
 *   `ERR_TLS_UNSUPPORTED_CURVE`, `ERR_TLS_INVALID_SIGALGS`.
 * @example
 * const context = createSecureContext({ key: fs.readFileSync('key.pem'), cert: fs.readFileSync('cert.pem') });
 * context.certificates.length // 1
 */
export function createSecureContext(options?: SecureContextOptions): SecureContext {
  // lib/_tls_common.js createSecureContext: any falsy value means no options.
  const given = (options || {}) as Record<string, unknown>;
  const { honorCipherOrder, minVersion, maxVersion, secureProtocol } = given;
  let secureOptions = given.secureOptions as unknown;
  if (honorCipherOrder)
    secureOptions = (secureOptions as number) | SecureOptions.SSL_OP_CIPHER_SERVER_PREFERENCE;

  // SecureContext(secureProtocol, secureOptions, minVersion, maxVersion)
  if (secureProtocol) {
    const conflict = minVersion ?? maxVersion;
    if (minVersion != null || maxVersion != null) {
      throw tlsTypeError(
        'ERR_TLS_PROTOCOL_VERSION_CONFLICT',
        `TLS protocol version ${JSON.stringify(conflict)} conflicts with secureProtocol ${JSON.stringify(secureProtocol)}`,
      );
    }
  }
  let min = parseVersion('minimum', minVersion ?? tlsDefaults.minVersion);
  let max = parseVersion('maximum', maxVersion ?? tlsDefaults.maxVersion);
  if (typeof secureProtocol === 'string') ({ min, max } = applySecureProtocol(secureProtocol, min, max));
  let optionWord = 0;
  if (secureOptions) {
    requireInteger(secureOptions, 'secureOptions');
    optionWord = secureOptions;
  }

  // configSecureContext(context, options)
  requireObject(given, 'options');
  const provider = (given.provider as CryptoProvider | undefined) ?? nodeCryptoProvider;
  const ciphers = given.ciphers === undefined ? tlsDefaults.ciphers : given.ciphers;
  if (ciphers != null) requireString(ciphers, 'options.ciphers');
  const cipherText = (ciphers as string | null) || tlsDefaults.ciphers;
  const selection = selectCiphers(cipherText);
  const hasTls12List = cipherText
    .split(':')
    .some((part) => part.length > 0 && !part.startsWith('TLS_') && !part.startsWith('!TLS_'));
  // Only TLS 1.3 names: OpenSSL is left with no TLS 1.2 suite, so Node raises the minimum.
  if (!hasTls12List && min < TlsVersion.Tls13 && max > TlsVersion.Tls12) min = TlsVersion.Tls13;

  const { ca, cert, key, passphrase, crl } = given;
  const caValues: PemInput[] | undefined = ca ? [] : undefined;
  if (ca) {
    for (const value of Array.isArray(ca) ? ca : [ca]) {
      requirePemInput('options.ca', value);
      caValues!.push(value);
    }
  }

  const chains = new Map<string, readonly Certificate[]>();
  if (cert) {
    for (const value of Array.isArray(cert) ? cert : [cert]) {
      requirePemInput('options.cert', value);
      const chain = cachedCertificateChain(value);
      // SSL_CTX_use_certificate checks the key against the security level of `ciphers`.
      if (securityBits(chain[0]!) < (securityLevelBits[selection.securityLevel] ?? 0)) {
        throw opensslError('ERR_SSL_EE_KEY_TOO_SMALL', '0A00018F', 'SSL routines', 'ee key too small');
      }
      chains.set(chain[0]!.subjectPublicKeyInfo.key.type, chain);
    }
  }

  // OpenSSL keeps one certificate and one key per key kind; a key must match its kind's leaf.
  const paired = new Map<string, CertifiedKey>();
  let unpairedKey = false;
  const addKey = (value: unknown, pass: unknown) => {
    requirePemInput('options.key', value);
    if (pass != null) requireString(pass, 'options.passphrase');
    const privateKey: PrivateKey = readPrivateKey(value, (pass as string | null) ?? undefined, provider);
    const slot = keySlot(privateKey.type);
    const chain = chains.get(slot);
    if (chain === undefined) {
      // Node accepts a key with no certificate of its kind (it is never used); when no key at all
      // finds its certificate, Node fails at the first handshake and this fails below.
      if (chains.size > 0) unpairedKey = true;
      return;
    }
    if (!isKeyForCertificate(privateKey, chain[0]!)) throw keyMismatch();
    const sent =
      caValues === undefined ? chain : completeChain(chain, caValues.flatMap(cachedCaCertificates));
    const certificateSignatureScheme = certificateSignatureSchemeOf(chain[0]!);
    paired.set(slot, {
      chain: sent.map((c) => c.der),
      privateKey,
      ...(certificateSignatureScheme === undefined ? {} : { certificateSignatureScheme }),
    });
  };
  if (key) {
    if (Array.isArray(key)) {
      for (const entry of key as unknown[]) {
        const object = entry as { pem?: unknown; passphrase?: unknown } | null | undefined;
        addKey(
          object?.pem !== undefined ? object.pem : entry,
          object?.passphrase !== undefined ? object.passphrase : passphrase,
        );
      }
    } else addKey(key, passphrase);
  }

  let signatureSchemes: number[] | undefined;
  const { sigalgs } = given;
  if (sigalgs != null) {
    requireString(sigalgs, 'options.sigalgs');
    if (sigalgs === '') throw invalidArgValue('options.sigalgs', sigalgs);
    signatureSchemes = parseSigalgs(sigalgs);
  }

  const { privateKeyIdentifier, privateKeyEngine, clientCertEngine } = given;
  if (privateKeyIdentifier != null) {
    if (privateKeyEngine == null) throw invalidArgValue('options.privateKeyEngine', privateKeyEngine);
    if (key) throw invalidArgValue('options.privateKeyIdentifier', privateKeyIdentifier);
    if (typeof privateKeyIdentifier !== 'string')
      throw invalidArgType('options.privateKeyIdentifier', oneOf, privateKeyIdentifier);
    if (typeof privateKeyEngine !== 'string')
      throw invalidArgType('options.privateKeyEngine', oneOf, privateKeyEngine);
    throw engineNotSupported('options.privateKeyEngine');
  }
  // Node ignores privateKeyEngine without privateKeyIdentifier; an option we cannot honour says so.
  if (typeof privateKeyEngine === 'string') throw engineNotSupported('options.privateKeyEngine');

  const ecdhCurve = given.ecdhCurve === undefined ? tlsDefaults.ecdhCurve : given.ecdhCurve;
  requireString(ecdhCurve, 'options.ecdhCurve');
  const groups = parseEcdhCurve(ecdhCurve, provider);

  let dhParameters: DhParameters | undefined;
  const { dhparam } = given;
  if (dhparam != null) {
    requirePemInput('options.dhparam', dhparam);
    if (dhparam === 'auto') dhParameters = autoDhParameters();
    else {
      dhParameters = readDhParameters(dhparam);
      if (dhParameters !== undefined && dhParameters.bits < 1024) {
        throw Object.assign(new TypeError('DH parameter is less than 1024 bits'), {
          code: 'ERR_INVALID_ARG_VALUE',
        });
      }
      if (dhParameters !== undefined && dhParameters.bits < 2048)
        process.emitWarning('DH parameter is less than 2048 bits', 'SecurityWarning');
    }
  }

  const crls: Crl[] = [];
  if (crl != null) {
    for (const value of Array.isArray(crl) ? crl : [crl]) {
      requirePemInput('options.crl', value);
      crls.push(...readCrls(value));
    }
  }

  let sessionIdContext: string | undefined;
  if (given.sessionIdContext != null) {
    requireString(given.sessionIdContext, 'options.sessionIdContext');
    sessionIdContext = given.sessionIdContext;
    if (new TextEncoder().encode(sessionIdContext).length > maxSessionIdContextLength) {
      // Node passes OpenSSL's text on with no code; the code here is OpenSSL's reason.
      throw Object.assign(new TypeError('ssl session id context too long'), {
        code: 'ERR_SSL_SSL_SESSION_ID_CONTEXT_TOO_LONG',
      });
    }
  }

  // Node's order: after crl and sessionIdContext. Each PFX gives a key, its certificate and extra
  // certificates, which are both its chain and trusted CAs.
  const pfxCa: Certificate[] = [];
  const { pfx } = given;
  if (pfx != null) {
    const load = (raw: unknown, pass: unknown) => {
      const contents = readPfx(raw, pass, provider);
      const slot = keySlot(contents.privateKey.type);
      paired.set(slot, {
        chain: [contents.certificate, ...contents.ca].map((c) => c.der),
        privateKey: contents.privateKey,
      });
      pfxCa.push(...contents.ca);
    };
    if (Array.isArray(pfx)) {
      for (const entry of pfx as unknown[]) {
        const object = entry as { buf?: unknown; passphrase?: unknown } | null | undefined;
        load(object?.buf || entry, object?.passphrase || passphrase);
      }
    } else load(pfx, passphrase || undefined);
  }

  // Keys and certificates were given and none of them go together (an ECDSA key for an RSA
  // certificate): refused now rather than at the first handshake, with OpenSSL's code.
  if (unpairedKey && paired.size === 0) throw keyMismatch();

  if (typeof clientCertEngine === 'string') throw engineNotSupported('options.clientCertEngine');
  if (clientCertEngine != null) throw invalidArgType('options.clientCertEngine', oneOf, clientCertEngine);

  let ticketKeys: Uint8Array | undefined;
  if (given.ticketKeys != null) {
    requireBufferView(given.ticketKeys, 'options.ticketKeys');
    if (given.ticketKeys.byteLength !== 48)
      throw invalidArgValue('options.ticketKeys', given.ticketKeys.byteLength, 'must be exactly 48 bytes');
    ticketKeys = viewBytes(given.ticketKeys);
  }

  let sessionTimeout = defaultSessionTimeout;
  if (given.sessionTimeout != null) {
    requireInteger(given.sessionTimeout, 'options.sessionTimeout', 0, 2 ** 31 - 1);
    if (given.sessionTimeout > 0) sessionTimeout = given.sessionTimeout;
  }

  // TLS_method's minimum is OpenSSL's lowest, TLS 1.0 here (no SSLv3 in the build).
  const range = effectiveVersions(Math.max(min, TlsVersion.Tls10), max, optionWord);
  const forServer = serverVersions(Math.max(min, TlsVersion.Tls10), max, optionWord);
  return new SecureContext({
    options: Object.freeze(Object.assign({}, given as SecureContextOptions)),
    provider,
    certificates: Object.freeze(byServerPreference([...paired.values()], signatureSchemes)),
    cipherSuites: selection.suites,
    securityLevel: selection.securityLevel,
    groups: Object.freeze(groups),
    signatureSchemes: signatureSchemes === undefined ? undefined : Object.freeze(signatureSchemes),
    minVersion: range?.min ?? Math.max(min, TlsVersion.Tls10),
    maxVersion: range?.max ?? Math.max(min, TlsVersion.Tls10) - 1,
    methodRole:
      typeof secureProtocol !== 'string'
        ? undefined
        : secureProtocol.endsWith('_client_method')
          ? 'client'
          : secureProtocol.endsWith('_server_method')
            ? 'server'
            : undefined,
    serverVersions:
      forServer === undefined ? undefined : { ...forServer, disabled: Object.freeze(forServer.disabled) },
    secureOptions: optionWord,
    ca: caValues,
    pfxCa,
    crls: Object.freeze(crls),
    allowPartialTrustChain: Boolean(given.allowPartialTrustChain),
    dhParameters,
    sessionIdContext,
    sessionTimeout,
    ticketKeys,
  });
}

/** Every option createSecureContext reads: options setting none of them make the default context. */
const contextOptionNames: readonly string[] = [
  'allowPartialTrustChain',
  'ca',
  'cert',
  'ciphers',
  'clientCertEngine',
  'crl',
  'dhparam',
  'ecdhCurve',
  'honorCipherOrder',
  'key',
  'maxVersion',
  'minVersion',
  'passphrase',
  'pfx',
  'privateKeyEngine',
  'privateKeyIdentifier',
  'provider',
  'secureOptions',
  'secureProtocol',
  'sessionIdContext',
  'sessionTimeout',
  'sigalgs',
  'ticketKeys',
];

/** The context of options that set none, and the tls.DEFAULT_* values it was made with. */
let defaultContext: { readonly defaults: typeof tlsDefaults; readonly context: SecureContext } | undefined;

/**
 * `createSecureContext(options)`, except that options setting no context option (a
 * `tls.connect()` given only a host, port, servername, ...) share one context. Node makes an
 * identical context per connection; kept by every idle connection, it costs memory and its making
 * costs allocation per handshake. The shared one is made again when `tls.DEFAULT_CIPHERS`,
 * `DEFAULT_ECDH_CURVE`, `DEFAULT_MIN_VERSION` or `DEFAULT_MAX_VERSION` has changed since, so an
 * assignment still affects every connection made afterwards.
 * @example const context = secureContextFor({ host: 'example.com', port: 443 }); // shared
 */
export function secureContextFor(options?: SecureContextOptions): SecureContext {
  const given = options as Record<string, unknown> | undefined;
  if (given && contextOptionNames.some((name) => given[name] !== undefined))
    return createSecureContext(options);
  const shared = defaultContext;
  if (
    shared !== undefined &&
    shared.defaults.ciphers === tlsDefaults.ciphers &&
    shared.defaults.ecdhCurve === tlsDefaults.ecdhCurve &&
    shared.defaults.minVersion === tlsDefaults.minVersion &&
    shared.defaults.maxVersion === tlsDefaults.maxVersion
  )
    return shared.context;
  const defaults = Object.assign({}, tlsDefaults);
  const context = createSecureContext();
  defaultContext = { defaults, context };
  return context;
}

/**
 * The `sessionIdContext` Node's `tls.createServer()` uses when none is given: the first 32 hex
 * digits of SHA-1 over `process.argv.join(' ')`.
 * @example createSecureContext({ ...options, sessionIdContext: options.sessionIdContext || defaultSessionIdContext() })
 */
export function defaultSessionIdContext(provider: CryptoProvider = nodeCryptoProvider): string {
  const digest = provider.hash('sha1', new TextEncoder().encode(process.argv.join(' ')));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex.slice(0, 32);
}

// OpenSSL 3.0's default signature algorithm order (ssl/t1_lib.c tls12_sigalgs), which a server
// that prefers its own order (honorCipherOrder, as tls.createServer sets) follows to pick its
// certificate in TLS 1.3: ECDSA, then EdDSA, then RSA-PSS keys, then RSA.
const defaultSchemeOrder: readonly number[] = [
  SignatureScheme.EcdsaSecp256r1Sha256,
  SignatureScheme.Ed25519,
  SignatureScheme.Ed448,
  SignatureScheme.RsaPssPssSha256,
  SignatureScheme.RsaPssRsaeSha256,
];

function schemeKeyType(scheme: number): string {
  if ((scheme & 0xff) === 0x03) return 'ec';
  if (scheme === SignatureScheme.Ed25519) return 'ed25519';
  if (scheme === SignatureScheme.Ed448) return 'ed448';
  if (scheme >= SignatureScheme.RsaPssPssSha256 && scheme <= SignatureScheme.RsaPssPssSha512)
    return 'rsa-pss';
  return 'rsa';
}

/** Certificates in the order the server's signature algorithm list prefers their key types. */
function byServerPreference(pairs: CertifiedKey[], schemes: readonly number[] | undefined): CertifiedKey[] {
  const order = (schemes ?? defaultSchemeOrder).map(schemeKeyType);
  const rank = (pair: CertifiedKey) => {
    const at = order.indexOf(pair.privateKey.type);
    return at < 0 ? order.length : at;
  };
  return pairs.sort((a, b) => rank(a) - rank(b));
}

/**
 * One `pfx` value (Node's SecureContext::LoadPKCS12): bytes, or text taken as its UTF-8 bytes.
 * @throws Error `ERR_CRYPTO_OPERATION_FAILED` "Unable to load PFX certificate" for a value that is
 *   not bytes or a file without key or certificate; from @tls/x509, `ERR_X509_PKCS12_MAC` ("mac
 *   verify failure", Node's message) for a wrong passphrase, `ERR_X509_DER` / `ERR_X509_PKCS12` for
 *   bytes that are not a PFX, `ERR_OSSL_BAD_DECRYPT`.
 */
function readPfx(raw: unknown, pass: unknown, provider: CryptoProvider) {
  const bytes =
    typeof raw === 'string'
      ? new TextEncoder().encode(raw)
      : ArrayBuffer.isView(raw)
        ? new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength)
        : undefined;
  if (bytes === undefined)
    throw contextError('ERR_CRYPTO_OPERATION_FAILED', 'Unable to load PFX certificate');
  const passphrase =
    pass == null
      ? undefined
      : ArrayBuffer.isView(pass)
        ? new TextDecoder().decode(new Uint8Array(pass.buffer, pass.byteOffset, pass.byteLength))
        : String(pass);
  const contents = parsePkcs12(bytes, provider, passphrase === undefined ? {} : { passphrase });
  const { privateKey, certificate } = contents;
  if (privateKey === undefined || certificate === undefined)
    throw contextError('ERR_CRYPTO_OPERATION_FAILED', 'Unable to load PFX certificate');
  return { privateKey, certificate, ca: contents.ca };
}

function keyMismatch(): Error {
  return opensslError(
    'ERR_OSSL_X509_KEY_VALUES_MISMATCH',
    '05800074',
    'x509 certificate routines',
    'key values mismatch',
  );
}

/**
 * The TLS SignatureScheme a certificate is signed with (RFC 8446 §4.2.3), so the engine can prefer
 * chains the client accepts in signature_algorithms_cert; undefined when it has none (weak or
 * unknown algorithms). RSASSA-PSS maps to the rsae form, which fits an rsaEncryption issuer key,
 * by far the common case.
 */
function certificateSignatureSchemeOf(certificate: Certificate): number | undefined {
  const result = signatureParamsOf(certificate);
  if (!('params' in result)) return undefined;
  const { algorithm, hash } = result.params;
  const byHash = (sha256: number, sha384: number, sha512: number) =>
    hash === 'sha256' ? sha256 : hash === 'sha384' ? sha384 : hash === 'sha512' ? sha512 : undefined;
  switch (algorithm) {
    case 'rsa-pkcs1':
      return byHash(
        SignatureScheme.RsaPkcs1Sha256,
        SignatureScheme.RsaPkcs1Sha384,
        SignatureScheme.RsaPkcs1Sha512,
      );
    case 'ecdsa':
      return byHash(
        SignatureScheme.EcdsaSecp256r1Sha256,
        SignatureScheme.EcdsaSecp384r1Sha384,
        SignatureScheme.EcdsaSecp521r1Sha512,
      );
    case 'rsa-pss':
      return byHash(
        SignatureScheme.RsaPssRsaeSha256,
        SignatureScheme.RsaPssRsaeSha384,
        SignatureScheme.RsaPssRsaeSha512,
      );
    case 'ed25519':
      return SignatureScheme.Ed25519;
    case 'ed448':
      return SignatureScheme.Ed448;
    default:
      return undefined;
  }
}
