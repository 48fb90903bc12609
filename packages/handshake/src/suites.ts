// The cipher suite registry: TLS 1.3 suites (RFC 8446 §B.4) and the TLS 1.2 suites of Node's
// default list (RFC 5288 AES-GCM, RFC 5289 ECDHE with SHA-256/384, RFC 7905 ChaCha20-Poly1305,
// RFC 4492/8422 ECDHE CBC, RFC 5246 §A.5 RSA and DHE CBC). Codepoints and IANA names follow the
// IANA "TLS Cipher Suites" registry; OpenSSL names are what `openssl ciphers -V` prints and what
// Node's `getCipher()` reports. TLS 1.2 entries are data only until the TLS 1.2 handshake lands.

import type { AeadAlgorithm, BlockCipherAlgorithm, HashName } from '@tls/crypto';
import { CipherSuite, ProtocolVersion } from './enums.js';

/** How the premaster secret is agreed: any group in TLS 1.3 (key_share), else ECDHE, DHE or static RSA. */
export type KeyExchangeAlgorithm = 'any' | 'ecdhe' | 'dhe' | 'rsa';
/** What the server's certificate key must be: any in TLS 1.3 (signature_algorithms decides), else RSA or ECDSA. */
export type AuthenticationAlgorithm = 'any' | 'rsa' | 'ecdsa';

interface SuiteBase {
  /** IANA codepoint. */
  readonly id: CipherSuite;
  /** IANA name (`TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`). */
  readonly ianaName: string;
  /** OpenSSL name (`ECDHE-RSA-AES128-GCM-SHA256`; TLS 1.3 suites use their IANA name). */
  readonly opensslName: string;
  /** Lowest protocol version that may negotiate the suite. */
  readonly minVersion: ProtocolVersion;
  /** Highest protocol version that may negotiate the suite. */
  readonly maxVersion: ProtocolVersion;
  readonly keyExchange: KeyExchangeAlgorithm;
  readonly authentication: AuthenticationAlgorithm;
  /** The HKDF hash (TLS 1.3) or PRF hash (TLS 1.2; TLS 1.0/1.1 always use MD5‖SHA-1). */
  readonly hash: HashName;
  /** Encryption key length in bytes. */
  readonly keyLength: number;
  /** Cipher strength in bits as OpenSSL reports it (`getCipher().bits` style). */
  readonly bits: number;
}

/** An AEAD suite: every TLS 1.3 suite and the TLS 1.2 GCM/ChaCha20 suites. */
export interface AeadSuite extends SuiteBase {
  readonly cipherType: 'aead';
  readonly aead: AeadAlgorithm;
  /**
   * TLS 1.3: the per-record nonce base length (12, RFC 8446 §5.3). TLS 1.2: the implicit part of
   * the nonce from the key block, 4 for AES-GCM (RFC 5288 §3) and 12 for ChaCha20 (RFC 7905 §2).
   */
  readonly fixedIvLength: number;
  /** Explicit nonce bytes carried in each TLS 1.2 record: 8 for AES-GCM, 0 for ChaCha20 and TLS 1.3. */
  readonly recordIvLength: number;
  readonly tagLength: number;
}

/** A TLS 1.2 (and 1.0/1.1) CBC suite with HMAC (RFC 5246 §6.2.3.2). */
export interface CbcSuite extends SuiteBase {
  readonly cipherType: 'cbc';
  readonly cipher: BlockCipherAlgorithm;
  readonly mac: 'sha1' | 'sha256' | 'sha384';
  readonly macLength: number;
  readonly macKeyLength: number;
  readonly blockSize: number;
}

export type CipherSuiteInfo = AeadSuite | CbcSuite;

const T = CipherSuite;
const V = ProtocolVersion;

function tls13(
  id: number,
  ianaName: string,
  aead: AeadAlgorithm,
  hash: HashName,
  keyLength: number,
  tagLength = 16,
): AeadSuite {
  return {
    id,
    ianaName,
    opensslName: ianaName,
    minVersion: V.Tls13,
    maxVersion: V.Tls13,
    keyExchange: 'any',
    authentication: 'any',
    hash,
    keyLength,
    bits: keyLength * 8,
    cipherType: 'aead',
    aead,
    fixedIvLength: 12,
    recordIvLength: 0,
    tagLength,
  };
}

