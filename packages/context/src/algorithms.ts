// `ecdhCurve` and `sigalgs`: OpenSSL's group list (SSL_CTX_set1_groups_list) and signature
// algorithm list (SSL_CTX_set1_sigalgs_list) syntax, mapped to TLS codepoints (RFC 8446 §4.2.7,
// §4.2.3; RFC 7919 for FFDHE).

import { type CryptoProvider, NamedGroup, SignatureScheme } from '@tls/crypto';
import { contextError } from './errors.js';

/**
 * Node's `DEFAULT_ECDH_CURVE`: OpenSSL's default group list.
 * @example createSecureContext({ ecdhCurve: DEFAULT_ECDH_CURVE }).groups[0] // 0x001d (X25519)
 */
export const DEFAULT_ECDH_CURVE = 'auto';

// OpenSSL 3.0's default group list (ssl/t1_lib.c supported_groups_default), used for 'auto'.
const autoGroups: readonly number[] = [
  NamedGroup.X25519,
  NamedGroup.Secp256r1,
  NamedGroup.X448,
  NamedGroup.Secp521r1,
  NamedGroup.Secp384r1,
  NamedGroup.Ffdhe2048,
  NamedGroup.Ffdhe3072,
  NamedGroup.Ffdhe4096,
  NamedGroup.Ffdhe6144,
  NamedGroup.Ffdhe8192,
];

// Names matched without regard to case (OpenSSL's TLS group names) ...
const groupNames: Readonly<Record<string, number>> = {
  secp256r1: NamedGroup.Secp256r1,
  secp384r1: NamedGroup.Secp384r1,
  secp521r1: NamedGroup.Secp521r1,
  x25519: NamedGroup.X25519,
  x448: NamedGroup.X448,
  ffdhe2048: NamedGroup.Ffdhe2048,
  ffdhe3072: NamedGroup.Ffdhe3072,
  ffdhe4096: NamedGroup.Ffdhe4096,
  ffdhe6144: NamedGroup.Ffdhe6144,
  ffdhe8192: NamedGroup.Ffdhe8192,
  // Current Node (OpenSSL 3.5) knows the hybrid ML-KEM group; Node 20's OpenSSL 3.0 does not.
  x25519mlkem768: NamedGroup.X25519MLKEM768,
};
// ... and NIST / OpenSSL short names, matched exactly.
const curveNames: Readonly<Record<string, number>> = {
  'P-256': NamedGroup.Secp256r1,
  'P-384': NamedGroup.Secp384r1,
  'P-521': NamedGroup.Secp521r1,
  prime256v1: NamedGroup.Secp256r1,
};
// Groups OpenSSL knows and this stack does not implement (RFC 8422 §5.1.1 and RFC 7027 curves):
// accepted in a list, as OpenSSL accepts them, and left out of what is offered.
const unimplementedGroups = /* @__PURE__ */ new Set([
  'secp160k1',
  'secp160r1',
  'secp160r2',
  'secp192k1',
  'secp224k1',
  'secp224r1',
  'secp256k1',
  'prime192v1',
  'P-192',
  'P-224',
  'brainpoolP256r1',
  'brainpoolP384r1',
  'brainpoolP512r1',
]);

function failedCurve(): Error {
  return contextError('ERR_CRYPTO_OPERATION_FAILED', 'Failed to set ECDH curve');
}

/**
 * The groups of an `ecdhCurve` value (already validated as a string), in order, restricted to
 * what `provider` implements.
 * @throws Error `ERR_CRYPTO_OPERATION_FAILED` "Failed to set ECDH curve" (unknown or repeated
 *   name, empty list), as Node; `ERR_TLS_UNSUPPORTED_CURVE` when every named group is one this
 *   stack does not implement.
 * @example parseEcdhCurve('P-256:X25519', provider) // [0x0017, 0x001d]
 */
export function parseEcdhCurve(value: string, provider: CryptoProvider): number[] {
  const supported = new Set(provider.supportedGroups);
  if (value === 'auto') return autoGroups.filter((group) => supported.has(group));
  const groups: number[] = [];
  const seen = new Set<number | string>();
  let named = 0;
  for (const raw of value.split(':')) {
    const name = raw.trim();
    const group = curveNames[name] ?? groupNames[name.toLowerCase()];
    const key = group ?? name;
    if (seen.has(key)) throw failedCurve();
    seen.add(key);
    if (group === undefined) {
      if (!unimplementedGroups.has(name)) throw failedCurve();
      named++;
      continue;
    }
    named++;
    if (supported.has(group)) groups.push(group);
  }
  if (named === 0) throw failedCurve();
  if (groups.length === 0) {
    throw contextError(
      'ERR_TLS_UNSUPPORTED_CURVE',
      `none of the groups in ecdhCurve "${value}" is implemented by this TLS stack`,
    );
  }
  return groups;
}

