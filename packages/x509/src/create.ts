// Certificate, CSR and CRL creation (RFC 5280 §4.1 and §5.1, RFC 2986 PKCS#10), signed through the
// provider. For test fixtures and for servers that make their own certificate (the echo server).

import type { CryptoProvider, PrivateKey, PublicKey, SignatureParams } from '@tls/crypto';
import { type Certificate, parseCertificate } from './certificate.js';
import { type Crl, parseCrl } from './crl.js';
import { X509Error } from './errors.js';
import { Oid } from './der/oid.js';
import { DerTag, contextTag } from './der/tags.js';
import {
  concatBytes,
  encodeBitString,
  encodeBoolean,
  encodeInteger,
  encodeNull,
  encodeObjectIdentifier,
  encodeOctetString,
  encodeSequence,
  encodeSetOf,
  encodeString,
  encodeTime,
  encodeTlv,
} from './der/writer.js';
import { encodePem } from './pem.js';
import { decodeSubjectPublicKeyInfo } from './public-key.js';
import { parseIp } from './verify/ip.js';

/** A subject or issuer: OpenSSL short names (`CN`, `O`, `C`, ...) or dotted OIDs to values, in order. */
export type NameInput = readonly (readonly [string, string])[] | Readonly<Record<string, string>>;

/** A subjectAltName entry. */
export type AltNameInput =
  | { readonly type: 'dns'; readonly value: string }
  | { readonly type: 'ip'; readonly value: string }
  | { readonly type: 'email'; readonly value: string }
  | { readonly type: 'uri'; readonly value: string };

export type KeyUsageName =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

export interface CertificateTemplate {
  readonly subject: NameInput;
  /** The certified key. */
  readonly publicKey: PublicKey;
  /** The signer; omit for a self-signed certificate (then `signingKey` must match `publicKey`). */
  readonly issuer?: Certificate;
  readonly signingKey: PrivateKey;
  /** Unsigned big-endian serial; default 16 random bytes with the top bit clear. */
  readonly serialNumber?: Uint8Array;
  /** Milliseconds since the epoch; default `provider.now()` minus one minute. */
  readonly notBefore?: number;
  /** Default: `notBefore` plus 365 days. */
  readonly notAfter?: number;
  readonly subjectAltNames?: readonly AltNameInput[];
  readonly basicConstraints?: { readonly ca: boolean; readonly pathLength?: number };
  readonly keyUsage?: readonly KeyUsageName[];
  /** `serverAuth`, `clientAuth`, `codeSigning`, `emailProtection`, `ocspSigning` or dotted OIDs. */
  readonly extKeyUsage?: readonly string[];
  readonly ocspUrl?: string;
  readonly caIssuersUrl?: string;
  readonly crlUrl?: string;
  /** Digest for RSA and ECDSA signatures; default sha256 (sha384 for P-384, sha512 for P-521). */
  readonly hash?: 'sha256' | 'sha384' | 'sha512';
}

const shortNames: Record<string, string> = {
  CN: '2.5.4.3',
  SN: '2.5.4.4',
  serialNumber: '2.5.4.5',
  C: '2.5.4.6',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  street: '2.5.4.9',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  title: '2.5.4.12',
  GN: '2.5.4.42',
  emailAddress: Oid.EmailAddress,
  DC: '0.9.2342.19200300.100.1.25',
  UID: '0.9.2342.19200300.100.1.1',
};

const purposeOids: Record<string, string> = {
  serverAuth: Oid.ServerAuth,
  clientAuth: Oid.ClientAuth,
  codeSigning: Oid.CodeSigning,
  emailProtection: Oid.EmailProtection,
  timeStamping: Oid.TimeStamping,
  ocspSigning: Oid.OcspSigning,
};

/**
 * Encodes a Name (RFC 5280 §4.1.2.4): one attribute per RDN; C, serialNumber as PrintableString,
 * emailAddress and DC as IA5String, the rest as UTF8String (RFC 5280 §4.1.2.6 recommends UTF8String).
 * @throws X509Error `ERR_X509_UNSUPPORTED` for an unknown short name.
 * @example encodeName({ CN: 'example.com', O: 'Acme' })
 */
