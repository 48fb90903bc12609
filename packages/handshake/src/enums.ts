// Wire enumerations of the handshake protocol: RFC 8446 §4 (HandshakeType, ExtensionType,
// ProtocolVersion, PskKeyExchangeMode, KeyUpdateRequest), RFC 5246 §7.4, RFC 6066 (server_name,
// max_fragment_length, status_request), RFC 8422 (ec_point_formats) and RFC 8701 (GREASE).
// Every object is open (STYLE.md §5.5): values not listed are plain numbers that pass through.
// NamedGroup and SignatureScheme belong to @tls/crypto and are re-exported from there.

export { NamedGroup, SignatureScheme, namedGroupName, signatureSchemeName } from '@tls/crypto';

function nameTable(values: Record<string, number>): Record<number, string> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [value, name]));
}

function hex(value: number, digits: number): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}

/** HandshakeType (RFC 8446 §4, RFC 5246 §7.4, RFC 4507, RFC 6066, NPN draft). */
export const HandshakeType = {
  HelloRequest: 0,
  ClientHello: 1,
  ServerHello: 2,
  HelloVerifyRequest: 3,
  NewSessionTicket: 4,
  EndOfEarlyData: 5,
  EncryptedExtensions: 8,
  Certificate: 11,
  ServerKeyExchange: 12,
  CertificateRequest: 13,
  ServerHelloDone: 14,
  CertificateVerify: 15,
  ClientKeyExchange: 16,
  Finished: 20,
  CertificateUrl: 21,
  CertificateStatus: 22,
  KeyUpdate: 24,
  /** RFC 8879 §4. */
  CompressedCertificate: 25,
  NextProtocol: 67,
  /** The synthetic message that replaces ClientHello1 in the transcript after a HelloRetryRequest (RFC 8446 §4.4.1). */
  MessageHash: 254,
} as const;
export type HandshakeType = number;

/** ExtensionType (RFC 8446 §4.2 and the IANA "TLS ExtensionType Values" registry). */
export const ExtensionType = {
  ServerName: 0,
  MaxFragmentLength: 1,
  StatusRequest: 5,
  SupportedGroups: 10,
  EcPointFormats: 11,
  SignatureAlgorithms: 13,
  UseSrtp: 14,
  Heartbeat: 15,
  ApplicationLayerProtocolNegotiation: 16,
  SignedCertificateTimestamp: 18,
  ClientCertificateType: 19,
  ServerCertificateType: 20,
  Padding: 21,
  EncryptThenMac: 22,
  ExtendedMasterSecret: 23,
  CompressCertificate: 27,
  RecordSizeLimit: 28,
  SessionTicket: 35,
  PreSharedKey: 41,
  EarlyData: 42,
  SupportedVersions: 43,
  Cookie: 44,
  PskKeyExchangeModes: 45,
  CertificateAuthorities: 47,
  OidFilters: 48,
  PostHandshakeAuth: 49,
  SignatureAlgorithmsCert: 50,
  KeyShare: 51,
  NextProtocolNegotiation: 13172,
  EncryptedClientHello: 0xfe0d,
  RenegotiationInfo: 0xff01,
} as const;
export type ExtensionType = number;

/** CipherSuite codepoints (IANA "TLS Cipher Suites"); the registry with their parameters is `suites.ts`. */
export const CipherSuite = {
  TLS_AES_128_GCM_SHA256: 0x1301,
  TLS_AES_256_GCM_SHA384: 0x1302,
  TLS_CHACHA20_POLY1305_SHA256: 0x1303,
  TLS_AES_128_CCM_SHA256: 0x1304,
  TLS_AES_128_CCM_8_SHA256: 0x1305,
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 0xc02b,
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 0xc02c,
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 0xc02f,
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 0xc030,
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 0xcca9,
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 0xcca8,
  TLS_DHE_RSA_WITH_AES_128_GCM_SHA256: 0x009e,
  TLS_DHE_RSA_WITH_AES_256_GCM_SHA384: 0x009f,
  TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 0xccaa,
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256: 0xc023,
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384: 0xc024,
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256: 0xc027,
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384: 0xc028,
  TLS_DHE_RSA_WITH_AES_128_CBC_SHA256: 0x0067,
  TLS_DHE_RSA_WITH_AES_256_CBC_SHA256: 0x006b,
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: 0xc009,
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: 0xc00a,
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 0xc013,
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 0xc014,
  TLS_DHE_RSA_WITH_AES_128_CBC_SHA: 0x0033,
  TLS_DHE_RSA_WITH_AES_256_CBC_SHA: 0x0039,
  TLS_RSA_WITH_AES_128_GCM_SHA256: 0x009c,
  TLS_RSA_WITH_AES_256_GCM_SHA384: 0x009d,
  TLS_RSA_WITH_AES_128_CBC_SHA256: 0x003c,
  TLS_RSA_WITH_AES_256_CBC_SHA256: 0x003d,
  TLS_RSA_WITH_AES_128_CBC_SHA: 0x002f,
  TLS_RSA_WITH_AES_256_CBC_SHA: 0x0035,
  /** Signalling value, not a suite (RFC 5746 §3.3). */
  TLS_EMPTY_RENEGOTIATION_INFO_SCSV: 0x00ff,
  /** Signalling value, not a suite (RFC 7507 §2). */
  TLS_FALLBACK_SCSV: 0x5600,
} as const;
export type CipherSuite = number;

