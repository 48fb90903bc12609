// Protocol versions: Node's `minVersion`/`maxVersion` names, the OpenSSL `*_method` names of
// `secureProtocol` mapped to the version range Node gives them, and the SSL_OP_* flags of
// `secureOptions` (values as node:crypto's `constants` on OpenSSL 3).

import { tlsTypeError } from './errors.js';

/**
 * TLS versions on the wire (RFC 8446 §4.2.1, RFC 5246 §6.2.1).
 * @example createSecureContext().maxVersion === TlsVersion.Tls13 // true
 */
export const TlsVersion = { Tls10: 0x0301, Tls11: 0x0302, Tls12: 0x0303, Tls13: 0x0304 } as const;

/**
 * Node's `DEFAULT_MIN_VERSION`.
 * @example createSecureContext({ minVersion: DEFAULT_MIN_VERSION }).minVersion // 0x0303
 */
export const DEFAULT_MIN_VERSION = 'TLSv1.2';
/**
 * Node's `DEFAULT_MAX_VERSION`.
 * @example createSecureContext({ maxVersion: DEFAULT_MAX_VERSION }).maxVersion // 0x0304
 */
export const DEFAULT_MAX_VERSION = 'TLSv1.3';

const versionByName: Readonly<Record<string, number>> = {
  TLSv1: TlsVersion.Tls10,
  'TLSv1.1': TlsVersion.Tls11,
  'TLSv1.2': TlsVersion.Tls12,
  'TLSv1.3': TlsVersion.Tls13,
};

/**
 * The SSL_OP_* flags of OpenSSL 3 (the values `require('crypto').constants` holds). Those that
 * change what this stack does: NO_TLSv1..NO_TLSv1_3, CIPHER_SERVER_PREFERENCE, NO_TICKET,
 * NO_RENEGOTIATION, NO_ENCRYPT_THEN_MAC, PRIORITIZE_CHACHA, ALLOW_NO_DHE_KEX,
 * DONT_INSERT_EMPTY_FRAGMENTS, LEGACY_SERVER_CONNECT and ALLOW_UNSAFE_LEGACY_RENEGOTIATION (a
 * client may connect to a server without RFC 5746), and SSL_OP_ALL's TLSEXT_PADDING.
 * @example createSecureContext({ secureOptions: SecureOptions.SSL_OP_NO_TLSv1_3 }).maxVersion // 0x0303
 */
export const SecureOptions = {
  SSL_OP_ALL: 0x80000850,
  SSL_OP_ALLOW_NO_DHE_KEX: 0x400,
  SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION: 0x40000,
  SSL_OP_CIPHER_SERVER_PREFERENCE: 0x400000,
  SSL_OP_CISCO_ANYCONNECT: 0x8000,
  SSL_OP_COOKIE_EXCHANGE: 0x2000,
  SSL_OP_CRYPTOPRO_TLSEXT_BUG: 0x80000000,
  SSL_OP_DONT_INSERT_EMPTY_FRAGMENTS: 0x800,
  SSL_OP_LEGACY_SERVER_CONNECT: 0x4,
  SSL_OP_NO_COMPRESSION: 0x20000,
  SSL_OP_NO_ENCRYPT_THEN_MAC: 0x80000,
  SSL_OP_NO_QUERY_MTU: 0x1000,
  SSL_OP_NO_RENEGOTIATION: 0x40000000,
  SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION: 0x10000,
  SSL_OP_NO_SSLv2: 0,
  SSL_OP_NO_SSLv3: 0x2000000,
  SSL_OP_NO_TICKET: 0x4000,
  SSL_OP_NO_TLSv1: 0x4000000,
  SSL_OP_NO_TLSv1_1: 0x10000000,
  SSL_OP_NO_TLSv1_2: 0x8000000,
  SSL_OP_NO_TLSv1_3: 0x20000000,
  SSL_OP_PRIORITIZE_CHACHA: 0x200000,
  SSL_OP_TLS_ROLLBACK_BUG: 0x800000,
} as const;

/**
 * SSL_OP_TLSEXT_PADDING, part of SSL_OP_ALL, which node:crypto does not export: a client pads a
 * ClientHello of 256 to 511 bytes to 512 (RFC 7685).
 */
export const SSL_OP_TLSEXT_PADDING = 0x10;

/**
 * Whether `flag` is set in `options`. OpenSSL takes the option word as 64 bits (Node passes
 * `IntegerValue`), so -1 sets every flag; the flags lie above 2^31, so no 32-bit `&`.
 * @example hasSecureOption(SecureOptions.SSL_OP_NO_TLSv1, SecureOptions.SSL_OP_NO_TLSv1) // true
 */
export function hasSecureOption(options: number, flag: number): boolean {
  if (flag === 0 || !Number.isFinite(options)) return false;
  return (BigInt.asUintN(64, BigInt(Math.trunc(options))) & BigInt(flag)) !== 0n;
}

/**
 * A `minVersion`/`maxVersion` value as a wire version.
 * @throws TypeError `ERR_TLS_INVALID_PROTOCOL_VERSION` for anything but TLSv1, TLSv1.1, TLSv1.2, TLSv1.3.
 * @example parseVersion('minimum', 'TLSv1.2') // 0x0303
 */
export function parseVersion(which: 'minimum' | 'maximum', value: unknown): number {
  const version = typeof value === 'string' ? versionByName[value] : undefined;
  if (version === undefined) {
    throw tlsTypeError(
      'ERR_TLS_INVALID_PROTOCOL_VERSION',
      `${JSON.stringify(value)} is not a valid ${which} TLS protocol version`,
    );
  }
  return version;
}

