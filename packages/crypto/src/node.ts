// @tls/crypto/node: the CryptoProvider implemented over node:crypto (OpenSSL).

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
