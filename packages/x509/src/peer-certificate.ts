// Node's certificate object, as returned by `tlsSocket.getPeerCertificate()` and
// `X509Certificate.prototype.toLegacyObject()` (Node's src/crypto/crypto_x509.cc X509ToObject and
// lib/internal/tls/common.js translatePeerCertificate), rebuilt from our parse in pure code.
// Strings follow OpenSSL's printers: X509_NAME_print_ex, ASN1_TIME_print, BN_bn2hex.

import type { CryptoProvider, HashName } from '@tls/crypto';
import type { Certificate } from './certificate.js';
import { Oid, oidLongName, oidShortName } from './der/oid.js';
import type { AccessDescription } from './extensions.js';
import { type GeneralName, type Name, namesEqual } from './name.js';
import { latin1 } from './der/reader.js';
import { decodeUtf8, encodeUtf8 } from './der/utf8.js';

/** A subject or issuer object: short names to values, repeated attributes as arrays. */
export type PeerCertificateName = Record<string, string | string[]>;

/**
 * The object of Node's `getPeerCertificate()`. Node gives `raw` and `pubkey` as Buffers; here they
 * are Uint8Arrays, which the socket layer converts with `Buffer.from(bytes.buffer, ...)`.
 */
export interface PeerCertificate {
  subject: PeerCertificateName;
  issuer: PeerCertificateName;
  subjectaltname?: string;
  infoAccess?: Record<string, string[]>;
  ca: boolean;
  modulus?: string;
  bits?: number;
  exponent?: string;
  pubkey?: Uint8Array;
  asn1Curve?: string;
  nistCurve?: string;
  valid_from: string;
  valid_to: string;
  fingerprint: string;
  fingerprint256: string;
  fingerprint512: string;
  ext_key_usage?: string[];
  serialNumber: string;
  raw: Uint8Array;
}

/** The detailed form (`getPeerCertificate(true)`): each certificate links to its issuer. */
export interface DetailedPeerCertificate extends PeerCertificate {
  issuerCertificate?: DetailedPeerCertificate;
}

const hexDigits = '0123456789ABCDEF';

function toHex(bytes: Uint8Array, separator = ''): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i++) parts.push(hexDigits[bytes[i]! >> 4]! + hexDigits[bytes[i]! & 15]!);
  return parts.join(separator);
}

/**
 * OpenSSL's BN_bn2hex of a two's complement INTEGER: upper-case, whole bytes, no leading zero bytes,
 * `-` for negatives, `0` for zero.
 * @example integerToHex(certificate.serialNumber) // '7A1B39…'
 */
export function integerToHex(integer: Uint8Array): string {
  if (integer.length > 0 && integer[0]! & 0x80) {
    // Two's complement negate to get the magnitude.
    const magnitude = new Uint8Array(integer.length);
    let carry = 1;
    for (let i = integer.length - 1; i >= 0; i--) {
      const value = (~integer[i]! & 0xff) + carry;
      magnitude[i] = value & 0xff;
      carry = value >> 8;
    }
    return `-${integerToHex(magnitude)}`;
  }
  let start = 0;
  while (start < integer.length && integer[start] === 0) start++;
  if (start === integer.length) return '0';
  return toHex(integer.subarray(start));
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A time as OpenSSL's ASN1_TIME_print writes it, e.g. `Nov 11 09:52:22 2009 GMT` (day space-padded).
 * @example formatCertificateTime(Date.UTC(2009, 10, 1)) // 'Nov  1 00:00:00 2009 GMT'
 */
export function formatCertificateTime(milliseconds: number): string {
  const date = new Date(milliseconds);
  const two = (n: number) => n.toString().padStart(2, '0');
  return `${months[date.getUTCMonth()]} ${date.getUTCDate().toString().padStart(2, ' ')} ${two(date.getUTCHours())}:${two(
    date.getUTCMinutes(),
  )}:${two(date.getUTCSeconds())} ${date.getUTCFullYear()} GMT`;
}

function attributeKey(oid: string): string {
  return oidShortName(oid) ?? oid;
}

/**
 * Node's subject/issuer object (a null-prototype object, as Node makes).
 * @example nameToObject(certificate.subject) // { C: 'US', OU: ['Eng', 'Ops'], CN: 'example.com' }
 */
export function nameToObject(name: Name): PeerCertificateName {
  const object: PeerCertificateName = Object.create(null);
  for (const rdn of name.rdns) {
    for (const attribute of rdn) {
      const key = attributeKey(attribute.oid);
      const value = attribute.value ?? '';
      const existing = object[key];
      if (existing === undefined) object[key] = value;
      else if (typeof existing === 'string') object[key] = [existing, value];
      else existing.push(value);
    }
  }
  return object;
}

function escapeRfc2253(value: string): string {
  // X509_NAME_print_ex with ASN1_STRFLGS_ESC_2253 | ESC_CTRL | UTF8_CONVERT (RFC 2253 §2.4).
  let out = '';
  const chars = [...value];
  chars.forEach((char, index) => {
    const code = char.codePointAt(0)!;
    if (',+"\\<>;'.includes(char)) out += `\\${char}`;
    else if ((char === '#' || char === ' ') && index === 0) out += `\\${char}`;
    else if (char === ' ' && index === chars.length - 1) out += `\\${char}`;
    else if (code < 0x20 || code === 0x7f) out += `\\${hexDigits[code >> 4]}${hexDigits[code & 15]}`;
    else out += char;
  });
  return out;
}

/**
 * A name the way Node's `X509Certificate#subject` prints it: one `SN=value` per line, attributes of
 * a multi-valued RDN joined by ` + `, RFC 2253 escaping.
 * @example nameToString(certificate.subject) // 'C=US\nO=Acme\\, Inc.\nCN=example.com'
 */
export function nameToString(name: Name, separator = '\n'): string {
  return name.rdns
    .map((rdn) =>
      rdn
        .map((attribute) => `${attributeKey(attribute.oid)}=${escapeRfc2253(attribute.value ?? '')}`)
        .join(' + '),
    )
    .join(separator);
}

/** Node's IsSafeAltName: values with these characters are printed JSON-quoted. */
function isSafeAltName(value: string, utf8: boolean): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x22 || c === 0x5c || c === 0x2c || c === 0x27) return false;
    if (utf8) {
      if (c < 0x20 || c === 0x7f) return false;
    } else if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