function tls12Aead(
  id: number,
  ianaName: string,
  opensslName: string,
  keyExchange: KeyExchangeAlgorithm,
  authentication: AuthenticationAlgorithm,
  aead: AeadAlgorithm,
  hash: HashName,
): AeadSuite {
  const chacha = aead === 'chacha20-poly1305';
  const keyLength = aead === 'aes-128-gcm' ? 16 : 32;
  return {
    id,
    ianaName,
    opensslName,
    minVersion: V.Tls12,
    maxVersion: V.Tls12,
    keyExchange,
    authentication,
    hash,
    keyLength,
    bits: keyLength * 8,
    cipherType: 'aead',
    aead,
    fixedIvLength: chacha ? 12 : 4,
    recordIvLength: chacha ? 0 : 8,
    tagLength: 16,
  };
}

function cbc(
  id: number,
  ianaName: string,
  opensslName: string,
  keyExchange: KeyExchangeAlgorithm,
  authentication: AuthenticationAlgorithm,
  cipher: 'aes-128-cbc' | 'aes-256-cbc',
  mac: 'sha1' | 'sha256' | 'sha384',
): CbcSuite {
  const keyLength = cipher === 'aes-128-cbc' ? 16 : 32;
  const macLength = mac === 'sha1' ? 20 : mac === 'sha256' ? 32 : 48;
  // RFC 5246 §1.2 / RFC 5289 §3.2: SHA-1 and SHA-256 MAC suites use the SHA-256 PRF, SHA-384 ones SHA-384.
  const sha1 = mac === 'sha1';
  return {
    id,
    ianaName,
    opensslName,
    // RFC 5246 §A.5: the SHA-256 CBC suites are TLS 1.2 only; SHA-1 ones date back to TLS 1.0.
    minVersion: sha1 ? V.Tls10 : V.Tls12,
    maxVersion: V.Tls12,
    keyExchange,
    authentication,
    hash: mac === 'sha384' ? 'sha384' : 'sha256',
    keyLength,
    bits: keyLength * 8,
    cipherType: 'cbc',
    cipher,
    mac,
    macLength,
    macKeyLength: macLength,
    blockSize: 16,
  };
}

