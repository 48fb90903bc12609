// Name constraints (RFC 5280 §4.2.1.10, applied as in §6.1.3(b)-(c) and §6.1.4(g)): DNS names,
// IP addresses, email addresses (RFC 5280 §4.2.1.10 rfc822Name forms), directory names and URIs.
// Name forms we cannot evaluate are rejected when a constraint of that form exists (§4.2.1.10:
// "the application MUST either process the constraint or reject the certificate").

import type { Certificate } from '../certificate.js';
import { Oid } from '../der/oid.js';
import type { GeneralSubtree, NameConstraints } from '../extensions.js';
import type { GeneralName, Name } from '../name.js';
import { bytesEqual } from '../name.js';

/** Why a name violates constraints, or undefined. */
export interface ConstraintViolation {
  readonly code:
    | 'PERMITTED_VIOLATION'
    | 'EXCLUDED_VIOLATION'
    | 'UNSUPPORTED_NAME_SYNTAX'
    | 'UNSUPPORTED_CONSTRAINT_TYPE'
    | 'UNSPECIFIED';
  readonly name: string;
}

function lower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

const dnsLabel = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/;

/**
 * A DNS name constraint must be a plain host name (RFC 5280 §4.2.1.10; no leading period or wildcard).
 * @example isValidDnsConstraint('.example.com') // false
 */
export function isValidDnsConstraint(value: string): boolean {
  if (value === '') return true;
  const labels = lower(value).split('.');
  return labels.every((label) => dnsLabel.test(label));
}

/**
 * A DNS SAN: LDH labels, a `*` only as the whole left-most label (RFC 5280 §4.2.1.6, RFC 6125 §6.4.3).
 * @example isValidDnsName('*.example.com', true) // true
 */
export function isValidDnsName(value: string, allowWildcard: boolean): boolean {
  if (value.length === 0 || value.length > 253) return false;
  const labels = lower(value).split('.');
  if (labels.length >= 1 && /^\d+$/.test(labels[labels.length - 1]!)) return false;
  return labels.every((label, index) => {
    if (label === '*' && index === 0 && allowWildcard) return labels.length > 2;
    return /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(label);
  });
}

function dnsMatches(name: string, constraint: string): boolean {
  const n = lower(name).replace(/\.$/, '');
  const c = lower(constraint).replace(/\.$/, '');
  if (c === '') return true;
  return n === c || n.endsWith(`.${c}`);
}

/** Whether a wildcard SAN `*.x` could stand for a name inside the excluded subtree `c`. */
function wildcardMayMatch(name: string, constraint: string): boolean {
  if (!name.startsWith('*.')) return false;
  const base = lower(name.slice(2));
  const c = lower(constraint);
  // *.example.com covers one label under example.com: an exclusion of bar.example.com (or any
  // name under example.com's children) intersects it.
  return c.endsWith(`.${base}`);
}

function ipMatches(address: Uint8Array, constraint: Uint8Array): boolean {
  const length = address.length;
  if (constraint.length !== length * 2) return false;
  for (let i = 0; i < length; i++) {
    const mask = constraint[length + i]!;
    if ((address[i]! & mask) !== (constraint[i]! & mask)) return false;
  }
  return true;
}

/**
 * iPAddress constraints are address‖mask with a contiguous mask (RFC 5280 §4.2.1.10, RFC 4632).
 * @example isValidIpConstraint(Uint8Array.of(10, 0, 0, 0, 255, 0, 0, 0)) // true
 */
export function isValidIpConstraint(bytes: Uint8Array): boolean {
  if (bytes.length !== 8 && bytes.length !== 32) return false;
  const mask = bytes.subarray(bytes.length / 2);
  let seenZero = false;
  for (const byte of mask) {
    for (let bit = 7; bit >= 0; bit--) {
      const set = (byte >> bit) & 1;
      if (set && seenZero) return false;
      if (!set) seenZero = true;
    }
  }
  return true;
}

