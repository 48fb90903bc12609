// @tls/test-kit: test support shared by the packages' tests (private, consumed from source through
// the vitest alias in tooling/vitest/config.ts). It depends on no @tls layer, so any layer's tests
// may use it; only test files may import it (tooling/scripts/check-layering.mjs).
export { cleanupAfterEach } from './cleanup.js';
export { gnutlsClient, gnutlsServer, requireGnutls } from './gnutls.js';
export { type Listener, connectTo, listenOnLoopback, listenOnce } from './loopback.js';
export { nativeTlsHandshake } from './native-tls.js';
export { opensslClient, opensslServer } from './openssl.js';
export {
  type Engine,
  type EngineEvent,
  type Side,
  errorOf,
  eventsOf,
  settle,
  side,
  text,
  transfer,
} from './pair.js';
export { type Peer, defaultWaitMs, startPeer } from './peer.js';
export {
  type CertificateFiles,
  type IssueOptions,
  type Issued,
  type KeyAlgorithm,
  type LocalhostPki,
  OpensslDir,
  type PkiEntity,
  type SelfSignedOptions,
  localhostPki,
  selfSignedCertificate,
  temporaryDirectory,
} from './pki.js';
