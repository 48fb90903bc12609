// @tls/context: createSecureContext() with Node's options, turned into @tls/handshake's
// configuration, with @tls/x509 as the peer verifier.

export { DEFAULT_CIPHERS, evaluateCipherList, getCiphers, selectCiphers } from './cipher-string.js';
export type { CipherSelection } from './cipher-string.js';