function printAltName(value: string, utf8: boolean, prefix?: string): string {
  // `value` holds one char per byte for Latin-1 names; UTF-8 names are real strings here and are
  // compared per byte via their UTF-8 encoding where Node does.
  if (isSafeAltName(value, utf8)) return prefix === undefined ? value : `${prefix}:${value}`;
  let out = `"${prefix === undefined ? '' : `${prefix}:`}`;
  const bytes = utf8 ? latin1(encodeUtf8(value)) : value;
  let pendingUtf8: number[] = [];
  const flush = () => {
    if (pendingUtf8.length > 0) {
      out += decodeUtf8Lossy(Uint8Array.from(pendingUtf8));
      pendingUtf8 = [];
    }
  };
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes.charCodeAt(i);
    if (utf8 && c & 0x80) {
      pendingUtf8.push(c);
      continue;
    }
    flush();
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x2c) out += '\\u002c';
    else if (c >= 0x20 && c <= 0x7e) out += String.fromCharCode(c);
    else out += `\\u${c.toString(16).padStart(4, '0')}`;
  }
  flush();
  return `${out}"`;
}

function decodeUtf8Lossy(bytes: Uint8Array): string {
  const text = decodeUtf8(bytes);
  return typeof text === 'string' ? text : latin1(bytes);
}

const otherNamePrefixes: Record<string, { prefix: string; unicode: boolean }> = {
  '1.3.6.1.5.5.7.8.9': { prefix: 'SmtpUTF8Mailbox', unicode: true },
  '1.3.6.1.5.5.7.8.5': { prefix: 'XmppAddr', unicode: true },
  '1.3.6.1.5.5.7.8.7': { prefix: 'SRVName', unicode: false },
  '1.3.6.1.4.1.311.20.2.3': { prefix: 'UPN', unicode: true },
  '1.3.6.1.5.5.7.8.8': { prefix: 'NAIRealm', unicode: true },
};

function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  if (bytes.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2)
      groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16).toUpperCase());
    return groups.join(':');
  }
  return `<invalid length=${bytes.length}>`;
}

/**
 * One GeneralName as Node's PrintGeneralName writes it (e.g. `DNS:example.com`, `IP Address:::1` as `0:0:...:1`).
 * @example formatGeneralName({ type: 'dNSName', value: 'example.com' }) // 'DNS:example.com'
 */
export function formatGeneralName(name: GeneralName): string {
  switch (name.type) {
    case 'dNSName':
      return `DNS:${printAltName(name.value, false)}`;
    case 'rfc822Name':
      return `email:${printAltName(name.value, false)}`;
    case 'uniformResourceIdentifier':
      return `URI:${printAltName(name.value, false)}`;
    case 'directoryName':
      return `DirName:${printAltName(nameToString({ ...name.name, rdns: [...name.name.rdns].reverse() }, ','), true)}`;
    case 'iPAddress':
      return `IP Address:${formatIp(name.bytes)}`;
    case 'registeredID':
      return `Registered ID:${name.oid}`;
    case 'otherName': {
      const known = otherNamePrefixes[name.typeId];
      const tag = name.value.tag;
      if (known === undefined || (known.unicode && tag !== 0x0c) || (!known.unicode && tag !== 0x16)) {
        return 'othername:<unsupported>';
      }
      const text = known.unicode ? decodeUtf8Lossy(name.value.contents) : latin1(name.value.contents);
      return `othername:${printAltName(text, known.unicode, known.prefix)}`;
    }
    case 'x400Address':
      return 'X400Name:<unsupported>';
    case 'ediPartyName':
      return 'EdiPartyName:<unsupported>';
  }
}