/** Every suite this stack knows, TLS 1.3 first, then TLS 1.2 in Node's default preference order. */
export const cipherSuites: readonly CipherSuiteInfo[] = [
  tls13(T.TLS_AES_256_GCM_SHA384, 'TLS_AES_256_GCM_SHA384', 'aes-256-gcm', 'sha384', 32),
  tls13(T.TLS_CHACHA20_POLY1305_SHA256, 'TLS_CHACHA20_POLY1305_SHA256', 'chacha20-poly1305', 'sha256', 32),
  tls13(T.TLS_AES_128_GCM_SHA256, 'TLS_AES_128_GCM_SHA256', 'aes-128-gcm', 'sha256', 16),
  // RFC 8446 §B.4: the CCM suites, as OpenSSL offers them only when `ciphersuites` names them.
  tls13(T.TLS_AES_128_CCM_SHA256, 'TLS_AES_128_CCM_SHA256', 'aes-128-ccm', 'sha256', 16),
  tls13(T.TLS_AES_128_CCM_8_SHA256, 'TLS_AES_128_CCM_8_SHA256', 'aes-128-ccm8', 'sha256', 16, 8),
  tls12Aead(
    T.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    'ECDHE-RSA-AES128-GCM-SHA256',
    'ecdhe',
    'rsa',
    'aes-128-gcm',
    'sha256',
  ),
  tls12Aead(
    T.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
    'ECDHE-ECDSA-AES128-GCM-SHA256',
    'ecdhe',
    'ecdsa',
    'aes-128-gcm',
    'sha256',
  ),
  tls12Aead(
    T.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
    'ECDHE-RSA-AES256-GCM-SHA384',
    'ecdhe',
    'rsa',
    'aes-256-gcm',
    'sha384',
  ),
  tls12Aead(
    T.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
    'ECDHE-ECDSA-AES256-GCM-SHA384',
    'ecdhe',
    'ecdsa',
    'aes-256-gcm',
    'sha384',
  ),
  tls12Aead(
    T.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
    'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256',
    'DHE-RSA-AES128-GCM-SHA256',
    'dhe',
    'rsa',
    'aes-128-gcm',
    'sha256',
  ),
  cbc(
    T.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
    'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256',
    'ECDHE-RSA-AES128-SHA256',
    'ecdhe',
    'rsa',
    'aes-128-cbc',
    'sha256',
  ),
  cbc(
    T.TLS_DHE_RSA_WITH_AES_128_CBC_SHA256,
    'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256',
    'DHE-RSA-AES128-SHA256',
    'dhe',
    'rsa',
    'aes-128-cbc',
    'sha256',
  ),
  cbc(
    T.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,
    'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384',
    'ECDHE-RSA-AES256-SHA384',
    'ecdhe',
    'rsa',
    'aes-256-cbc',
    'sha384',
  ),
  cbc(
    T.TLS_DHE_RSA_WITH_AES_256_CBC_SHA256,
    'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256',
    'DHE-RSA-AES256-SHA256',
    'dhe',
    'rsa',
    'aes-256-cbc',
    'sha256',
  ),
  tls12Aead(
    T.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
    'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384',
    'DHE-RSA-AES256-GCM-SHA384',
    'dhe',
    'rsa',
    'aes-256-gcm',
    'sha384',
  ),
  tls12Aead(
    T.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
    'ECDHE-ECDSA-CHACHA20-POLY1305',
    'ecdhe',
    'ecdsa',
    'chacha20-poly1305',
    'sha256',
  ),
  tls12Aead(
    T.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
    'ECDHE-RSA-CHACHA20-POLY1305',
    'ecdhe',
    'rsa',
    'chacha20-poly1305',
    'sha256',
  ),
  tls12Aead(
    T.TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
    'DHE-RSA-CHACHA20-POLY1305',
    'dhe',
    'rsa',
    'chacha20-poly1305',
    'sha256',
  ),
  cbc(
    T.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
    'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384',
    'ECDHE-ECDSA-AES256-SHA384',
    'ecdhe',
    'ecdsa',
    'aes-256-cbc',
    'sha384',
  ),
  cbc(
    T.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
    'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256',
    'ECDHE-ECDSA-AES128-SHA256',
    'ecdhe',
    'ecdsa',
    'aes-128-cbc',
    'sha256',
  ),
  cbc(
    T.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
    'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
    'ECDHE-ECDSA-AES256-SHA',
    'ecdhe',
    'ecdsa',
    'aes-256-cbc',
    'sha1',
  ),
  cbc(
    T.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
    'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
    'ECDHE-RSA-AES256-SHA',
    'ecdhe',
    'rsa',
    'aes-256-cbc',
    'sha1',
  ),
  cbc(
    T.TLS_DHE_RSA_WITH_AES_256_CBC_SHA,
    'TLS_DHE_RSA_WITH_AES_256_CBC_SHA',
    'DHE-RSA-AES256-SHA',
    'dhe',
    'rsa',
    'aes-256-cbc',
    'sha1',
  ),
  cbc(
    T.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
    'ECDHE-ECDSA-AES128-SHA',
    'ecdhe',
    'ecdsa',
    'aes-128-cbc',
    'sha1',
  ),
  cbc(
    T.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
    'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
    'ECDHE-RSA-AES128-SHA',
    'ecdhe',
    'rsa',
    'aes-128-cbc',
    'sha1',
  ),
  cbc(
    T.TLS_DHE_RSA_WITH_AES_128_CBC_SHA,
    'TLS_DHE_RSA_WITH_AES_128_CBC_SHA',
    'DHE-RSA-AES128-SHA',
    'dhe',
    'rsa',
    'aes-128-cbc',
    'sha1',
  ),
  tls12Aead(
    T.TLS_RSA_WITH_AES_256_GCM_SHA384,
    'TLS_RSA_WITH_AES_256_GCM_SHA384',
    'AES256-GCM-SHA384',
    'rsa',
    'rsa',
    'aes-256-gcm',
    'sha384',
  ),
  tls12Aead(
    T.TLS_RSA_WITH_AES_128_GCM_SHA256,
    'TLS_RSA_WITH_AES_128_GCM_SHA256',
    'AES128-GCM-SHA256',
    'rsa',
    'rsa',
    'aes-128-gcm',
    'sha256',
  ),
  cbc(
    T.TLS_RSA_WITH_AES_256_CBC_SHA256,
    'TLS_RSA_WITH_AES_256_CBC_SHA256',
    'AES256-SHA256',
    'rsa',
    'rsa',
    'aes-256-cbc',
    'sha256',
  ),
  cbc(
    T.TLS_RSA_WITH_AES_128_CBC_SHA256,
    'TLS_RSA_WITH_AES_128_CBC_SHA256',
    'AES128-SHA256',
    'rsa',
    'rsa',
    'aes-128-cbc',
    'sha256',
  ),
  cbc(
    T.TLS_RSA_WITH_AES_256_CBC_SHA,
    'TLS_RSA_WITH_AES_256_CBC_SHA',
    'AES256-SHA',
    'rsa',
    'rsa',
    'aes-256-cbc',
    'sha1',
  ),
  cbc(
    T.TLS_RSA_WITH_AES_128_CBC_SHA,
    'TLS_RSA_WITH_AES_128_CBC_SHA',
    'AES128-SHA',
    'rsa',
    'rsa',
    'aes-128-cbc',
    'sha1',
  ),
];

