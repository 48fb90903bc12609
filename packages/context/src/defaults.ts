// The defaults Node lets a program change by assigning tls.DEFAULT_CIPHERS, DEFAULT_ECDH_CURVE,
// DEFAULT_MIN_VERSION and DEFAULT_MAX_VERSION: read by createSecureContext when the option is
// absent, so an assignment affects every context made afterwards, as in Node.

import { DEFAULT_ECDH_CURVE } from './algorithms.js';
import { DEFAULT_CIPHERS } from './cipher-string.js';
import { DEFAULT_MAX_VERSION, DEFAULT_MIN_VERSION } from './versions.js';

export const tlsDefaults: { ciphers: string; ecdhCurve: string; minVersion: string; maxVersion: string } = {
  ciphers: DEFAULT_CIPHERS,
  ecdhCurve: DEFAULT_ECDH_CURVE,
  minVersion: DEFAULT_MIN_VERSION,
  maxVersion: DEFAULT_MAX_VERSION,
};
