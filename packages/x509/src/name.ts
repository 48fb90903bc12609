// Distinguished names (RFC 5280 §4.1.2.4, X.501) and GeneralName (RFC 5280 §4.2.1.6).

import { X509Error } from './errors.js';
import { type DerElement, DerReader, decodeString, derFieldError } from './der/reader.js';
import { decodeOid } from './der/oid.js';
import { DerTag, contextTag } from './der/tags.js';

/** One attribute of a name, e.g. CN=example.com. */
export interface NameAttribute {
  /** Dotted OID of the attribute type. */
  readonly oid: string;
  /** Universal tag of the value (e.g. 0x0c UTF8String, 0x13 PrintableString). */
  readonly valueTag: number;
  /** The value as text, or undefined when it is not a character string. */
  readonly value: string | undefined;
  /** The value's whole TLV (a view into the certificate). */
  readonly encodedValue: Uint8Array;
}

/** A Name: a sequence of relative distinguished names, each a set of one or more attributes. */
export interface Name {
  readonly rdns: readonly (readonly NameAttribute[])[];
  /** The whole Name TLV (a view into the certificate); names compare by these bytes first. */
  readonly encoded: Uint8Array;
}

const stringTags: readonly number[] = [
  DerTag.Utf8String,
  DerTag.PrintableString,
  DerTag.TeletexString,
  DerTag.Ia5String,
  DerTag.BmpString,
  DerTag.UniversalString,
  DerTag.NumericString,
];

/**
 * Tags allowed as attribute values in names: OpenSSL's B_ASN1_PRINTABLE set through its tag2bit
 * table (ENUMERATED, 0x0a, maps to no type there, so a name holding one does not parse).
 */
const nameValueTags: ReadonlySet<number> = /* @__PURE__ */ new Set([
  0x03, 0x07, 0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x30, 0x12, 0x13, 0x14, 0x16, 0x1c, 0x1d, 0x1e,
]);

/** Attribute types whose values are character strings (X.520, RFC 5280 appendix A). */
const stringAttributes: ReadonlySet<string> = /* @__PURE__ */ new Set([
  '2.5.4.3',
  '2.5.4.4',
  '2.5.4.5',
  '2.5.4.6',
  '2.5.4.7',
  '2.5.4.8',
  '2.5.4.9',
  '2.5.4.10',
  '2.5.4.11',
  '2.5.4.12',
  '2.5.4.17',
  '2.5.4.42',
  '2.5.4.43',
  '2.5.4.44',
  '2.5.4.46',
  '2.5.4.65',
  '2.5.4.97',
  '1.2.840.113549.1.9.1',
  '0.9.2342.19200300.100.1.25',
  '0.9.2342.19200300.100.1.1',
]);

/**
 * Parses a Name element.
 * @throws X509Error `ERR_X509_DER` when the structure or a string is malformed.
 * @example parseName(reader.read('subject'), 'subject').rdns[0][0].value
 */
export function parseName(element: DerElement, field: string): Name {
  if (element.tag !== DerTag.Sequence) throw derFieldError(field, element.offset, 'Name must be a SEQUENCE');
  const reader = DerReader.of(element);
  const rdns: NameAttribute[][] = [];
  while (reader.hasMore()) {
    const set = reader.expect(DerTag.Set, `${field}.rdn`);
    const rdnReader = DerReader.of(set);
    const attributes: NameAttribute[] = [];
    // X.501: an RDN is SET SIZE (1..MAX)
    if (!rdnReader.hasMore()) throw derFieldError(`${field}.rdn`, set.offset, 'empty RDN');
    while (rdnReader.hasMore()) {
      const atv = rdnReader.sequence(`${field}.rdn.attribute`);
      const oid = atv.oid(`${field}.rdn.attribute.type`);
      const valueElement = atv.read(`${field}.rdn.attribute.value`);
      atv.end(`${field}.rdn.attribute`);
      // RFC 5280 DirectoryString and the other attribute syntaxes; like OpenSSL (its
      // B_ASN1_PRINTABLE mask), other universal types and non-universal tags are refused.
      if (!nameValueTags.has(valueElement.tag)) {
        throw derFieldError(
          `${field}.${oid}`,
          valueElement.offset,
          `tag 0x${valueElement.tag.toString(16).padStart(2, '0')} is not allowed in a name`,
        );
      }
      const isString = stringTags.includes(valueElement.tag);
      // X.520: the naming attributes we know are character strings (DirectoryString and friends).
      if (!isString && stringAttributes.has(oid)) {
        throw derFieldError(
          `${field}.${oid}`,
          valueElement.offset,
          `attribute value must be a character string, found tag 0x${valueElement.tag.toString(16).padStart(2, '0')}`,
        );
      }
      attributes.push({
        oid,
        valueTag: valueElement.tag,
        value: isString ? decodeString(valueElement, `${field}.${oid}`) : undefined,
        encodedValue: valueElement.encoded,
      });
    }
    rdns.push(attributes);
  }
  return { rdns, encoded: element.encoded };
}

/** A GeneralName (RFC 5280 §4.2.1.6). Text forms are decoded; others keep their bytes. */
export type GeneralName =
  | { readonly type: 'otherName'; readonly typeId: string; readonly value: DerElement }
  | { readonly type: 'rfc822Name'; readonly value: string }
  | { readonly type: 'dNSName'; readonly value: string }
  | { readonly type: 'x400Address'; readonly encoded: Uint8Array }
  | { readonly type: 'directoryName'; readonly name: Name }
  | { readonly type: 'ediPartyName'; readonly encoded: Uint8Array }
  | { readonly type: 'uniformResourceIdentifier'; readonly value: string }
  | { readonly type: 'iPAddress'; readonly bytes: Uint8Array }
  | { readonly type: 'registeredID'; readonly oid: string };