function emailMatches(email: string, constraint: string): boolean {
  const at = email.lastIndexOf('@');
  if (at < 0) return false;
  const host = lower(email.slice(at + 1));
  if (constraint.includes('@')) {
    // A whole mailbox: local part exact (case-sensitive), host case-insensitive.
    const cAt = constraint.lastIndexOf('@');
    return email.slice(0, at) === constraint.slice(0, cAt) && host === lower(constraint.slice(cAt + 1));
  }
  if (constraint.startsWith('.')) return host.endsWith(lower(constraint));
  return host === lower(constraint);
}

/** RFC 5280 §4.2.1.10: a directoryName constraint matches names that start with its RDNs. */
function directoryMatches(name: Name, constraint: Name): boolean {
  if (constraint.rdns.length > name.rdns.length) return false;
  for (let i = 0; i < constraint.rdns.length; i++) {
    const a = constraint.rdns[i]!;
    const b = name.rdns[i]!;
    if (a.length !== b.length) return false;
    for (const attribute of a) {
      const match = b.some(
        (other) =>
          other.oid === attribute.oid &&
          (attribute.value !== undefined && other.value !== undefined
            ? lower(attribute.value.trim()) === lower(other.value.trim())
            : bytesEqual(attribute.encodedValue, other.encodedValue)),
      );
      if (!match) return false;
    }
  }
  return true;
}

function uriHost(uri: string): string | undefined {
  const match = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/.exec(uri);
  return match?.[1];
}

function uriMatches(uri: string, constraint: string): boolean {
  const host = uriHost(uri);
  if (host === undefined || host === '' || host.startsWith('[')) return false;
  if (constraint.startsWith('.')) return lower(host).endsWith(lower(constraint));
  return lower(host) === lower(constraint);
}

type NameForm = GeneralName['type'];

/** The names of a certificate that constraints apply to: SANs, the subject DN and subject emails. */
function namesOf(certificate: Certificate, isLeaf: boolean): GeneralName[] {
  const names: GeneralName[] = [...(certificate.decoded.subjectAltName ?? [])];
  if (certificate.subject.rdns.length > 0) names.push({ type: 'directoryName', name: certificate.subject });
  for (const rdn of certificate.subject.rdns) {
    for (const attribute of rdn) {
      // RFC 5280 §4.2.1.10: emailAddress attributes in the subject are constrained as rfc822Names.
      if (attribute.oid === Oid.EmailAddress && attribute.value !== undefined) {
        names.push({ type: 'rfc822Name', value: attribute.value });
      }
    }
  }
  // Without a SAN, a host name in a leaf's CN is treated as a dNSName (as browsers and webpki do).
  if (isLeaf && certificate.decoded.subjectAltName === undefined) {
    for (const rdn of certificate.subject.rdns) {
      for (const attribute of rdn) {
        if (
          attribute.oid === Oid.CommonName &&
          attribute.value !== undefined &&
          isValidDnsName(attribute.value, true)
        ) {
          names.push({ type: 'dNSName', value: attribute.value });
        }
      }
    }
  }
  return names;
}

function describe(name: GeneralName): string {
  switch (name.type) {
    case 'dNSName':
    case 'rfc822Name':
    case 'uniformResourceIdentifier':
      return `${name.type}:${name.value}`;
    case 'iPAddress':
      return `iPAddress:${[...name.bytes].join('.')}`;
    default:
      return name.type;
  }
}

/** Whether `name` is within `subtree`; undefined when the forms differ. */
function within(name: GeneralName, subtree: GeneralSubtree, excluded: boolean): boolean | undefined {
  const base = subtree.base;
  if (name.type !== base.type) return undefined;
  switch (name.type) {
    case 'dNSName': {
      const constraint = (base as { value: string }).value;
      if (dnsMatches(name.value, constraint)) return true;
      return excluded && wildcardMayMatch(name.value, constraint);
    }
    case 'iPAddress':
      return ipMatches(name.bytes, (base as { bytes: Uint8Array }).bytes);
    case 'rfc822Name':
      return emailMatches(name.value, (base as { value: string }).value);
    case 'directoryName':
      return directoryMatches(name.name, (base as { name: Name }).name);
    case 'uniformResourceIdentifier':
      return uriMatches(name.value, (base as { value: string }).value);
    default:
      return undefined;
  }
}