/** The range of a method; `undefined` bounds keep the min/max given (Node's SSLv23/TLS methods). */
interface MethodRange {
  readonly min: number | undefined;
  readonly max: number | undefined;
}

// Node's SecureContext::Init: SSLv23_* caps at TLS 1.2; TLS_* opens the whole range (OpenSSL's
// lowest, TLS 1.0 here, as SSLv3 is not built); TLSv1*_method pin one version.
const methodRanges: ReadonlyMap<string, MethodRange> = /* @__PURE__ */ (() => {
  const ranges = new Map<string, MethodRange>();
  const add = (base: string, range: MethodRange) => {
    for (const suffix of ['_method', '_server_method', '_client_method']) ranges.set(base + suffix, range);
  };
  add('SSLv23', { min: undefined, max: TlsVersion.Tls12 });
  add('TLS', { min: TlsVersion.Tls10, max: TlsVersion.Tls13 });
  add('TLSv1', { min: TlsVersion.Tls10, max: TlsVersion.Tls10 });
  add('TLSv1_1', { min: TlsVersion.Tls11, max: TlsVersion.Tls11 });
  add('TLSv1_2', { min: TlsVersion.Tls12, max: TlsVersion.Tls12 });
  return ranges;
})();

/**
 * Every `secureProtocol` name accepted (SSLv2/SSLv3 names are refused with Node's error).
 * @example secureProtocolMethods.includes('TLSv1_2_server_method') // true
 */
export const secureProtocolMethods: readonly string[] = /* @__PURE__ */ [...methodRanges.keys()];

/**
 * The version range of a `secureProtocol` method name, applied to the given min/max.
 * @throws TypeError `ERR_TLS_INVALID_PROTOCOL_METHOD`: "SSLv2 methods disabled", "SSLv3 methods
 *   disabled" or "Unknown method: NAME", as Node.
 * @example applySecureProtocol('TLSv1_1_method', 0x0303, 0x0304) // { min: 0x0302, max: 0x0302 }
 */
export function applySecureProtocol(method: string, min: number, max: number): { min: number; max: number } {
  if (method.startsWith('SSLv2_') && methodSuffixes.has(method.slice(5)))
    throw tlsTypeError('ERR_TLS_INVALID_PROTOCOL_METHOD', 'SSLv2 methods disabled');
  if (method.startsWith('SSLv3_') && methodSuffixes.has(method.slice(5)))
    throw tlsTypeError('ERR_TLS_INVALID_PROTOCOL_METHOD', 'SSLv3 methods disabled');
  const range = methodRanges.get(method);
  if (range === undefined) throw tlsTypeError('ERR_TLS_INVALID_PROTOCOL_METHOD', `Unknown method: ${method}`);
  return { min: range.min ?? min, max: range.max ?? max };
}

const methodSuffixes = new Set(['_method', '_server_method', '_client_method']);

const versionFlags: readonly (readonly [number, number])[] = [
  [TlsVersion.Tls10, SecureOptions.SSL_OP_NO_TLSv1],
  [TlsVersion.Tls11, SecureOptions.SSL_OP_NO_TLSv1_1],
  [TlsVersion.Tls12, SecureOptions.SSL_OP_NO_TLSv1_2],
  [TlsVersion.Tls13, SecureOptions.SSL_OP_NO_TLSv1_3],
];

/**
 * The versions left once SSL_OP_NO_TLSv1* flags are applied to [min, max]. As OpenSSL's
 * ssl_get_min_max_version, the range is the first contiguous run of enabled versions: a disabled
 * version in the middle also disables those above it. `undefined` when nothing is left.
 * @example effectiveVersions(0x0301, 0x0304, SecureOptions.SSL_OP_NO_TLSv1_3) // { min: 0x0301, max: 0x0303 }
 */
export function effectiveVersions(
  min: number,
  max: number,
  secureOptions: number,
): { min: number; max: number } | undefined {
  let low: number | undefined;
  let high: number | undefined;
  for (const [version, flag] of versionFlags) {
    if (version < min || version > max) continue;
    const disabled = hasSecureOption(secureOptions, flag);
    if (low === undefined) {
      if (!disabled) low = high = version;
    } else if (disabled) break;
    else high = version;
  }
  return low === undefined || high === undefined ? undefined : { min: low, max: high };
}

/**
 * The versions a server can negotiate in [min, max] under SSL_OP_NO_TLSv1* flags. Unlike a
 * client's range ({@link effectiveVersions}), a disabled version in the middle does not end it:
 * OpenSSL's server checks each version on its own (ssl_choose_server_version), so a client that
 * asks for a disabled one gets the next lower enabled one. `undefined` when nothing is left.
 * @example serverVersions(0x0301, 0x0304, SecureOptions.SSL_OP_NO_TLSv1_1) // { min: 0x0301, max: 0x0304, disabled: [0x0302] }
 */
export function serverVersions(
  min: number,
  max: number,
  secureOptions: number,
): { min: number; max: number; disabled: number[] } | undefined {
  const enabled = versionFlags
    .filter(([version, flag]) => version >= min && version <= max && !hasSecureOption(secureOptions, flag))
    .map(([version]) => version);
  const low = enabled[0];
  const high = enabled.at(-1);
  if (low === undefined || high === undefined) return undefined;
  const disabled = versionFlags
    .map(([version]) => version)
    .filter((version) => version > low && version < high && !enabled.includes(version));
  return { min: low, max: high, disabled };
}