const S = SignatureScheme;
// RFC 8446 §4.2.3 names, as OpenSSL spells them.
const schemeNames: Readonly<Record<string, number>> = {
  rsa_pkcs1_sha1: S.RsaPkcs1Sha1,
  rsa_pkcs1_sha256: S.RsaPkcs1Sha256,
  rsa_pkcs1_sha384: S.RsaPkcs1Sha384,
  rsa_pkcs1_sha512: S.RsaPkcs1Sha512,
  ecdsa_secp256r1_sha256: S.EcdsaSecp256r1Sha256,
  ecdsa_secp384r1_sha384: S.EcdsaSecp384r1Sha384,
  ecdsa_secp521r1_sha512: S.EcdsaSecp521r1Sha512,
  rsa_pss_rsae_sha256: S.RsaPssRsaeSha256,
  rsa_pss_rsae_sha384: S.RsaPssRsaeSha384,
  rsa_pss_rsae_sha512: S.RsaPssRsaeSha512,
  rsa_pss_pss_sha256: S.RsaPssPssSha256,
  rsa_pss_pss_sha384: S.RsaPssPssSha384,
  rsa_pss_pss_sha512: S.RsaPssPssSha512,
  ed25519: S.Ed25519,
  ed448: S.Ed448,
};
const hashes = ['SHA1', 'SHA224', 'SHA256', 'SHA384', 'SHA512'] as const;
// `SIG+HASH` pairs: the scheme each pair names. `RSA-PSS+HASH` is rsa_pss_rsae_* only, as in
// OpenSSL (its sig_cb takes the first table entry with that signature and hash); rsa_pss_pss_*
// needs its own name.
function pairSchemes(signature: string, hash: (typeof hashes)[number]): number[] | undefined {
  const byHash = (values: Partial<Record<(typeof hashes)[number], number[]>>) => values[hash];
  switch (signature) {
    case 'RSA':
      return byHash({
        SHA1: [S.RsaPkcs1Sha1],
        SHA224: [],
        SHA256: [S.RsaPkcs1Sha256],
        SHA384: [S.RsaPkcs1Sha384],
        SHA512: [S.RsaPkcs1Sha512],
      });
    case 'ECDSA':
      return byHash({
        SHA1: [S.EcdsaSha1],
        SHA224: [],
        SHA256: [S.EcdsaSecp256r1Sha256],
        SHA384: [S.EcdsaSecp384r1Sha384],
        SHA512: [S.EcdsaSecp521r1Sha512],
      });
    case 'RSA-PSS':
    case 'PSS':
      return byHash({
        SHA256: [S.RsaPssRsaeSha256],
        SHA384: [S.RsaPssRsaeSha384],
        SHA512: [S.RsaPssRsaeSha512],
      });
    case 'DSA':
      // DSA is known to OpenSSL and not implemented here: accepted, nothing offered.
      return [];
    default:
      return undefined;
  }
}

/**
 * How Node's `getSharedSigalgs()` spells a scheme: OpenSSL's `SIG+HASH` (both RSA-PSS variants are
 * `RSA-PSS+HASH`; EdDSA has no separate hash: `Ed25519+UNDEF`), the inverse of the pairs `sigalgs`
 * accepts; undefined for a scheme this stack does not implement.
 * @example sigalgName(0x0804) // 'RSA-PSS+SHA256'
 */
export function sigalgName(scheme: number): string | undefined {
  if (scheme === S.Ed25519) return 'Ed25519+UNDEF';
  if (scheme === S.Ed448) return 'Ed448+UNDEF';
  const pss = ([S.RsaPssPssSha256, S.RsaPssPssSha384, S.RsaPssPssSha512] as number[]).indexOf(scheme);
  if (pss >= 0) return `RSA-PSS+${hashes[pss + 2]}`;
  for (const signature of ['RSA', 'ECDSA', 'RSA-PSS']) {
    for (const hash of hashes) {
      if (pairSchemes(signature, hash)?.includes(scheme)) return `${signature}+${hash}`;
    }
  }
  return undefined;
}

/**
 * The signature schemes of a `sigalgs` value (non-empty, already validated as a string).
 * @throws Error `ERR_TLS_INVALID_SIGALGS` for an unknown or repeated entry (Node reports OpenSSL's
 *   codeless "error:00000000:lib(0)::reason(0)" there).
 * @example parseSigalgs('ECDSA+SHA256:rsa_pss_rsae_sha256') // [0x0403, 0x0804]
 */
export function parseSigalgs(value: string): number[] {
  const schemes: number[] = [];
  const seen = new Set<string>();
  for (const entry of value.split(':')) {
    let found: number[] | undefined;
    const named = schemeNames[entry];
    if (named !== undefined) found = [named];
    else {
      const plus = entry.indexOf('+');
      const hash = entry.slice(plus + 1);
      if (plus > 0 && (hashes as readonly string[]).includes(hash))
        found = pairSchemes(entry.slice(0, plus), hash as (typeof hashes)[number]);
    }
    if (found === undefined || seen.has(entry) || found.some((scheme) => schemes.includes(scheme))) {
      throw contextError('ERR_TLS_INVALID_SIGALGS', `Invalid signature algorithm in sigalgs: "${entry}"`);
    }
    seen.add(entry);
    schemes.push(...found);
  }
  if (schemes.length === 0)
    throw contextError(
      'ERR_TLS_INVALID_SIGALGS',
      `sigalgs "${value}" names no algorithm this stack implements`,
    );
  return schemes;
}