function ia5(element: DerElement, field: string): string {
  // The implicit tag hides IA5String; check its alphabet (X.680 §41).
  return decodeString({ ...element, tag: DerTag.Ia5String }, field);
}

/**
 * Parses one GeneralName element.
 * @throws X509Error `ERR_X509_DER` when malformed.
 * @example parseGeneralName(reader.read('name'), 'name') // { type: 'dNSName', value: 'example.com' }
 */
export function parseGeneralName(element: DerElement, field: string): GeneralName {
  const number = element.tag & 0x1f;
  if ((element.tag & 0xc0) !== 0x80)
    throw derFieldError(field, element.offset, 'GeneralName must be context-tagged');
  const constructed = (element.tag & 0x20) !== 0;
  const expectConstructed = number === 0 || number === 3 || number === 4 || number === 5;
  if (constructed !== expectConstructed)
    throw derFieldError(field, element.offset, `GeneralName [${number}] has the wrong form`);
  switch (number) {
    case 0: {
      const reader = DerReader.of(element);
      const typeId = reader.oid(`${field}.otherName.typeId`);
      const wrapper = reader.expect(contextTag(0, true), `${field}.otherName.value`);
      reader.end(`${field}.otherName`);
      const inner = DerReader.of(wrapper);
      const value = inner.read(`${field}.otherName.value`);
      inner.end(`${field}.otherName.value`);
      return { type: 'otherName', typeId, value };
    }
    case 1:
      return { type: 'rfc822Name', value: ia5(element, `${field}.rfc822Name`) };
    case 2:
      return { type: 'dNSName', value: ia5(element, `${field}.dNSName`) };
    case 3:
      return { type: 'x400Address', encoded: element.encoded };
    case 4: {
      const reader = DerReader.of(element);
      const name = parseName(reader.read(`${field}.directoryName`), `${field}.directoryName`);
      reader.end(`${field}.directoryName`);
      return { type: 'directoryName', name };
    }
    case 5:
      return { type: 'ediPartyName', encoded: element.encoded };
    case 6:
      return { type: 'uniformResourceIdentifier', value: ia5(element, `${field}.uniformResourceIdentifier`) };
    case 7:
      return { type: 'iPAddress', bytes: element.contents };
    case 8:
      return {
        type: 'registeredID',
        oid: decodeOid(element.contents, element.contentsOffset, `${field}.registeredID`),
      };
    default:
      throw new X509Error(
        'ERR_X509_DER',
        `${field}: unknown GeneralName tag [${number}] at byte offset ${element.offset}`,
        {
          field,
          offset: element.offset,
        },
      );
  }
}

/**
 * Parses GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName from a reader over its contents.
 * @example parseGeneralNames(DerReader.of(element), 'subjectAltName')
 */
export function parseGeneralNames(reader: DerReader, field: string, allowEmpty = false): GeneralName[] {
  const names: GeneralName[] = [];
  const start = reader.offset;
  while (reader.hasMore()) names.push(parseGeneralName(reader.read(field), field));
  if (names.length === 0 && !allowEmpty) throw derFieldError(field, start, 'GeneralNames must not be empty');
  return names;
}

/**
 * Compares two names: by bytes, else by RFC 5280 §7.1 comparison (case-folded, whitespace-collapsed strings).
 * @example namesEqual(child.issuer, parent.subject) // true when parent issued child
 */
export function namesEqual(a: Name, b: Name): boolean {
  if (bytesEqual(a.encoded, b.encoded)) return true;
  if (a.rdns.length !== b.rdns.length) return false;
  for (let i = 0; i < a.rdns.length; i++) {
    const x = a.rdns[i]!;
    const y = b.rdns[i]!;
    if (x.length !== y.length) return false;
    for (const attribute of x) {
      if (!y.some((other) => attributesEqual(attribute, other))) return false;
    }
  }
  return true;
}

function attributesEqual(a: NameAttribute, b: NameAttribute): boolean {
  if (a.oid !== b.oid) return false;
  if (a.value !== undefined && b.value !== undefined)
    return foldedValue(a, a.value) === foldedValue(b, b.value);
  return bytesEqual(a.encodedValue, b.encodedValue);
}

/**
 * A string equal for two names exactly when {@link namesEqual} holds (RDNs in order, the
 * attributes of each in a canonical order, values folded as namesEqual folds them): a key to
 * index certificates by subject. Remembered per name.
 * @example nameKey(certificate.subject) === nameKey(other.issuer) // other may be issued by certificate
 */
export function nameKey(name: Name): string {
  let key = nameKeys.get(name);
  if (key === undefined) {
    key = name.rdns
      .map((rdn) =>
        rdn
          .map((attribute) =>
            attribute.value === undefined
              ? `${attribute.oid}#${hexOf(attribute.encodedValue)}`
              : `${attribute.oid}=${foldedValue(attribute, attribute.value)}`,
          )
          .sort()
          .join('+'),
      )
      .join(',');
    nameKeys.set(name, key);
  }
  return key;
}

const nameKeys = new WeakMap<Name, string>();

function hexOf(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/**
 * An attribute's folded value, computed once per attribute: path building compares the issuer
 * name with every trust anchor's subject (the 144 bundled roots), and the anchors are parsed once.
 */
const foldedValues = new WeakMap<NameAttribute, string>();
function foldedValue(attribute: NameAttribute, value: string): string {
  let folded = foldedValues.get(attribute);
  if (folded === undefined) {
    folded = foldName(value);
    foldedValues.set(attribute, folded);
  }
  return folded;
}

/** RFC 4518-lite: trim, collapse inner whitespace, case-fold. */
function foldName(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * Byte-wise equality (not constant-time: for public data only).
 * @example bytesEqual(a.der, b.der)
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