export function encodeName(name: NameInput): Uint8Array {
  const entries: (readonly [string, string])[] = Array.isArray(name)
    ? [...(name as readonly (readonly [string, string])[])]
    : Object.entries(name as Record<string, string>);
  return encodeSequence(
    entries.map(([key, value]) => {
      const oid = shortNames[key] ?? (/^\d+(\.\d+)+$/.test(key) ? key : undefined);
      if (oid === undefined) throw new X509Error('ERR_X509_UNSUPPORTED', `unknown name attribute ${key}`);
      const tag =
        oid === '2.5.4.6' || oid === '2.5.4.5'
          ? DerTag.PrintableString
          : oid === Oid.EmailAddress || oid === '0.9.2342.19200300.100.1.25'
            ? DerTag.Ia5String
            : DerTag.Utf8String;
      return encodeSetOf([encodeSequence([encodeObjectIdentifier(oid), encodeString(value, tag)])]);
    }),
  );
}

function encodeAltName(name: AltNameInput): Uint8Array {
  switch (name.type) {
    case 'dns':
      return encodeString(name.value, contextTag(2, false));
    case 'email':
      return encodeString(name.value, contextTag(1, false));
    case 'uri':
      return encodeString(name.value, contextTag(6, false));
    case 'ip': {
      const bytes = parseIp(name.value);
      if (bytes === undefined)
        throw new X509Error('ERR_X509_UNSUPPORTED', `invalid IP address ${name.value}`);
      return encodeTlv(contextTag(7, false), bytes);
    }
  }
}

function extension(oid: string, critical: boolean, value: Uint8Array): Uint8Array {
  return encodeSequence([
    encodeObjectIdentifier(oid),
    ...(critical ? [encodeBoolean(true)] : []),
    encodeOctetString(value),
  ]);
}

const keyUsageBits: readonly KeyUsageName[] = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

function encodeKeyUsage(names: readonly KeyUsageName[]): Uint8Array {
  const bits = names.map((name) => keyUsageBits.indexOf(name));
  const highest = Math.max(...bits);
  const bytes = new Uint8Array((highest >> 3) + 1);
  for (const bit of bits) bytes[bit >> 3]! |= 0x80 >> (bit & 7);
  // DER (X.690 §11.2.2): trailing zero bits of a named bit list are removed.
  const unused = 7 - (highest & 7);
  return encodeBitString(bytes, unused);
}

interface SignatureChoice {
  readonly algorithm: Uint8Array;
  readonly params: SignatureParams;
}

function hashAlgorithmIdentifier(hash: 'sha256' | 'sha384' | 'sha512'): Uint8Array {
  const oid = { sha256: Oid.Sha256, sha384: Oid.Sha384, sha512: Oid.Sha512 }[hash];
  return encodeSequence([encodeObjectIdentifier(oid), encodeNull()]);
}

