// The default trust store: the Mozilla roots Node bundles (`tls.rootCertificates`). Creating a
// context stays cheap (PERF-NOTES.md: building a context per connect() is a large part of a
// native client's handshake cost) and so does verifying: the roots are indexed by subject once per
// process, from their subjects alone, and a root is parsed only when a chain names it. Parsed,
// the 144 roots held 1.45 MB of heap, enough to keep V8's old generation past the size where it
// starts full collections, which then ran back to back during uploads.

import { rootCertificates as nodeRootCertificates } from 'node:tls';
import {
  type Certificate,
  type Name,
  decodePem,
  nameKey,
  parseCertificate,
  parseCertificateSubject,
} from '@tls/x509';

/**
 * Node's bundled root certificates, as PEM strings (the same array as `tls.rootCertificates`).
 * @example rootCertificates.length // 144 on Node 20.20
 */
export const rootCertificates: readonly string[] = nodeRootCertificates;

interface Root {
  /** Position in the bundle: anchors are offered to path building in the bundle's order. */
  readonly position: number;
  readonly der: Uint8Array;
  /** Parsed on first use; null when our strict parser refuses it. */
  parsed: Certificate | null | undefined;
}

let rootsBySubject: Map<string, Root[]> | undefined;
let allRoots: readonly Root[] | undefined;

function roots(): { bySubject: Map<string, Root[]>; all: readonly Root[] } {
  if (rootsBySubject === undefined || allRoots === undefined) {
    const bySubject = new Map<string, Root[]>();
    const all: Root[] = [];
    for (const pem of rootCertificates) {
      for (const block of decodePem(pem, 'CERTIFICATE')) {
        let key: string;
        try {
          key = nameKey(parseCertificateSubject(block.der));
        } catch {
          continue; // A root whose structure does not parse cannot anchor a path here.
        }
        const root: Root = { position: all.length, der: block.der, parsed: undefined };
        all.push(root);
        const same = bySubject.get(key);
        if (same === undefined) bySubject.set(key, [root]);
        else same.push(root);
      }
    }
    rootsBySubject = bySubject;
    allRoots = all;
  }
  return { bySubject: rootsBySubject, all: allRoots };
}

function parsedRoot(root: Root): Certificate | null {
  if (root.parsed === undefined) {
    try {
      root.parsed = parseCertificate(root.der);
    } catch {
      // A root our strict DER parser refuses cannot anchor a path here; Node would keep it.
      root.parsed = null;
    }
  }
  return root.parsed;
}

let parsedRoots: readonly Certificate[] | undefined;

/**
 * The bundled roots, all parsed (once per process; a root that does not parse is skipped, as
 * OpenSSL's store loading skips it).
 * @example defaultTrustAnchors().length // 144
 */
export function defaultTrustAnchors(): readonly Certificate[] {
  parsedRoots ??= Object.freeze(
    roots()
      .all.map(parsedRoot)
      .filter((root): root is Certificate => root !== null),
  );
  return parsedRoots;
}

/**
 * The bundled roots a path from `chain` can use, in the bundle's order: those whose subject is a
 * subject or issuer of the chain, then those naming the found roots' issuers, and so on. Path
 * building matches anchors by name (RFC 5280 §6.1, OpenSSL's X509_check_issued), so verifying
 * against these gives what verifying against all the roots gives.
 * @example verifyChain(leaf, { trustAnchors: defaultTrustAnchorsFor([leaf, ...intermediates]) }, provider)
 */
export function defaultTrustAnchorsFor(chain: readonly Certificate[]): readonly Certificate[] {
  const { bySubject } = roots();
  const names: Name[] = [];
  for (const certificate of chain) names.push(certificate.subject, certificate.issuer);
  const seen = new Set<string>();
  const found: Root[] = [];
  for (let name = names.pop(); name !== undefined; name = names.pop()) {
    const key = nameKey(name);
    if (seen.has(key)) continue;
    seen.add(key);
    for (const root of bySubject.get(key) ?? []) {
      const certificate = parsedRoot(root);
      if (certificate === null) continue;
      found.push(root);
      names.push(certificate.issuer);
    }
  }
  return found.sort((a, b) => a.position - b.position).map((root) => root.parsed as Certificate);
}
