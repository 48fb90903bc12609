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
  tlsDefaults,
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

// Node's DEFAULT_* are writable on the tls module and read by every context made afterwards:
// the default export's properties write through to @tls/context's defaults.
const tls = {
  get DEFAULT_CIPHERS(): string {
    return tlsDefaults.ciphers;
  },
  set DEFAULT_CIPHERS(value: string) {
    tlsDefaults.ciphers = value;
  },
  get DEFAULT_ECDH_CURVE(): string {
    return tlsDefaults.ecdhCurve;
  },
  set DEFAULT_ECDH_CURVE(value: string) {
    tlsDefaults.ecdhCurve = value;
  },
  get DEFAULT_MIN_VERSION(): string {
    return tlsDefaults.minVersion;
  },
  set DEFAULT_MIN_VERSION(value: string) {
    tlsDefaults.minVersion = value;
  },
  get DEFAULT_MAX_VERSION(): string {
    return tlsDefaults.maxVersion;
  },
  set DEFAULT_MAX_VERSION(value: string) {
    tlsDefaults.maxVersion = value;
  },
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