/** The AlgorithmIdentifier and provider parameters for signing with `key`. */
function signatureChoice(
  key: PrivateKey,
  requested: 'sha256' | 'sha384' | 'sha512' | undefined,
): SignatureChoice {
  switch (key.type) {
    case 'rsa': {
      const hash = requested ?? 'sha256';
      const oid = { sha256: Oid.Sha256WithRsa, sha384: Oid.Sha384WithRsa, sha512: Oid.Sha512WithRsa }[hash];
      // RFC 4055 §5: NULL parameters.
      return {
        algorithm: encodeSequence([encodeObjectIdentifier(oid), encodeNull()]),
        params: { algorithm: 'rsa-pkcs1', hash },
      };
    }
    case 'rsa-pss': {
      const hash = requested ?? 'sha256';
      const saltLength = { sha256: 32, sha384: 48, sha512: 64 }[hash];
      // RFC 4055 §3.1 RSASSA-PSS-params with explicit hash, MGF1 hash and salt length.
      const params = encodeSequence([
        encodeTlv(contextTag(0, true), hashAlgorithmIdentifier(hash)),
        encodeTlv(
          contextTag(1, true),
          encodeSequence([encodeObjectIdentifier(Oid.Mgf1), hashAlgorithmIdentifier(hash)]),
        ),
        encodeTlv(contextTag(2, true), encodeInteger(saltLength)),
      ]);
      return {
        algorithm: encodeSequence([encodeObjectIdentifier(Oid.RsassaPss), params]),
        params: { algorithm: 'rsa-pss', hash, saltLength },
      };
    }
    case 'ec': {
      const hash =
        requested ?? (key.curve === 'P-384' ? 'sha384' : key.curve === 'P-521' ? 'sha512' : 'sha256');
      const oid = { sha256: Oid.EcdsaWithSha256, sha384: Oid.EcdsaWithSha384, sha512: Oid.EcdsaWithSha512 }[
        hash
      ];
      // RFC 5758 §3.2: parameters absent.
      return {
        algorithm: encodeSequence([encodeObjectIdentifier(oid)]),
        params: { algorithm: 'ecdsa', hash },
      };
    }
    case 'ed25519':
    case 'ed448':
      // RFC 8410 §3: parameters absent.
      return {
        algorithm: encodeSequence([encodeObjectIdentifier(key.type === 'ed25519' ? Oid.Ed25519 : Oid.Ed448)]),
        params: { algorithm: key.type },
      };
  }
}

function sign(
  provider: CryptoProvider,
  key: PrivateKey,
  tbs: Uint8Array,
  choice: SignatureChoice,
): Uint8Array {
  const signature = provider.sign(choice.params, key, tbs);
  return encodeSequence([tbs, choice.algorithm, encodeBitString(signature)]);
}

/** RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING value. */
function keyIdentifier(provider: CryptoProvider, spki: Uint8Array): Uint8Array {
  return provider.hash('sha1', decodeSubjectPublicKeyInfo(spki).subjectPublicKey);
}

function randomSerial(provider: CryptoProvider): Uint8Array {
  const serial = provider.random(16);
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  return serial;
}

function unsignedInteger(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return encodeTlv(
    DerTag.Integer,
    trimmed[0]! & 0x80 ? concatBytes([new Uint8Array([0]), trimmed]) : trimmed,
  );
}

/**
 * Creates and signs a certificate (v3). Self-signed without `issuer`.
 * @throws X509Error `ERR_X509_UNSUPPORTED` for an unknown name attribute or bad IP; CryptoError from signing.
 * @example
 * const { publicKey, privateKey } = provider.generateKeyPair({ type: 'ec', curve: 'P-256' });
 * const { pem } = createCertificate({
 *   subject: { CN: 'localhost' }, publicKey, signingKey: privateKey,
 *   subjectAltNames: [{ type: 'dns', value: 'localhost' }, { type: 'ip', value: '127.0.0.1' }],
 * }, provider);
 */
