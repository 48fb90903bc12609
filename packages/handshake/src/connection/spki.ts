// The one piece of X.509 the engine reads itself: the SubjectPublicKeyInfo of the peer's leaf
// certificate (RFC 5280 §4.1), to check its CertificateVerify. Everything else about certificates
// (validity, chains, names) is the verifier's business (@tls/x509 through @tls/context), so the
// handshake layer does not import x509 (DESIGN.md).

import { type CryptoProvider, type PublicKey, hasErrorCode } from '@tls/crypto';
import { AlertDescription, TlsError } from '@tls/record';

function badCertificate(what: string): TlsError {
  return new TlsError(
    'ERR_SSL_BAD_CERTIFICATE',
    AlertDescription.BadCertificate,
    `peer certificate is malformed: ${what}`,
  );
}

/** Reads one DER TLV at `offset`; returns its tag, where its content starts and where it ends. */
function readTlv(der: Uint8Array, offset: number): { tag: number; start: number; end: number } {
  if (offset + 2 > der.length) throw badCertificate('truncated');
  const tag = der[offset]!;
  let length = der[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 3 || start + count > der.length) throw badCertificate('bad length');
    length = 0;
    for (let i = 0; i < count; i++) length = (length << 8) | der[start + i]!;
    start += count;
  }
  const end = start + length;
  if (end > der.length) throw badCertificate('truncated');
  return { tag, start, end };
}

/**
 * The DER SubjectPublicKeyInfo of a certificate, a view of `certificate`.
 * @throws TlsError `ERR_SSL_BAD_CERTIFICATE` (bad_certificate) when the structure is not there.
 */
export function certificateSpki(certificate: Uint8Array): Uint8Array {
  const outer = readTlv(certificate, 0);
  if (outer.tag !== 0x30) throw badCertificate('not a SEQUENCE');
  const tbs = readTlv(certificate, outer.start);
  if (tbs.tag !== 0x30) throw badCertificate('no TBSCertificate');
  let at = tbs.start;
  let field = readTlv(certificate, at);
  if (field.tag === 0xa0) {
    at = field.end; // [0] version
    field = readTlv(certificate, at);
  }
  // serialNumber, signature, issuer, validity, subject, then subjectPublicKeyInfo.
  for (const expected of [0x02, 0x30, 0x30, 0x30, 0x30]) {
    if (field.tag !== expected) throw badCertificate('unexpected field in TBSCertificate');
    at = field.end;
    field = readTlv(certificate, at);
  }
  if (field.tag !== 0x30) throw badCertificate('no subjectPublicKeyInfo');
  return certificate.subarray(at, field.end);
}

/** The server's (or client's) leaf key, or unsupported_certificate. */
export function importPeerKey(
  provider: CryptoProvider,
  leaf: Uint8Array,
  peer: 'server' | 'client',
): PublicKey {
  try {
    return provider.importPublicKey({ key: certificateSpki(leaf), format: 'der', type: 'spki' });
  } catch (error) {
    if (hasErrorCode(error, 'ERR_SSL_BAD_CERTIFICATE')) throw error;
    throw new TlsError(
      'ERR_SSL_UNSUPPORTED_CERTIFICATE',
      AlertDescription.UnsupportedCertificate,
      `the ${peer} certificate's key is not supported`,
      { cause: error },
    );
  }
}