const supportedForms: ReadonlySet<NameForm> = /* @__PURE__ */ new Set<NameForm>([
  'dNSName',
  'iPAddress',
  'rfc822Name',
  'directoryName',
  'uniformResourceIdentifier',
]);

/**
 * Checks that the constraint values are well-formed (a malformed constraint rejects the path).
 * @example validateNameConstraints(ca.decoded.nameConstraints!) // undefined when well-formed
 */
export function validateNameConstraints(constraints: NameConstraints): string | undefined {
  for (const subtree of [...(constraints.permittedSubtrees ?? []), ...(constraints.excludedSubtrees ?? [])]) {
    const base = subtree.base;
    // RFC 5280 §4.2.1.10: minimum MUST be zero and maximum MUST be absent.
    if (subtree.minimum !== 0 || subtree.maximum !== undefined) return 'minimum/maximum must be absent';
    if (base.type === 'dNSName' && !isValidDnsConstraint(base.value))
      return `invalid DNS constraint ${base.value}`;
    if (base.type === 'iPAddress' && !isValidIpConstraint(base.bytes)) return 'invalid iPAddress constraint';
    if (base.type === 'rfc822Name') {
      const value = base.value;
      const at = value.indexOf('@');
      const host = at >= 0 ? value.slice(at + 1) : value.replace(/^\./, '');
      if (value.split('@').length > 2 || at === 0 || !isValidDnsConstraint(host) || host === '') {
        return `invalid rfc822Name constraint ${value}`;
      }
    }
  }
  return undefined;
}

/**
 * Checks `certificate`'s names against one nameConstraints extension.
 * @returns the violation, or undefined when every name is allowed.
 * @example checkNameConstraints(leaf, ca.decoded.nameConstraints!)?.code // 'PERMITTED_VIOLATION'
 */
export function checkNameConstraints(
  certificate: Certificate,
  constraints: NameConstraints,
  isLeaf = true,
): ConstraintViolation | undefined {
  const permitted = constraints.permittedSubtrees ?? [];
  const excluded = constraints.excludedSubtrees ?? [];
  const constrainedForms = new Set<NameForm>([...permitted, ...excluded].map((s) => s.base.type));
  const names = namesOf(certificate, isLeaf);
  // OpenSSL's NAME_CHECK_MAX: refuse quadratic work on pathological certificates.
  if (names.length * (permitted.length + excluded.length) > 1 << 20)
    return { code: 'UNSPECIFIED', name: 'too many names and constraints' };
  for (const name of names) {
    if (!constrainedForms.has(name.type)) continue;
    if (!supportedForms.has(name.type)) return { code: 'UNSUPPORTED_CONSTRAINT_TYPE', name: describe(name) };
    if (name.type === 'rfc822Name' && (name.value.split('@').length !== 2 || name.value.startsWith('@')))
      return { code: 'UNSUPPORTED_NAME_SYNTAX', name: describe(name) };
    if (name.type === 'iPAddress' && name.bytes.length !== 4 && name.bytes.length !== 16) {
      return { code: 'UNSUPPORTED_NAME_SYNTAX', name: describe(name) };
    }
    if (name.type === 'dNSName' && !isValidDnsName(name.value, true))
      return { code: 'UNSUPPORTED_NAME_SYNTAX', name: describe(name) };
    for (const subtree of excluded) {
      if (within(name, subtree, true) === true) return { code: 'EXCLUDED_VIOLATION', name: describe(name) };
    }
    const relevant = permitted.filter((subtree) => subtree.base.type === name.type);
    if (relevant.length > 0 && !relevant.some((subtree) => within(name, subtree, false) === true)) {
      return { code: 'PERMITTED_VIOLATION', name: describe(name) };
    }
  }
  return undefined;
}