/** ProtocolVersion (RFC 8446 §4.1.2, §4.2.1). */
export const ProtocolVersion = {
  Ssl30: 0x0300,
  Tls10: 0x0301,
  Tls11: 0x0302,
  Tls12: 0x0303,
  Tls13: 0x0304,
} as const;
export type ProtocolVersion = number;

/** PskKeyExchangeMode (RFC 8446 §4.2.9). */
export const PskKeyExchangeMode = { PskKe: 0, PskDheKe: 1 } as const;
export type PskKeyExchangeMode = number;

/** KeyUpdateRequest (RFC 8446 §4.6.3). */
export const KeyUpdateRequest = { UpdateNotRequested: 0, UpdateRequested: 1 } as const;
export type KeyUpdateRequest = number;

/** CertificateStatusType (RFC 6066 §8). */
export const CertificateStatusType = { Ocsp: 1 } as const;
export type CertificateStatusType = number;

/** NameType of server_name (RFC 6066 §3). */
export const ServerNameType = { HostName: 0 } as const;
export type ServerNameType = number;

/** MaxFragmentLength (RFC 6066 §4): 2^9, 2^10, 2^11, 2^12 bytes. */
export const MaxFragmentLength = { Length512: 1, Length1024: 2, Length2048: 3, Length4096: 4 } as const;
export type MaxFragmentLength = number;

/** ECPointFormat (RFC 8422 §5.1.2). */
export const EcPointFormat = {
  Uncompressed: 0,
  AnsiX962CompressedPrime: 1,
  AnsiX962CompressedChar2: 2,
} as const;
export type EcPointFormat = number;

/** CompressionMethod (RFC 5246 §7.4.1.2); TLS 1.3 allows only null (RFC 8446 §4.1.2). */
export const CompressionMethod = { Null: 0 } as const;
export type CompressionMethod = number;

const handshakeTypeNames = /* @__PURE__ */ nameTable(HandshakeType);
const extensionTypeNames = /* @__PURE__ */ nameTable(ExtensionType);
const cipherSuiteNames = /* @__PURE__ */ nameTable(CipherSuite);
const versionNames: Record<number, string> = {
  768: 'SSLv3',
  769: 'TLSv1',
  770: 'TLSv1.1',
  771: 'TLSv1.2',
  772: 'TLSv1.3',
};

/** Debug name of a HandshakeType (`ClientHello`), or its value in hex. */
export function handshakeTypeName(type: number): string {
  return handshakeTypeNames[type] ?? hex(type, 2);
}

/** Debug name of an ExtensionType (`KeyShare`), `GREASE(0x0a0a)`, or its value in hex. */
export function extensionTypeName(type: number): string {
  if (isGrease(type)) return `GREASE(${hex(type, 4)})`;
  return extensionTypeNames[type] ?? hex(type, 4);
}

/** IANA name of a cipher suite (`TLS_AES_128_GCM_SHA256`), `GREASE(0x0a0a)`, or its value in hex. */
export function cipherSuiteName(suite: number): string {
  if (isGrease(suite)) return `GREASE(${hex(suite, 4)})`;
  return cipherSuiteNames[suite] ?? hex(suite, 4);
}

/** Node/OpenSSL name of a protocol version (`TLSv1.3`, as `getProtocol()` returns), or its value in hex. */
export function protocolVersionName(version: number): string {
  if (isGrease(version)) return `GREASE(${hex(version, 4)})`;
  return versionNames[version] ?? hex(version, 4);
}

/**
 * Whether a 16-bit value is one of the 16 GREASE values 0x0A0A, 0x1A1A, … 0xFAFA that RFC 8701 §2
 * reserves for cipher suites, groups, extensions, versions and signature schemes.
 */
export function isGrease(value: number): boolean {
  return (value & 0x0f0f) === 0x0a0a && value >> 8 === (value & 0xff);
}

/**
 * The GREASE value number `index` (taken modulo 16) for 16-bit fields: 0x0A0A + index × 0x1010
 * (RFC 8701 §2). Clients pick indices from random bytes so that values vary per connection.
 * @example greaseValue(random[0]) // one of 0x0A0A … 0xFAFA
 */
export function greaseValue(index: number): number {
  return 0x0a0a + (index & 0x0f) * 0x1010;
}

/** Whether an 8-bit PskKeyExchangeMode is a GREASE value 0x0B, 0x2A, 0x49, … 0xFE (RFC 8701 §2). */
export function isGreasePskMode(value: number): boolean {
  return value <= 0xff && (value - 0x0b) % 0x1f === 0 && value >= 0x0b;
}