export function createCertificate(
  template: CertificateTemplate,
  provider: CryptoProvider,
): { der: Uint8Array; pem: string; certificate: Certificate } {
  const notBefore = template.notBefore ?? Math.floor(provider.now() / 1000) * 1000 - 60_000;
  const notAfter = template.notAfter ?? notBefore + 365 * 86_400_000;
  const spki = template.publicKey.spki;
  const subjectKeyId = keyIdentifier(provider, spki);
  const issuerName = template.issuer?.subject.encoded ?? encodeName(template.subject);
  const authorityKeyId = template.issuer
    ? (template.issuer.decoded.subjectKeyIdentifier ??
      keyIdentifier(provider, template.issuer.subjectPublicKeyInfo.encoded))
    : subjectKeyId;
  const extensions: Uint8Array[] = [];
  if (template.basicConstraints) {
    const { ca, pathLength } = template.basicConstraints;
    extensions.push(
      extension(
        Oid.BasicConstraints,
        true,
        encodeSequence([
          ...(ca ? [encodeBoolean(true)] : []),
          ...(ca && pathLength !== undefined ? [encodeInteger(pathLength)] : []),
        ]),
      ),
    );
  }
  if (template.keyUsage && template.keyUsage.length > 0) {
    extensions.push(extension(Oid.KeyUsage, true, encodeKeyUsage(template.keyUsage)));
  }
  if (template.extKeyUsage && template.extKeyUsage.length > 0) {
    extensions.push(
      extension(
        Oid.ExtKeyUsage,
        false,
        encodeSequence(template.extKeyUsage.map((p) => encodeObjectIdentifier(purposeOids[p] ?? p))),
      ),
    );
  }
  const subjectName = encodeName(template.subject);
  if (template.subjectAltNames && template.subjectAltNames.length > 0) {
    // RFC 5280 §4.2.1.6: critical when the subject is empty.
    const emptySubject = subjectName.length === 2;
    extensions.push(
      extension(
        Oid.SubjectAltName,
        emptySubject,
        encodeSequence(template.subjectAltNames.map(encodeAltName)),
      ),
    );
  }
  extensions.push(extension(Oid.SubjectKeyIdentifier, false, encodeOctetString(subjectKeyId)));
  extensions.push(
    extension(
      Oid.AuthorityKeyIdentifier,
      false,
      encodeSequence([encodeTlv(contextTag(0, false), authorityKeyId)]),
    ),
  );
  const access: Uint8Array[] = [];
  if (template.ocspUrl) {
    access.push(
      encodeSequence([
        encodeObjectIdentifier(Oid.Ocsp),
        encodeString(template.ocspUrl, contextTag(6, false)),
      ]),
    );
  }
  if (template.caIssuersUrl) {
    access.push(
      encodeSequence([
        encodeObjectIdentifier(Oid.CaIssuers),
        encodeString(template.caIssuersUrl, contextTag(6, false)),
      ]),
    );
  }
  if (access.length > 0) extensions.push(extension(Oid.AuthorityInfoAccess, false, encodeSequence(access)));
  if (template.crlUrl) {
    // DistributionPoint { distributionPoint [0] { fullName [0] GeneralNames } }
    const fullName = encodeTlv(contextTag(0, true), encodeString(template.crlUrl, contextTag(6, false)));
    extensions.push(
      extension(
        Oid.CrlDistributionPoints,
        false,
        encodeSequence([encodeSequence([encodeTlv(contextTag(0, true), fullName)])]),
      ),
    );
  }
  const choice = signatureChoice(template.signingKey, template.hash);
  const tbs = encodeSequence([
    encodeTlv(contextTag(0, true), encodeInteger(2)),
    unsignedInteger(template.serialNumber ?? randomSerial(provider)),
    choice.algorithm,
    issuerName,
    encodeSequence([encodeTime(notBefore), encodeTime(notAfter)]),
    subjectName,
    spki,
    encodeTlv(contextTag(3, true), encodeSequence(extensions)),
  ]);
  const der = sign(provider, template.signingKey, tbs, choice);
  return { der, pem: encodePem('CERTIFICATE', der), certificate: parseCertificate(der) };
}

/**
 * Creates a PKCS#10 certificate signing request (RFC 2986 §4) with an extensionRequest for SANs.
 * @example createCsr({ subject: { CN: 'example.com' }, privateKey, subjectAltNames: [{ type: 'dns', value: 'example.com' }] }, provider).pem
 */
