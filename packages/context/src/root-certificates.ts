// The default trust store: the Mozilla roots Node bundles (`tls.rootCertificates`), parsed once per
// process on first use, so that creating a context stays cheap (PERF-NOTES.md: building a context
// per connect() is a large part of a native client's handshake cost).

import { rootCertificates as nodeRootCertificates } from 'node:tls';
import { type Certificate, decodePem, parseCertificate } from '@tls/x509';

/**
 * Node's bundled root certificates, as PEM strings (the same array as `tls.rootCertificates`).
 * @example rootCertificates.length // 144 on Node 20.20
 */
export const rootCertificates: readonly string[] = nodeRootCertificates;

let parsedRoots: readonly Certificate[] | undefined;

/**
 * The bundled roots, parsed (once per process; a root that does not parse is skipped, as
 * OpenSSL's store loading skips it).
 * @example defaultTrustAnchors().length // 144
 */
export function defaultTrustAnchors(): readonly Certificate[] {
  if (parsedRoots === undefined) {
    const parsed: Certificate[] = [];
    for (const pem of rootCertificates) {
      for (const block of decodePem(pem, 'CERTIFICATE')) {
        try {
          parsed.push(parseCertificate(block.der));
        } catch {
          // A root our strict DER parser refuses cannot anchor a path here; Node would keep it.
        }
      }
    }
    parsedRoots = Object.freeze(parsed);
  }
  return parsedRoots;
}