/**
 * Node's `subjectaltname` string: every GeneralName joined by `, `.
 * @example formatSubjectAltName(certificate.decoded.subjectAltName ?? []) // 'DNS:a.example, IP Address:127.0.0.1'
 */
export function formatSubjectAltName(names: readonly GeneralName[]): string {
  return names.map(formatGeneralName).join(', ');
}

/**
 * Node's `X509Certificate#infoAccess` text (one `Method - Name` per line).
 * @example formatInfoAccess(aia) // 'OCSP - URI:http://ocsp.example/\nCA Issuers - URI:http://ca.example/ca.der'
 */
export function formatInfoAccess(descriptions: readonly AccessDescription[]): string {
  return descriptions
    .map((d) => `${oidLongName(d.accessMethod) ?? d.accessMethod} - ${formatGeneralName(d.accessLocation)}`)
    .join('\n');
}

/** Node's translatePeerCertificate parse of the infoAccess text. */
function infoAccessObject(text: string): Record<string, string[]> {
  const object: Record<string, string[]> = Object.create(null);
  for (const match of text.matchAll(/([^\n:]*):([^\n]*)(?:\n|$)/g)) {
    const key = match[1]!;
    let value = match[2]!;
    if (value.charCodeAt(0) === 0x22) value = JSON.parse(value) as string;
    const existing = object[key];
    if (existing) existing.push(value);
    else object[key] = [value];
  }
  return object;
}

/**
 * OpenSSL's X509_check_ca() == 1, which is Node's `ca`: basicConstraints present with cA TRUE and,
 * if keyUsage is present, keyCertSign set.
 * @example isCertificateAuthority(certificate) // same as new X509Certificate(der).ca
 */
export function isCertificateAuthority(certificate: Certificate): boolean {
  const { basicConstraints, keyUsage } = certificate.decoded;
  if (keyUsage !== undefined && !keyUsage.keyCertSign) return false;
  return basicConstraints?.ca === true;
}

const curveNames: Record<string, { asn1: string; nist?: string; bits: number }> = {
  [Oid.Secp256r1]: { asn1: 'prime256v1', nist: 'P-256', bits: 256 },
  [Oid.Secp384r1]: { asn1: 'secp384r1', nist: 'P-384', bits: 384 },
  [Oid.Secp521r1]: { asn1: 'secp521r1', nist: 'P-521', bits: 521 },
  '1.3.132.0.10': { asn1: 'secp256k1', bits: 256 },
  '1.3.36.3.3.2.8.1.1.7': { asn1: 'brainpoolP256r1', bits: 256 },
  '1.3.36.3.3.2.8.1.1.11': { asn1: 'brainpoolP384r1', bits: 384 },
  '1.3.36.3.3.2.8.1.1.13': { asn1: 'brainpoolP512r1', bits: 512 },
};

function fingerprint(provider: CryptoProvider, hash: HashName, der: Uint8Array): string {
  return toHex(provider.hash(hash, der), ':');
}

/**
 * Node's `getPeerCertificate()` object for one certificate (the short form, without
 * `issuerCertificate`), the same as `new X509Certificate(der).toLegacyObject()`.
 * @throws nothing for a parsed certificate; fingerprints use `provider.hash`.
 * @example
 * const object = toPeerCertificate(parseCertificate(der), createNodeCryptoProvider());
 * object.fingerprint256; // 'A1:D5:…'
 */
