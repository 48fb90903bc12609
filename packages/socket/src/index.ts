// @tls/socket: the node:tls surface over the @tls engine. Named exports and a default export
// with the same members, so `import tls from '@tls/socket'` reads like `import tls from 'node:tls'`.

import {
  DEFAULT_CIPHERS,
  DEFAULT_ECDH_CURVE,
  DEFAULT_MAX_VERSION,
  DEFAULT_MIN_VERSION,
  SecureContext,
  createSecureContext,
  getCiphers,
  rootCertificates,
} from '@tls/context';
import { connect } from './connect.js';
import { CryptoStream, SecurePair, createSecurePair, cryptoStreamPair } from './secure-pair.js';
import { renegotiationLimits } from './settings.js';
import { Server, createServer } from './server.js';
import { TLSSocket, checkServerIdentity } from './tls-socket.js';

export type { ConnectionOptions } from './connect.js';
export type { SecurePairOptions } from './secure-pair.js';
export type { TlsOptions } from './server.js';
export type { NodePeerCertificate, TLSSocketOptions } from './tls-socket.js';
export {
  CryptoStream,
  SecurePair,
  createSecurePair,
  cryptoStreamPair,
  DEFAULT_CIPHERS,
  DEFAULT_ECDH_CURVE,
  DEFAULT_MAX_VERSION,
  DEFAULT_MIN_VERSION,
  SecureContext,
  Server,
  TLSSocket,
  checkServerIdentity,
  connect,
  createSecureContext,
  createServer,
  getCiphers,
  rootCertificates,
};

/**
 * Client-initiated renegotiations allowed per window (Node's tls.CLIENT_RENEG_LIMIT). The named
 * export is the default; set `tls.CLIENT_RENEG_LIMIT` on the default export to change it.
 */
export const CLIENT_RENEG_LIMIT = 3;
/** The renegotiation window in seconds (Node's tls.CLIENT_RENEG_WINDOW); writable on the default export. */
export const CLIENT_RENEG_WINDOW = 600;

const tls = {
  get CLIENT_RENEG_LIMIT(): number {
    return renegotiationLimits.limit;
  },
  set CLIENT_RENEG_LIMIT(value: number) {
    renegotiationLimits.limit = value;
  },
  get CLIENT_RENEG_WINDOW(): number {
    return renegotiationLimits.window;
  },
  set CLIENT_RENEG_WINDOW(value: number) {
    renegotiationLimits.window = value;
  },
  DEFAULT_CIPHERS,
  DEFAULT_ECDH_CURVE,
  DEFAULT_MAX_VERSION,
  DEFAULT_MIN_VERSION,
  SecureContext,
  Server,
  TLSSocket,
  checkServerIdentity,
  connect,
  createSecureContext,
  createSecurePair,
  createServer,
  getCiphers,
  rootCertificates,
};

export default tls;
