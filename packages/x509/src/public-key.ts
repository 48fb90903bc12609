// SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) and the key algorithms TLS uses: RSA (RFC 3279 §2.3.1),
// RSASSA-PSS (RFC 4055 §3.1), EC (RFC 5480 §2), Ed25519/Ed448 (RFC 8410 §4). Parsed in pure code.

import { X509Error } from './errors.js';
import { type DerElement, DerReader, derFieldError } from './der/reader.js';
import { Oid } from './der/oid.js';
import { DerTag, contextTag } from './der/tags.js';

/** An AlgorithmIdentifier (RFC 5280 §4.1.1.2). */
export interface AlgorithmIdentifier {
  readonly oid: string;
  /** The parameters element, if present (NULL included). */
  readonly parameters: DerElement | undefined;
  /** The whole TLV, a view into the input. */
  readonly encoded: Uint8Array;
}

/** RSASSA-PSS-params (RFC 4055 §3.1), defaults applied. */
export interface RsaPssParameters {
  readonly hash: string;
  readonly maskGenHash: string;
  readonly saltLength: number;
}

export type PublicKeyInfo =
  | {
      readonly type: 'rsa' | 'rsa-pss';
      /** Unsigned big-endian modulus without leading zero bytes. */
      readonly modulus: Uint8Array;
      /** Unsigned big-endian public exponent without leading zero bytes. */
      readonly publicExponent: Uint8Array;
      readonly bits: number;
      /** For `rsa-pss` keys with parameters (RFC 4055 §3.1); undefined when absent. */
      readonly pss?: RsaPssParameters;
    }
  | {
      readonly type: 'ec';
      readonly curve: 'P-256' | 'P-384' | 'P-521' | undefined;
      readonly curveOid: string | undefined;
      /** The EC point as in the certificate (uncompressed 0x04‖x‖y, or compressed). */
      readonly point: Uint8Array;
      readonly bits: number;
    }
  | {
      readonly type: 'ed25519' | 'ed448' | 'x25519' | 'x448';
      readonly key: Uint8Array;
      readonly bits: number;
    }
  | { readonly type: 'unknown'; readonly bits: undefined };

export interface SubjectPublicKeyInfo {
  readonly algorithm: AlgorithmIdentifier;
  /** The subjectPublicKey BIT STRING bytes. */
  readonly subjectPublicKey: Uint8Array;
  /** The whole SPKI TLV (what `PublicKey.spki` and Node's `pubkey` hold). */
  readonly encoded: Uint8Array;
  readonly key: PublicKeyInfo;
}

/**
 * Parses an AlgorithmIdentifier element.
 * @example parseAlgorithmIdentifier(reader.read('signatureAlgorithm'), 'signatureAlgorithm').oid
 */
export function parseAlgorithmIdentifier(element: DerElement, field: string): AlgorithmIdentifier {
  if (element.tag !== DerTag.Sequence)
    throw derFieldError(field, element.offset, 'AlgorithmIdentifier must be a SEQUENCE');
  const reader = DerReader.of(element);
  const oid = reader.oid(`${field}.algorithm`);
  const parameters = reader.hasMore() ? reader.read(`${field}.parameters`) : undefined;
  reader.end(field);
  return { oid, parameters, encoded: element.encoded };
}

const curves: Record<string, { name: 'P-256' | 'P-384' | 'P-521'; bits: number; bytes: number }> = {
  [Oid.Secp256r1]: { name: 'P-256', bits: 256, bytes: 32 },
  [Oid.Secp384r1]: { name: 'P-384', bits: 384, bytes: 48 },
  [Oid.Secp521r1]: { name: 'P-521', bits: 521, bytes: 66 },
};

const hashOids: Record<string, string> = {
  [Oid.Sha1]: 'sha1',
  [Oid.Sha224]: 'sha224',
  [Oid.Sha256]: 'sha256',
  [Oid.Sha384]: 'sha384',
  [Oid.Sha512]: 'sha512',
  [Oid.Md5]: 'md5',
};

/**
 * The hash name of a hash AlgorithmIdentifier OID, or undefined.
 * @example hashNameOfOid('2.16.840.1.101.3.4.2.1') // 'sha256'
 */
export function hashNameOfOid(oid: string): string | undefined {
  return hashOids[oid];
}

function stripZeros(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.subarray(start);
}

/**
 * Number of significant bits in an unsigned big-endian integer.
 * @example bitLength(Uint8Array.of(0x01, 0x00)) // 9
 */
export function bitLength(bytes: Uint8Array): number {
  const trimmed = stripZeros(bytes);
  const first = trimmed[0] ?? 0;
  if (first === 0) return 0;
  return (trimmed.length - 1) * 8 + (32 - Math.clz32(first));
}