export function toPeerCertificate(certificate: Certificate, provider: CryptoProvider): PeerCertificate {
  const object: Partial<PeerCertificate> = {};
  const { decoded } = certificate;
  object.subject = nameToObject(certificate.subject);
  object.issuer = nameToObject(certificate.issuer);
  if (decoded.subjectAltName !== undefined)
    object.subjectaltname = formatSubjectAltName(decoded.subjectAltName);
  if (decoded.authorityInfoAccess !== undefined) {
    object.infoAccess = infoAccessObject(formatInfoAccess(decoded.authorityInfoAccess));
  }
  object.ca = isCertificateAuthority(certificate);
  const key = certificate.subjectPublicKeyInfo.key;
  if (key.type === 'rsa') {
    object.modulus = toHex(key.modulus);
    object.bits = key.bits;
    object.exponent = `0x${exponentHex(key.publicExponent)}`;
    object.pubkey = certificate.subjectPublicKeyInfo.encoded;
  } else if (key.type === 'ec') {
    const curve = key.curveOid === undefined ? undefined : curveNames[key.curveOid];
    if (curve !== undefined) object.bits = curve.bits;
    object.pubkey = key.point;
    if (curve !== undefined) {
      object.asn1Curve = curve.asn1;
      if (curve.nist !== undefined) object.nistCurve = curve.nist;
    }
  }
  object.valid_from = formatCertificateTime(certificate.notBefore);
  object.valid_to = formatCertificateTime(certificate.notAfter);
  object.fingerprint = fingerprint(provider, 'sha1', certificate.der);
  object.fingerprint256 = fingerprint(provider, 'sha256', certificate.der);
  object.fingerprint512 = fingerprint(provider, 'sha512', certificate.der);
  if (decoded.extKeyUsage !== undefined) object.ext_key_usage = [...decoded.extKeyUsage];
  object.serialNumber = integerToHex(certificate.serialNumber);
  object.raw = certificate.der;
  return object as PeerCertificate;
}

function exponentHex(exponent: Uint8Array): string {
  // Node prints the exponent's low word with "%" PRIx64; larger exponents saturate in BN_get_word.
  if (exponent.length > 8) return 'ffffffffffffffff';
  let value = 0n;
  for (const b of exponent) value = (value << 8n) | BigInt(b);
  return value.toString(16);
}

/**
 * The detailed form (`getPeerCertificate(true)`): `chain[0]` links to `chain[1]` and so on. When the
 * last certificate is self-issued it links to itself, as in Node; otherwise it has no issuer link.
 * @example toDetailedPeerCertificate([leaf, intermediate, root], provider).issuerCertificate?.subject
 */
export function toDetailedPeerCertificate(
  chain: readonly Certificate[],
  provider: CryptoProvider,
): DetailedPeerCertificate | undefined {
  const objects: DetailedPeerCertificate[] = chain.map((certificate) =>
    toPeerCertificate(certificate, provider),
  );
  for (let i = 0; i < objects.length - 1; i++) objects[i]!.issuerCertificate = objects[i + 1]!;
  const last = chain[chain.length - 1];
  // Node links the last certificate to itself when X509_check_issued(last, last) succeeds.
  if (last !== undefined && isIssuedBy(last, last)) {
    objects[objects.length - 1]!.issuerCertificate = objects[objects.length - 1]!;
  }
  return objects[0];
}

/**
 * OpenSSL's X509_check_issued(issuer, subject) == X509_V_OK: the names chain, the key
 * identifiers (when both present) agree, and the issuer's keyUsage (when present) allows
 * keyCertSign. The signature is not checked.
 * @example isIssuedBy(intermediate, leaf) // true
 */
export function isIssuedBy(issuer: Certificate, subject: Certificate): boolean {
  if (!namesEqual(issuer.subject, subject.issuer)) return false;
  const aki = subject.decoded.authorityKeyIdentifier;
  const ski = issuer.decoded.subjectKeyIdentifier;
  if (aki?.keyIdentifier !== undefined && ski !== undefined && !sameBytes(aki.keyIdentifier, ski))
    return false;
  if (
    aki?.authorityCertSerialNumber !== undefined &&
    !sameBytes(aki.authorityCertSerialNumber, issuer.serialNumber)
  )
    return false;
  const keyUsage = issuer.decoded.keyUsage;
  return keyUsage === undefined || keyUsage.keyCertSign;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/**
 * The chain Node puts in the detailed peer certificate (src/crypto/crypto_common.cc
 * GetPeerCert): from the leaf, each issuer found among the certificates the peer sent, then among
 * the trusted ones, until a self-issued certificate or no issuer. Pass the result to
 * {@link toDetailedPeerCertificate}.
 * @example toDetailedPeerCertificate(buildPeerChain(peerCertificates, trustAnchors), provider)
 */
export function buildPeerChain(
  peerCertificates: readonly Certificate[],
  trusted: readonly Certificate[],
): Certificate[] {
  const first = peerCertificates[0];
  if (first === undefined) return [];
  const chain: Certificate[] = [first];
  const remaining = peerCertificates.slice(1);
  let current = first;
  // AddIssuerChainToObject: issuers among what the peer sent, each used once.
  for (;;) {
    const index = remaining.findIndex((candidate) => isIssuedBy(candidate, current));
    if (index < 0) break;
    current = remaining.splice(index, 1)[0]!;
    chain.push(current);
  }
  // GetLastIssuedCert: then issuers from the trust store, until a self-issued certificate.
  while (!isIssuedBy(current, current)) {
    const issuer = trusted.find((candidate) => isIssuedBy(candidate, current));
    if (issuer === undefined || chain.includes(issuer)) break;
    chain.push(issuer);
    current = issuer;
  }
  return chain;
}
