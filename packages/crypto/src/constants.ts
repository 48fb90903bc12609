// TLS codepoints that the provider interface is keyed on. The IANA registries are the source:
// NamedGroup (RFC 8446 §4.2.7, RFC 7919, RFC 8422, draft-ietf-tls-ecdhe-mlkem) and
// SignatureScheme (RFC 8446 §4.2.3). The objects are open: unknown values are plain numbers.

/** TLS NamedGroup codepoints (RFC 8446 §4.2.7). */
export const NamedGroup = {
  Secp256r1: 0x0017,
  Secp384r1: 0x0018,
  Secp521r1: 0x0019,
  X25519: 0x001d,
  X448: 0x001e,
  Ffdhe2048: 0x0100,
  Ffdhe3072: 0x0101,
  Ffdhe4096: 0x0102,
  Ffdhe6144: 0x0103,
  Ffdhe8192: 0x0104,
  /** Hybrid ML-KEM-768 + X25519 (draft-ietf-tls-ecdhe-mlkem §4.1): ML-KEM part first. */
  X25519MLKEM768: 0x11ec,
} as const;
export type NamedGroup = number;

/** TLS SignatureScheme codepoints (RFC 8446 §4.2.3). */
export const SignatureScheme = {
  RsaPkcs1Sha1: 0x0201,
  EcdsaSha1: 0x0203,
  RsaPkcs1Sha256: 0x0401,
  EcdsaSecp256r1Sha256: 0x0403,
  RsaPkcs1Sha384: 0x0501,
  EcdsaSecp384r1Sha384: 0x0503,
  RsaPkcs1Sha512: 0x0601,
  EcdsaSecp521r1Sha512: 0x0603,
  RsaPssRsaeSha256: 0x0804,
  RsaPssRsaeSha384: 0x0805,
  RsaPssRsaeSha512: 0x0806,
  Ed25519: 0x0807,
  Ed448: 0x0808,
  RsaPssPssSha256: 0x0809,
  RsaPssPssSha384: 0x080a,
  RsaPssPssSha512: 0x080b,
  /**
   * Not an IANA codepoint: RSA PKCS#1 v1.5 over the 36-byte MD5‖SHA-1 digest that TLS 1.0 and
   * 1.1 sign with (RFC 4346 §7.4.3). Outside the 16-bit range so it can never collide.
   */
  LegacyRsaPkcs1Md5Sha1: 0x1_0000,
} as const;
export type SignatureScheme = number;

const groupNames: Record<number, string> = /* @__PURE__ */ Object.fromEntries(
  Object.entries(NamedGroup).map(([name, value]) => [value, name]),
);
const schemeNames: Record<number, string> = /* @__PURE__ */ Object.fromEntries(
  Object.entries(SignatureScheme).map(([name, value]) => [value, name]),
);

/** Debug name of a NamedGroup, or its hex value when unknown. */
export function namedGroupName(group: number): string {
  return groupNames[group] ?? `0x${group.toString(16).padStart(4, '0')}`;
}

/** Debug name of a SignatureScheme, or its hex value when unknown. */
export function signatureSchemeName(scheme: number): string {
  return schemeNames[scheme] ?? `0x${scheme.toString(16).padStart(4, '0')}`;
}
