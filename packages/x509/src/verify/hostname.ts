// Server identity checks with the exact semantics of Node's tls.checkServerIdentity (lib/tls.js),
// which follows RFC 6125 §6.4: DNS-ID matching with a wildcard only in the left-most label (§6.4.3),
// never over a two-label name; IP literals match only iPAddress SANs; the CN is used only when
// there is no DNS SAN (§6.4.4); ASCII case-insensitive; one trailing dot ignored.

import { canonicalizeIp, ipVersion } from './ip.js';

/** What checkServerIdentity reads from a certificate object: Node's `subject` and `subjectaltname`. */
export interface ServerIdentityCertificate {
  readonly subject?: Readonly<Record<string, string | readonly string[] | undefined>> | null | undefined;
  readonly subjectaltname?: string | undefined;
}

/** The error Node returns: a plain Error with `code`, `reason`, `host` and `cert`. */
export interface CertificateAltnameError extends Error {
  code: 'ERR_TLS_CERT_ALTNAME_INVALID';
  reason: string;
  host: string;
  cert: ServerIdentityCertificate;
}

function unfqdn(host: string): string {
  return host.replace(/[.]$/, '');
}

function splitHost(host: string): string[] {
  // Only A-Z are folded: String#toLowerCase is locale-sensitive for some scripts.
  return unfqdn(host)
    .replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32))
    .split('.');
}

function matchPattern(
  hostParts: readonly string[],
  pattern: string | undefined,
  wildcards: boolean,
): boolean {
  if (!pattern) return false;
  const patternParts = splitHost(pattern);
  if (hostParts.length !== patternParts.length) return false;
  if (patternParts.includes('')) return false;
  // RFC 6125 allows U-labels but they cannot be normalized reliably here; control characters and
  // blanks are never valid.
  if (patternParts.some((part) => /[^\u0021-\u007F]/u.test(part))) return false;
  for (let i = hostParts.length - 1; i > 0; i--) if (hostParts[i] !== patternParts[i]) return false;
  const hostLabel = hostParts[0]!;
  const patternLabel = patternParts[0]!;
  const pieces = patternLabel.split('*');
  // RFC 6125 §6.4.3: no wildcard substitution inside A-labels (punycode).
  if (pieces.length === 1 || patternLabel.includes('xn--')) return hostLabel === patternLabel;
  if (!wildcards) return false;
  if (pieces.length > 2) return false;
  // *.tld is never allowed.
  if (patternParts.length <= 2) return false;
  const prefix = pieces[0]!;
  const suffix = pieces[1]!;
  if (prefix.length + suffix.length > hostLabel.length) return false;
  return hostLabel.startsWith(prefix) && hostLabel.endsWith(suffix);
}

// Any valid JSON string literal (ECMA-404), for names Node printed quoted.
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON forbids raw control characters
const jsonStringPattern = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/;

function splitEscapedAltNames(altNames: string): string[] {
  const result: string[] = [];
  let current = '';
  let offset = 0;
  while (offset !== altNames.length) {
    const nextSeparator = altNames.indexOf(',', offset);
    const nextQuote = altNames.indexOf('"', offset);
    if (nextQuote !== -1 && (nextSeparator === -1 || nextQuote < nextSeparator)) {
      current += altNames.substring(offset, nextQuote);
      const match = jsonStringPattern.exec(altNames.substring(nextQuote));
      if (!match) {
        const error = new Error('Invalid subject alternative name string') as Error & { code: string };
        error.code = 'ERR_TLS_CERT_ALTNAME_FORMAT';
        throw error;
      }
      current += JSON.parse(match[0]) as string;
      offset = nextQuote + match[0].length;
    } else if (nextSeparator !== -1) {
      current += altNames.substring(offset, nextSeparator);
      result.push(current);
      current = '';
      offset = nextSeparator + 2;
    } else {
      current += altNames.substring(offset);
      offset = altNames.length;
    }
  }
  result.push(current);
  return result;
}

const altnameErrorPrototype: object = /* @__PURE__ */ Object.create(Error.prototype, {
  toString: {
    value(this: { name: string; code: string; message: string }) {
      return `${this.name} [${this.code}]: ${this.message}`;
    },
    writable: true,
    configurable: true,
  },
});

function altnameError(
  reason: string,
  host: string,
  cert: ServerIdentityCertificate,
): CertificateAltnameError {
  const error = new Error(
    `Hostname/IP does not match certificate's altnames: ${reason}`,
  ) as CertificateAltnameError;
  Object.setPrototypeOf(error, altnameErrorPrototype);
  error.code = 'ERR_TLS_CERT_ALTNAME_INVALID';
  error.reason = reason;
  error.host = host;
  error.cert = cert;
  return error;
}

/**
 * Node's `tls.checkServerIdentity(hostname, cert)`: returns undefined when `cert` (Node's
 * certificate object, see {@link toPeerCertificate}) is valid for `hostname`, else the error.
 * @throws Error `ERR_TLS_CERT_ALTNAME_FORMAT` when `subjectaltname` has a malformed quoted name.
 * @example
 * checkServerIdentity('www.example.com', { subject: {}, subjectaltname: 'DNS:*.example.com' }); // undefined
 * checkServerIdentity('example.org', peer)?.code; // 'ERR_TLS_CERT_ALTNAME_INVALID'
 */
export function checkServerIdentity(
  hostname: string,
  cert: ServerIdentityCertificate,
): CertificateAltnameError | undefined {
  const subject = cert.subject;
  const altNames = cert.subjectaltname;
  const dnsNames: string[] = [];
  const ips: (string | undefined)[] = [];
  let host = `${hostname}`;
  if (altNames) {
    const names = altNames.includes('"') ? splitEscapedAltNames(altNames) : altNames.split(', ');
    for (const name of names) {
      if (name.startsWith('DNS:')) dnsNames.push(name.slice(4));
      else if (name.startsWith('IP Address:')) ips.push(canonicalizeIp(name.slice(11)));
    }
  }
  let valid = false;
  let reason = 'Unknown reason';
  host = unfqdn(host);
  const cn = subject?.CN;
  if (ipVersion(host) !== 0) {
    valid = ips.includes(canonicalizeIp(host));
    if (!valid) reason = `IP: ${host} is not in the cert's list: ${ips.join(', ')}`;
  } else if (dnsNames.length > 0 || cn) {
    const hostParts = splitHost(host);
    const wildcard = (pattern: string | undefined) => matchPattern(hostParts, pattern, true);
    if (dnsNames.length > 0) {
      valid = dnsNames.some(wildcard);
      if (!valid) reason = `Host: ${host}. is not in the cert's altnames: ${altNames}`;
    } else {
      if (Array.isArray(cn)) valid = cn.some(wildcard);
      else if (cn) valid = wildcard(cn as string);
      if (!valid) reason = `Host: ${host}. is not cert's CN: ${cn}`;
    }
  } else {
    reason = 'Cert does not contain a DNS name';
  }
  return valid ? undefined : altnameError(reason, host, cert);
}
