// TLS 1.2 (and 1.0/1.1) record protection from the master secret: the key block (RFC 5246 §6.3)
// split for the suite, AEAD (RFC 5288 §3, RFC 7905 §2) or CBC with HMAC, MAC-then-encrypt
// (RFC 5246 §6.2.3.2) or encrypt-then-MAC (RFC 7366 §3).

import type { CryptoProvider } from '@tls/crypto';
import { type RecordProtection, createTls12AeadProtection, createTls12CbcProtection } from '@tls/record';
import type { CipherSuiteInfo } from '../suites.js';
import { Tls12KeySchedule, tls12KeyBlockLayout, tls12PrfAlgorithm } from './tls12.js';

/** Both directions' protection for one TLS 1.2 session. */
export interface Tls12Protections {
  readonly client: RecordProtection;
  readonly server: RecordProtection;
}

/**
 * The record protection of both directions for `suite` at `version`.
 * @example const { client, server } = tls12Protections(provider, suite, 0x0303, master, cr, sr, false);
 */
export function tls12Protections(
  provider: CryptoProvider,
  suite: CipherSuiteInfo,
  version: number,
  masterSecret: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
  encryptThenMac: boolean,
): Tls12Protections {
  const schedule = new Tls12KeySchedule(provider, tls12PrfAlgorithm(suite, version));
  const keys = schedule.keyBlock(
    masterSecret,
    clientRandom,
    serverRandom,
    tls12KeyBlockLayout(suite, version),
  );
  if (suite.cipherType === 'aead') {
    return {
      client: createTls12AeadProtection(provider, {
        aead: suite.aead,
        key: keys.clientKey,
        fixedIv: keys.clientIv,
      }),
      server: createTls12AeadProtection(provider, {
        aead: suite.aead,
        key: keys.serverKey,
        fixedIv: keys.serverIv,
      }),
    };
  }
  const side = (key: Uint8Array, macKey: Uint8Array, iv: Uint8Array) =>
    createTls12CbcProtection(provider, {
      cipher: suite.cipher,
      key,
      macHash: suite.mac,
      macKey,
      version,
      ...(iv.length > 0 ? { iv } : {}),
      encryptThenMac,
    });
  return {
    client: side(keys.clientKey, keys.clientMacKey, keys.clientIv),
    server: side(keys.serverKey, keys.serverMacKey, keys.serverIv),
  };
}
