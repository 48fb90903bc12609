// @tls/context: createSecureContext() with Node's options, turned into @tls/handshake's
// configuration, with @tls/x509 as the peer verifier.

export {
  SecureContext,
  createSecureContext,
  defaultSessionIdContext,
  secureContextFor,
} from './secure-context.js';
export type { PeerVerificationFailure } from './secure-context.js';
export type { DhParameters } from './dh-parameters.js';
export type {
  KeyWithPassphrase,
  PemValue,
  PfxWithPassphrase,
  SecureContextOptions,
  TlsVersionName,
} from './options.js';
export { DEFAULT_CIPHERS, evaluateCipherList, getCiphers, selectCiphers } from './cipher-string.js';
export type { CipherSelection } from './cipher-string.js';
export { DEFAULT_ECDH_CURVE, parseEcdhCurve, parseSigalgs, sigalgName } from './algorithms.js';
export {
  DEFAULT_MAX_VERSION,
  DEFAULT_MIN_VERSION,
  SecureOptions,
  TlsVersion,
  secureProtocolMethods,
} from './versions.js';
export { rootCertificates } from './root-certificates.js';
export type { ContextError } from './errors.js';
export { tlsDefaults } from './defaults.js';
