// @tls/crypto/node: the CryptoProvider implemented over node:crypto (OpenSSL).

import { X509Certificate } from 'node:crypto';
import { createNodeCryptoProvider } from './node/provider.js';

export { createNodeCryptoProvider };

/**
 * A shared node:crypto provider. It holds no per-connection state, so every connection may use it.
 *
 * @example
 * ```ts
 * // nodeCryptoProvider comes from the @tls/crypto/node entry
 * const digest = nodeCryptoProvider.hash('sha256', new TextEncoder().encode('abc'));
 * ```
 */
export const nodeCryptoProvider = /* @__PURE__ */ createNodeCryptoProvider();

/**
 * node:crypto's `X509Certificate` for a DER certificate: what Node's
 * `tlsSocket.getPeerX509Certificate()` returns. Only here, where node:crypto may be imported.
 * @example x509Certificate(der).subject // 'CN=localhost'
 */
export function x509Certificate(der: Uint8Array): X509Certificate {
  return new X509Certificate(der);
}
