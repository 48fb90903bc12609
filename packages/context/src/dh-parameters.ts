// `dhparam`: finite-field Diffie-Hellman parameters for TLS 1.2 DHE suites (RFC 5246 §7.4.3), read
// from PKCS #3 `DH PARAMETERS` or X9.42 `X9.42 DH PARAMETERS` PEM, and `'auto'`, for which the
// RFC 7919 ffdhe2048 group is used (what OpenSSL 3's automatic DH chooses for 2048-bit keys).

import { DerReader, decodePem } from '@tls/x509';
import type { PemInput } from './credentials.js';
import { pemText } from './credentials.js';

/** DH parameters, big-endian without leading zeros. */
export interface DhParameters {
  readonly prime: Uint8Array;
  readonly generator: Uint8Array;
  /** Size of the prime in bits. */
  readonly bits: number;
}

function fromHex(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

// RFC 7919 Appendix A.1.
const ffdhe2048Prime =
  'FFFFFFFFFFFFFFFFADF85458A2BB4A9AAFDC5620273D3CF1D8B9C583CE2D3695A9E13641146433FBCC939DCE249B3EF9' +
  '7D2FE363630C75D8F681B202AEC4617AD3DF1ED5D5FD65612433F51F5F066ED0856365553DED1AF3B557135E7F57C935' +
  '984F0C70E0E68B77E2A689DAF3EFE8721DF158A136ADE73530ACCA4F483A797ABC0AB182B324FB61D108A94BB2C8E3FB' +
  'B96ADAB760D7F4681D4F42A3DE394DF4AE56EDE76372BB190B07A7C8EE0A6D709E02FCE1CDF7E2ECC03404CD28342F61' +
  '9172FE9CE98583FF8E4F1232EEF28183C3FE3B1B4C6FAD733BB5FCBC2EC22005C58EF1837D1683B2C6F34A26C1B2EFFA' +
  '886B423861285C97FFFFFFFFFFFFFFFF';

/**
 * The parameters `dhparam: 'auto'` stands for: RFC 7919 ffdhe2048.
 * @example autoDhParameters().bits // 2048
 */
export function autoDhParameters(): DhParameters {
  return { prime: fromHex(ffdhe2048Prime), generator: Uint8Array.of(2), bits: 2048 };
}

function stripLeadingZeros(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.slice(start);
}

/**
 * Reads DH parameters from PEM: PKCS #3 DHParameter or X9.42 DomainParameters (RFC 3279 §2.3.3),
 * both starting with p and g. `undefined` when nothing readable is there (Node ignores such a
 * value too).
 * @example readDhParameters(fs.readFileSync('dhparam.pem'))?.bits // 2048
 */
export function readDhParameters(value: PemInput): DhParameters | undefined {
  try {
    const block = decodePem(pemText(value)).find(
      (candidate) => candidate.label === 'DH PARAMETERS' || candidate.label === 'X9.42 DH PARAMETERS',
    );
    if (block === undefined) return undefined;
    const reader = new DerReader(block.der).sequence('DHParameter');
    const prime = stripLeadingZeros(reader.integer('DHParameter.prime'));
    const generator = stripLeadingZeros(reader.integer('DHParameter.base'));
    const bits = prime[0] === 0 ? 0 : (prime.length - 1) * 8 + (32 - Math.clz32(prime[0]!));
    return { prime, generator, bits };
  } catch {
    // SecureContext::SetDHParam returns quietly when the PEM does not parse.
    return undefined;
  }
}