const byId: ReadonlyMap<number, CipherSuiteInfo> = /* @__PURE__ */ new Map(
  cipherSuites.map((s) => [s.id, s]),
);
const byOpensslName: ReadonlyMap<string, CipherSuiteInfo> = /* @__PURE__ */ new Map(
  cipherSuites.map((s) => [s.opensslName, s]),
);

/**
 * The registry entry of a codepoint, or `undefined` for a suite this stack does not implement.
 * @example getCipherSuite(0x1301)?.hash // 'sha256'
 */
export function getCipherSuite(id: number): CipherSuiteInfo | undefined {
  return byId.get(id);
}

/**
 * A server's suite search (OpenSSL's ssl3_choose_cipher): the list to walk and the list to find
 * each candidate in. Our list leads unless `honorCipherOrder` is false; with `prioritizeChaCha`
 * (SSL_OP_PRIORITIZE_CHACHA) our ChaCha20-Poly1305 suites move to its front when the first suite
 * the client lists that we know is one, as clients without AES hardware do.
 * @example serverSuiteSearch([0x1301, 0x1303], [0x1303, 0x1301], { prioritizeChaCha: true })[0] // [0x1303, 0x1301]
 */
export function serverSuiteSearch(
  ours: readonly number[],
  theirs: readonly number[],
  options: {
    readonly honorCipherOrder?: boolean | undefined;
    readonly prioritizeChaCha?: boolean | undefined;
  },
): [preferred: readonly number[], other: readonly number[]] {
  if (options.honorCipherOrder === false) return [theirs, ours];
  const isChaCha = (id: number) => {
    const suite = getCipherSuite(id);
    return suite?.cipherType === 'aead' && suite.aead === 'chacha20-poly1305';
  };
  const clientFirst = theirs.find((id) => getCipherSuite(id) !== undefined);
  if (options.prioritizeChaCha !== true || clientFirst === undefined || !isChaCha(clientFirst)) {
    return [ours, theirs];
  }
  return [[...ours.filter(isChaCha), ...ours.filter((id) => !isChaCha(id))], theirs];
}

/**
 * The registry entry for an OpenSSL name (`ECDHE-RSA-AES128-GCM-SHA256`, or a TLS 1.3 IANA name).
 * @example getCipherSuiteByOpensslName('TLS_AES_128_GCM_SHA256')?.id // 0x1301
 */
export function getCipherSuiteByOpensslName(name: string): CipherSuiteInfo | undefined {
  return byOpensslName.get(name);
}

/** Whether the suite may be negotiated at `version` (RFC 8446 §B.4: TLS 1.3 suites only in 1.3 and the reverse). */
export function isSuiteUsableAt(suite: CipherSuiteInfo, version: ProtocolVersion): boolean {
  return version >= suite.minVersion && version <= suite.maxVersion;
}