/**
 * RSASSA-PSS-params (RFC 4055 §3.1): [0] hash, [1] maskGen, [2] saltLength, [3] trailerField,
 * each defaulting to SHA-1 / MGF1-SHA-1 / 20 / 1.
 * @example parseRsaPssParameters(algorithm.parameters, 'signatureAlgorithm.parameters').saltLength
 */
export function parseRsaPssParameters(element: DerElement | undefined, field: string): RsaPssParameters {
  if (element === undefined) return { hash: 'sha1', maskGenHash: 'sha1', saltLength: 20 };
  const reader = new DerReader(element.contents, element.contentsOffset);
  if (element.tag !== DerTag.Sequence)
    throw derFieldError(field, element.offset, 'RSASSA-PSS-params must be a SEQUENCE');
  let hash = 'sha1';
  let maskGenHash = 'sha1';
  let saltLength = 20;
  const hashElement = reader.optional(contextTag(0, true), `${field}.hashAlgorithm`);
  if (hashElement) {
    const inner = DerReader.of(hashElement);
    const algorithm = parseAlgorithmIdentifier(
      inner.read(`${field}.hashAlgorithm`),
      `${field}.hashAlgorithm`,
    );
    inner.end(`${field}.hashAlgorithm`);
    const name = hashOids[algorithm.oid];
    if (name === undefined)
      throw new X509Error('ERR_X509_UNSUPPORTED', `${field}: unsupported PSS hash ${algorithm.oid}`);
    hash = name;
  }
  const mgfElement = reader.optional(contextTag(1, true), `${field}.maskGenAlgorithm`);
  if (mgfElement) {
    const inner = DerReader.of(mgfElement);
    const mgf = parseAlgorithmIdentifier(
      inner.read(`${field}.maskGenAlgorithm`),
      `${field}.maskGenAlgorithm`,
    );
    inner.end(`${field}.maskGenAlgorithm`);
    if (mgf.oid !== Oid.Mgf1 || mgf.parameters === undefined) {
      throw new X509Error(
        'ERR_X509_UNSUPPORTED',
        `${field}: unsupported mask generation function ${mgf.oid}`,
      );
    }
    const mgfHash = parseAlgorithmIdentifier(mgf.parameters, `${field}.maskGenAlgorithm.parameters`);
    const name = hashOids[mgfHash.oid];
    if (name === undefined)
      throw new X509Error('ERR_X509_UNSUPPORTED', `${field}: unsupported MGF1 hash ${mgfHash.oid}`);
    maskGenHash = name;
  }
  const saltElement = reader.optional(contextTag(2, true), `${field}.saltLength`);
  if (saltElement) {
    const inner = DerReader.of(saltElement);
    saltLength = inner.smallInteger(`${field}.saltLength`);
    inner.end(`${field}.saltLength`);
  }
  const trailer = reader.optional(contextTag(3, true), `${field}.trailerField`);
  if (trailer) {
    const inner = DerReader.of(trailer);
    if (inner.smallInteger(`${field}.trailerField`) !== 1) {
      throw new X509Error('ERR_X509_UNSUPPORTED', `${field}: trailerField must be 1 (RFC 4055 §3.1)`);
    }
  }
  reader.end(field);
  return { hash, maskGenHash, saltLength };
}

