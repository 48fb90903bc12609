// What the RFC 8448 replays need besides the trace parser: the records a trace prints, the
// records our engine writes, the RFC's RSA key (§2) and the RSA-PSS salt a trace signature used.
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { CryptoProvider, PrivateKey } from '@tls/crypto';
import type { Connection, ConnectionEvent } from '@tls/handshake';
import { type TraceStep, field } from './rfc8448.js';

/** The `complete record` of every `send … record` step of one role, in trace order. */
export function sentRecords(steps: readonly TraceStep[], role: 'client' | 'server'): Uint8Array[] {
  return steps
    .filter((s) => s.role === role && /^send \S+ record$/.test(s.title))
    .map((s) => field(s, 'complete record'));
}

/** Splits a run of TLS records at their headers (RFC 8446 §5.1). */
export function splitRecords(bytes: Uint8Array | undefined): Uint8Array[] {
  const out: Uint8Array[] = [];
  if (bytes === undefined) return out;
  for (let at = 0; at < bytes.length; ) {
    if (at + 5 > bytes.length) throw new Error('truncated record header');
    const end = at + 5 + ((bytes[at + 3]! << 8) | bytes[at + 4]!);
    if (end > bytes.length) throw new Error('truncated record');
    out.push(bytes.slice(at, end));
    at = end;
  }
  return out;
}

/** The records a connection has queued for the transport. */
export function output(connection: Connection): Uint8Array[] {
  return splitRecords(connection.takeOutput());
}

/** Every event a connection has queued. */
export function events(connection: Connection): ConnectionEvent[] {
  const out: ConnectionEvent[] = [];
  for (let event = connection.nextEvent(); event !== undefined; event = connection.nextEvent())
    out.push(event);
  return out;
}

/** The components of the server's RSA key printed in RFC 8448 §2, by label. */
function rsaComponents(): Map<string, Uint8Array> {
  const text = readFileSync(
    new URL('../vectors/rfc8448/section2-server-rsa-key.txt', import.meta.url),
    'utf8',
  )
    // Page footers and headers interrupt the modulus.
    .replace(/\n+Thomson\s+Informational\s+\[Page \d+\]\n\f?\nRFC 8448[^\n]*\n+/g, '\n');
  const components = new Map<string, Uint8Array[]>();
  let current: Uint8Array[] | undefined;
  const bytes = (hexText: string) =>
    Uint8Array.from(hexText.trim().split(/\s+/), (h) => Number.parseInt(h, 16));
  for (const line of text.split('\n')) {
    const label = /^ {3}(\S[^:]*):\s+((?:[0-9a-f]{2}\s*)+)$/.exec(line);
    const more = /^ {4,}((?:[0-9a-f]{2}\s*)+)$/.exec(line);
    if (label) {
      current = [bytes(label[2]!)];
      components.set(label[1]!, current);
    } else if (more && current !== undefined) current.push(bytes(more[1]!));
    else if (line.trim() !== '') current = undefined;
  }
  return new Map(
    [...components].map(([name, parts]) => [name, Uint8Array.from(parts.flatMap((p) => [...p]))]),
  );
}

/** The RFC 8448 §2 server RSA key (1024 bits), imported through the provider. */
export function rfc8448RsaKey(provider: CryptoProvider): { privateKey: PrivateKey; modulus: Uint8Array } {
  const c = rsaComponents();
  const part = (name: string) => {
    const value = c.get(name);
    if (value === undefined) throw new Error(`RFC 8448 §2: no ${name}`);
    return Buffer.from(value).toString('base64url');
  };
  const jwk = {
    kty: 'RSA',
    n: part('modulus (public)'),
    e: part('public exponent'),
    d: part('private exponent'),
    p: part('prime1'),
    q: part('prime2'),
    dp: part('exponent1'),
    dq: part('exponent2'),
    qi: part('coefficient'),
  };
  const der = createPrivateKey({ key: jwk, format: 'jwk' }).export({ format: 'der', type: 'pkcs8' });
  return {
    privateKey: provider.importPrivateKey({ key: new Uint8Array(der) }),
    modulus: c.get('modulus (public)')!,
  };
}

function toBigInt(bytes: Uint8Array): bigint {
  return BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
}

/**
 * The salt of an RSA-PSS signature with SHA-256 and a 32-byte salt (the randomness the signer
 * drew), recovered with the public key: EM = s^e mod n (RFC 8017 §8.1.2), DB = maskedDB xor
 * MGF1(H) (§9.1.2), salt = the last 32 bytes of DB. It is an input of the replay, as the
 * client and server randoms are.
 */
export function rsaPssSalt(provider: CryptoProvider, modulus: Uint8Array, signature: Uint8Array): Uint8Array {
  const n = toBigInt(modulus);
  let em = 1n;
  let base = toBigInt(signature) % n;
  for (let e = 65537n; e > 0n; e >>= 1n) {
    if (e & 1n) em = (em * base) % n;
    base = (base * base) % n;
  }
  const bits = n.toString(2).length;
  const emLength = Math.ceil((bits - 1) / 8);
  const encoded = Uint8Array.from(Buffer.from(em.toString(16).padStart(emLength * 2, '0'), 'hex'));
  if (encoded.at(-1) !== 0xbc) throw new Error('not an RSA-PSS encoding');
  const dbLength = emLength - 32 - 1;
  const h = encoded.subarray(dbLength, dbLength + 32);
  const mask: number[] = [];
  for (let counter = 0; mask.length < dbLength; counter++) {
    mask.push(...provider.hash('sha256', [h, Uint8Array.of(0, 0, 0, counter)]));
  }
  const db = encoded.subarray(0, dbLength).map((byte, i) => byte ^ mask[i]!);
  if (db[dbLength - 33] !== 0x01) throw new Error('RSA-PSS padding does not unmask');
  return db.slice(dbLength - 32);
}