export function createCsr(
  request: {
    readonly subject: NameInput;
    readonly privateKey: PrivateKey;
    readonly subjectAltNames?: readonly AltNameInput[];
  },
  provider: CryptoProvider,
): { der: Uint8Array; pem: string } {
  const attributes: Uint8Array[] = [];
  if (request.subjectAltNames && request.subjectAltNames.length > 0) {
    // PKCS#9 extensionRequest (1.2.840.113549.1.9.14) holding Extensions.
    const extensions = encodeSequence([
      extension(Oid.SubjectAltName, false, encodeSequence(request.subjectAltNames.map(encodeAltName))),
    ]);
    attributes.push(
      encodeSequence([encodeObjectIdentifier('1.2.840.113549.1.9.14'), encodeSetOf([extensions])]),
    );
  }
  const info = encodeSequence([
    encodeInteger(0),
    encodeName(request.subject),
    request.privateKey.publicKey.spki,
    encodeTlv(contextTag(0, true), attributes),
  ]);
  const der = sign(provider, request.privateKey, info, signatureChoice(request.privateKey, undefined));
  return { der, pem: encodePem('CERTIFICATE REQUEST', der) };
}

function encodeIdp(idp: {
  url?: string;
  onlyContainsUserCerts?: boolean;
  onlyContainsCACerts?: boolean;
}): Uint8Array {
  const parts: Uint8Array[] = [];
  if (idp.url !== undefined) {
    const fullName = encodeTlv(contextTag(0, true), encodeString(idp.url, contextTag(6, false)));
    parts.push(encodeTlv(contextTag(0, true), fullName));
  }
  if (idp.onlyContainsUserCerts) parts.push(encodeTlv(contextTag(1, false), Uint8Array.of(0xff)));
  if (idp.onlyContainsCACerts) parts.push(encodeTlv(contextTag(2, false), Uint8Array.of(0xff)));
  return encodeSequence(parts);
}

/**
 * Creates a v2 CRL (RFC 5280 §5.1) with cRLNumber and authorityKeyIdentifier.
 * @example createCrl({ issuer: ca, signingKey: caKey, revoked: [{ serialNumber: leaf.serialNumber, revocationDate: now }] }, provider)
 */
export function createCrl(
  options: {
    readonly issuer: Certificate;
    readonly signingKey: PrivateKey;
    readonly revoked: readonly { readonly serialNumber: Uint8Array; readonly revocationDate: number }[];
    readonly thisUpdate?: number;
    readonly nextUpdate?: number;
    readonly crlNumber?: number;
    /** A critical issuingDistributionPoint (RFC 5280 §5.2.5) limiting the CRL's scope. */
    readonly issuingDistributionPoint?: {
      readonly url?: string;
      readonly onlyContainsUserCerts?: boolean;
      readonly onlyContainsCACerts?: boolean;
    };
  },
  provider: CryptoProvider,
): { der: Uint8Array; pem: string; crl: Crl } {
  const thisUpdate = options.thisUpdate ?? Math.floor(provider.now() / 1000) * 1000;
  const nextUpdate = options.nextUpdate ?? thisUpdate + 7 * 86_400_000;
  const choice = signatureChoice(options.signingKey, undefined);
  const issuerKeyId =
    options.issuer.decoded.subjectKeyIdentifier ??
    keyIdentifier(provider, options.issuer.subjectPublicKeyInfo.encoded);
  const revoked = options.revoked.map((entry) =>
    encodeSequence([encodeTlv(DerTag.Integer, entry.serialNumber), encodeTime(entry.revocationDate)]),
  );
  const tbs = encodeSequence([
    encodeInteger(1),
    choice.algorithm,
    options.issuer.subject.encoded,
    encodeTime(thisUpdate),
    encodeTime(nextUpdate),
    ...(revoked.length > 0 ? [encodeSequence(revoked)] : []),
    encodeTlv(
      contextTag(0, true),
      encodeSequence([
        extension(
          Oid.AuthorityKeyIdentifier,
          false,
          encodeSequence([encodeTlv(contextTag(0, false), issuerKeyId)]),
        ),
        extension(Oid.CrlNumber, false, encodeInteger(options.crlNumber ?? 1)),
        ...(options.issuingDistributionPoint
          ? [extension(Oid.IssuingDistributionPoint, true, encodeIdp(options.issuingDistributionPoint))]
          : []),
      ]),
    ),
  ]);
  const der = sign(provider, options.signingKey, tbs, choice);
  return { der, pem: encodePem('X509 CRL', der), crl: parseCrl(der) };
}