function parseKey(
  algorithm: AlgorithmIdentifier,
  keyBytes: Uint8Array,
  offset: number,
  field: string,
): PublicKeyInfo {
  switch (algorithm.oid) {
    case Oid.RsaEncryption:
    case Oid.RsassaPss: {
      // RFC 3279 §2.3.1: rsaEncryption parameters are NULL (absence is tolerated, as OpenSSL does);
      // RFC 4055 §3.1: RSASSA-PSS parameters are absent or a SEQUENCE.
      const parameters = algorithm.parameters;
      if (
        parameters !== undefined &&
        !(algorithm.oid === Oid.RsaEncryption
          ? parameters.tag === DerTag.Null
          : parameters.tag === DerTag.Sequence)
      ) {
        throw derFieldError(`${field}.algorithm.parameters`, parameters.offset, 'invalid RSA key parameters');
      }
      const outer = new DerReader(keyBytes, offset);
      const reader = outer.sequence(`${field}.RSAPublicKey`);
      const modulus = reader.integer(`${field}.RSAPublicKey.modulus`);
      const publicExponent = reader.integer(`${field}.RSAPublicKey.publicExponent`);
      reader.end(`${field}.RSAPublicKey`);
      outer.end(`${field}.RSAPublicKey`);
      if (modulus[0]! & 0x80 || publicExponent[0]! & 0x80) {
        throw derFieldError(`${field}.RSAPublicKey`, offset, 'negative RSA modulus or exponent');
      }
      const base = {
        modulus: stripZeros(modulus),
        publicExponent: stripZeros(publicExponent),
        bits: bitLength(modulus),
      };
      if (algorithm.oid === Oid.RsaEncryption) return { type: 'rsa', ...base };
      return algorithm.parameters === undefined
        ? { type: 'rsa-pss', ...base }
        : {
            type: 'rsa-pss',
            ...base,
            pss: parseRsaPssParameters(algorithm.parameters, `${field}.algorithm.parameters`),
          };
    }
    case Oid.EcPublicKey: {
      // RFC 5480 §2.1.1: parameters are a namedCurve OID (implicitCurve and specifiedCurve are not allowed).
      const parameters = algorithm.parameters;
      if (parameters === undefined || parameters.tag !== DerTag.ObjectIdentifier) {
        throw new X509Error(
          'ERR_X509_UNSUPPORTED',
          `${field}: EC parameters must be a named curve (RFC 5480 §2.1.1)`,
        );
      }
      const curveOid = new DerReader(parameters.encoded, parameters.offset).oid(
        `${field}.algorithm.parameters`,
      );
      const curve = curves[curveOid];
      if (curve !== undefined) {
        // RFC 5480 §2.2: uncompressed (0x04) or compressed (0x02/0x03) points.
        const first = keyBytes[0];
        const valid =
          (first === 4 && keyBytes.length === 1 + 2 * curve.bytes) ||
          ((first === 2 || first === 3) && keyBytes.length === 1 + curve.bytes);
        if (!valid)
          throw derFieldError(`${field}.subjectPublicKey`, offset, `invalid ${curve.name} point encoding`);
      }
      return { type: 'ec', curve: curve?.name, curveOid, point: keyBytes, bits: curve?.bits ?? 0 };
    }
    case Oid.Ed25519:
    case Oid.Ed448:
    case Oid.X25519:
    case Oid.X448: {
      // RFC 8410 §3: parameters MUST be absent.
      if (algorithm.parameters !== undefined) {
        throw derFieldError(
          `${field}.algorithm.parameters`,
          algorithm.parameters.offset,
          'parameters must be absent (RFC 8410 §3)',
        );
      }
      const type = (
        {
          [Oid.Ed25519]: 'ed25519',
          [Oid.Ed448]: 'ed448',
          [Oid.X25519]: 'x25519',
          [Oid.X448]: 'x448',
        } as const
      )[algorithm.oid];
      const length = type === 'ed25519' || type === 'x25519' ? 32 : type === 'ed448' ? 57 : 56;
      if (keyBytes.length !== length)
        throw derFieldError(`${field}.subjectPublicKey`, offset, `${type} key must be ${length} bytes`);
      const bits = type === 'ed25519' || type === 'x25519' ? 253 : type === 'ed448' ? 456 : 448;
      return { type, key: keyBytes, bits };
    }
    default:
      return { type: 'unknown', bits: undefined };
  }
}

/**
 * Parses a SubjectPublicKeyInfo element.
 * @throws X509Error `ERR_X509_DER` when malformed; `ERR_X509_UNSUPPORTED` for explicit EC curves.
 * @example parseSubjectPublicKeyInfo(reader.read('spki'), 'spki').key.type // 'rsa'
 */
export function parseSubjectPublicKeyInfo(element: DerElement, field: string): SubjectPublicKeyInfo {
  if (element.tag !== DerTag.Sequence)
    throw derFieldError(field, element.offset, 'SubjectPublicKeyInfo must be a SEQUENCE');
  const reader = DerReader.of(element);
  const algorithm = parseAlgorithmIdentifier(reader.read(`${field}.algorithm`), `${field}.algorithm`);
  const keyElement = reader.expect(DerTag.BitString, `${field}.subjectPublicKey`);
  reader.end(field);
  if (keyElement.contents[0] !== 0) {
    throw derFieldError(
      `${field}.subjectPublicKey`,
      keyElement.contentsOffset,
      'key BIT STRING must have no unused bits',
    );
  }
  const subjectPublicKey = keyElement.contents.subarray(1);
  const key = parseKey(algorithm, subjectPublicKey, keyElement.contentsOffset + 1, field);
  return { algorithm, subjectPublicKey, encoded: element.encoded, key };
}

/**
 * Parses a DER SubjectPublicKeyInfo.
 * @throws X509Error `ERR_X509_DER` when malformed or followed by trailing bytes.
 * @example parseSubjectPublicKeyInfo(spkiDer).key.type // 'ec'
 */
export function decodeSubjectPublicKeyInfo(der: Uint8Array): SubjectPublicKeyInfo {
  const reader = new DerReader(der);
  const info = parseSubjectPublicKeyInfo(reader.read('subjectPublicKeyInfo'), 'subjectPublicKeyInfo');
  reader.end('subjectPublicKeyInfo');
  return info;
}
