// The TLS 1.3 key schedule: RFC 8446 §7 (§7.1 secrets, §7.3 traffic keys, §7.5 exporters),
// §4.4.4 (Finished), §4.2.11.2 (PSK binders), §4.6.1 (resumption PSK) and §7.2 (KeyUpdate).
//
//             0
//             |
//   PSK ->  HKDF-Extract = Early Secret ── binder key, client_early_traffic_secret, early_exporter_master_secret
//             |
//       Derive-Secret(., "derived", "")
//             |
// (EC)DHE -> HKDF-Extract = Handshake Secret ── {client,server}_handshake_traffic_secret
//             |
//       Derive-Secret(., "derived", "")
//             |
//   0 ->    HKDF-Extract = Master Secret ── {client,server}_application_traffic_secret_0,
//                                           exporter_master_secret, resumption_master_secret
//
// HKDF and Derive-Secret come from the provider; this file only strings them together. No secret
// is ever compared with `===` (provider.timingSafeEqual), and none goes into an error message.

import type { CryptoProvider, HashName } from '@tls/crypto';

/** The Derive-Secret labels of RFC 8446 §7.1 (without the `tls13 ` prefix). */
export type Tls13SecretLabel =
  | 'ext binder'
  | 'res binder'
  | 'c e traffic'
  | 'e exp master'
  | 'c hs traffic'
  | 's hs traffic'
  | 'c ap traffic'
  | 's ap traffic'
  | 'exp master'
  | 'res master';

/** Secrets available once the handshake secret is known (after ServerHello). */
export interface HandshakeSecrets {
  readonly handshakeSecret: Uint8Array;
  readonly clientHandshakeTrafficSecret: Uint8Array;
  readonly serverHandshakeTrafficSecret: Uint8Array;
}

/** Secrets available once the master secret is known (after the server Finished). */
export interface ApplicationSecrets {
  readonly masterSecret: Uint8Array;
  readonly clientApplicationTrafficSecret: Uint8Array;
  readonly serverApplicationTrafficSecret: Uint8Array;
  readonly exporterMasterSecret: Uint8Array;
}

/** A record protection key and the IV its nonces are built from (RFC 8446 §7.3). */
export interface TrafficKeys {
  readonly key: Uint8Array;
  readonly iv: Uint8Array;
}

/**
 * The key schedule for one hash. Stateless: every method takes the secrets it needs and returns
 * new ones, so a state machine keeps exactly the secrets its stage needs and drops the rest.
 *
 * @example
 * const schedule = new Tls13KeySchedule(provider, 'sha256');
 * const early = schedule.earlySecret();
 * const hs = schedule.handshakeSecrets(early, sharedSecret, transcript.currentHash());
 * const keys = schedule.trafficKeys(hs.serverHandshakeTrafficSecret, 16, 12);
 */
/**
 * What every handshake without a PSK computes alike: Hash(""), the Early Secret HKDF-Extract(0, 0)
 * and the salt derived from it. Computed once per provider and hash (a provider is deterministic
 * for them), they save three calls into OpenSSL per handshake and side. Never written to.
 */
interface ScheduleConstants {
  readonly emptyHash: Uint8Array;
  readonly earlySecret: Uint8Array;
  readonly derivedFromEarly: Uint8Array;
}

const constantsByProvider = new WeakMap<CryptoProvider, Map<HashName, ScheduleConstants>>();

function scheduleConstants(provider: CryptoProvider, hash: HashName): ScheduleConstants {
  let byHash = constantsByProvider.get(provider);
  if (byHash === undefined) {
    byHash = new Map();
    constantsByProvider.set(provider, byHash);
  }
  let constants = byHash.get(hash);
  if (constants === undefined) {
    const emptyHash = provider.hash(hash, new Uint8Array(0));
    const earlySecret = provider.hkdfExtract(hash, undefined, new Uint8Array(provider.hashLength(hash)));
    const derivedFromEarly = provider.deriveSecret(hash, earlySecret, 'derived', emptyHash);
    constants = { emptyHash, earlySecret, derivedFromEarly };
    byHash.set(hash, constants);
  }
  return constants;
}

export class Tls13KeySchedule {
  readonly provider: CryptoProvider;
  readonly hash: HashName;
  readonly hashLength: number;
  readonly #constants: ScheduleConstants;

  constructor(provider: CryptoProvider, hash: HashName) {
    this.provider = provider;
    this.hash = hash;
    this.hashLength = provider.hashLength(hash);
    this.#constants = scheduleConstants(provider, hash);
  }

  get #emptyHash(): Uint8Array {
    return this.#constants.emptyHash;
  }

  /** HKDF-Expand-Label (RFC 8446 §7.1), `label` without the `tls13 ` prefix. */
  expandLabel(secret: Uint8Array, label: string, context: Uint8Array, length: number): Uint8Array {
    return this.provider.hkdfExpandLabel(this.hash, secret, label, context, length);
  }

  /** Derive-Secret(secret, label, messages) given Transcript-Hash(messages) (RFC 8446 §7.1). */
  deriveSecret(
    secret: Uint8Array,
    label: Tls13SecretLabel | 'derived',
    transcriptHash: Uint8Array,
  ): Uint8Array {
    return this.provider.deriveSecret(this.hash, secret, label, transcriptHash);
  }

  /**
   * Early Secret = HKDF-Extract(0, PSK), with HashLen zeros when there is no PSK (RFC 8446 §7.1).
   * A resumption PSK is Hash.length bytes (§4.6.1); an external PSK may be any length.
   */
  earlySecret(psk?: Uint8Array): Uint8Array {
    if (psk === undefined) return this.#constants.earlySecret;
    return this.provider.hkdfExtract(this.hash, undefined, psk);
  }

  /** binder_key = Derive-Secret(Early Secret, "ext binder" | "res binder", "") (RFC 8446 §7.1). */
  binderKey(earlySecret: Uint8Array, kind: 'external' | 'resumption'): Uint8Array {
    return this.deriveSecret(earlySecret, kind === 'external' ? 'ext binder' : 'res binder', this.#emptyHash);
  }

  /**
   * A PSK binder: the Finished computation over the truncated ClientHello (RFC 8446 §4.2.11.2),
   * `truncatedHash` being Transcript-Hash up to and including the truncated ClientHello.
   */
  binder(binderKey: Uint8Array, truncatedHash: Uint8Array): Uint8Array {
    return this.finishedVerifyData(binderKey, truncatedHash);
  }

  /** Whether a received binder is right, in constant time (RFC 8446 §4.2.11.2). */
  verifyBinder(binderKey: Uint8Array, truncatedHash: Uint8Array, received: Uint8Array): boolean {
    return this.provider.timingSafeEqual(this.binder(binderKey, truncatedHash), received);
  }

  /** client_early_traffic_secret = Derive-Secret(Early Secret, "c e traffic", ClientHello). */
  clientEarlyTrafficSecret(earlySecret: Uint8Array, clientHelloHash: Uint8Array): Uint8Array {
    return this.deriveSecret(earlySecret, 'c e traffic', clientHelloHash);
  }

  /** early_exporter_master_secret = Derive-Secret(Early Secret, "e exp master", ClientHello). */
  earlyExporterMasterSecret(earlySecret: Uint8Array, clientHelloHash: Uint8Array): Uint8Array {
    return this.deriveSecret(earlySecret, 'e exp master', clientHelloHash);
  }

  /** Salt for the next extraction: Derive-Secret(secret, "derived", "") (RFC 8446 §7.1). */
  derivedSalt(secret: Uint8Array): Uint8Array {
    if (secret === this.#constants.earlySecret) return this.#constants.derivedFromEarly;
    return this.deriveSecret(secret, 'derived', this.#emptyHash);
  }

  /**
   * Handshake Secret = HKDF-Extract(Derive-Secret(Early Secret, "derived", ""), (EC)DHE), and the
   * two handshake traffic secrets over ClientHello…ServerHello (RFC 8446 §7.1). For psk_ke
   * (no key exchange) pass HashLen zeros as `sharedSecret`.
   */
  handshakeSecrets(
    earlySecret: Uint8Array,
    sharedSecret: Uint8Array,
    helloHash: Uint8Array,
  ): HandshakeSecrets {
    const handshakeSecret = this.provider.hkdfExtract(this.hash, this.derivedSalt(earlySecret), sharedSecret);
    return {
      handshakeSecret,
      clientHandshakeTrafficSecret: this.deriveSecret(handshakeSecret, 'c hs traffic', helloHash),
      serverHandshakeTrafficSecret: this.deriveSecret(handshakeSecret, 's hs traffic', helloHash),
    };
  }

  /**
   * Master Secret = HKDF-Extract(Derive-Secret(Handshake Secret, "derived", ""), 0), and the
   * secrets over ClientHello…server Finished (RFC 8446 §7.1).
   */
  applicationSecrets(handshakeSecret: Uint8Array, serverFinishedHash: Uint8Array): ApplicationSecrets {
    const masterSecret = this.provider.hkdfExtract(
      this.hash,
      this.derivedSalt(handshakeSecret),
      new Uint8Array(this.hashLength),
    );
    return {
      masterSecret,
      clientApplicationTrafficSecret: this.deriveSecret(masterSecret, 'c ap traffic', serverFinishedHash),
      serverApplicationTrafficSecret: this.deriveSecret(masterSecret, 's ap traffic', serverFinishedHash),
      exporterMasterSecret: this.deriveSecret(masterSecret, 'exp master', serverFinishedHash),
    };
  }

  /** resumption_master_secret = Derive-Secret(Master Secret, "res master", ClientHello…client Finished). */
  resumptionMasterSecret(masterSecret: Uint8Array, clientFinishedHash: Uint8Array): Uint8Array {
    return this.deriveSecret(masterSecret, 'res master', clientFinishedHash);
  }

  /** The PSK of a ticket: HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length) (RFC 8446 §4.6.1). */
  resumptionPsk(resumptionMasterSecret: Uint8Array, ticketNonce: Uint8Array): Uint8Array {
    return this.expandLabel(resumptionMasterSecret, 'resumption', ticketNonce, this.hashLength);
  }

  /** finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length) (RFC 8446 §4.4.4). */
  finishedKey(baseKey: Uint8Array): Uint8Array {
    return this.expandLabel(baseKey, 'finished', new Uint8Array(0), this.hashLength);
  }

  /**
   * verify_data = HMAC(finished_key, Transcript-Hash(…)) (RFC 8446 §4.4.4); `baseKey` is the
   * sender's handshake traffic secret (or application one for post-handshake authentication).
   */
  finishedVerifyData(baseKey: Uint8Array, transcriptHash: Uint8Array): Uint8Array {
    return this.provider.hmac(this.hash, this.finishedKey(baseKey), transcriptHash);
  }

  /** Whether a received Finished verify_data is right, compared in constant time (RFC 8446 §4.4.4). */
  verifyFinished(baseKey: Uint8Array, transcriptHash: Uint8Array, received: Uint8Array): boolean {
    return this.provider.timingSafeEqual(this.finishedVerifyData(baseKey, transcriptHash), received);
  }

  /**
   * [sender]_write_key = HKDF-Expand-Label(Secret, "key", "", key_length) and
   * [sender]_write_iv = HKDF-Expand-Label(Secret, "iv", "", iv_length) (RFC 8446 §7.3).
   */
  trafficKeys(secret: Uint8Array, keyLength: number, ivLength: number): TrafficKeys {
    const empty = new Uint8Array(0);
    return {
      key: this.expandLabel(secret, 'key', empty, keyLength),
      iv: this.expandLabel(secret, 'iv', empty, ivLength),
    };
  }

  /** application_traffic_secret_N+1 = HKDF-Expand-Label(application_traffic_secret_N, "traffic upd", "", Hash.length) (RFC 8446 §7.2). */
  nextApplicationTrafficSecret(secret: Uint8Array): Uint8Array {
    return this.expandLabel(secret, 'traffic upd', new Uint8Array(0), this.hashLength);
  }

  /**
   * TLS-Exporter(label, context_value, key_length) = HKDF-Expand-Label(Derive-Secret(Secret, label, ""),
   * "exporter", Hash(context_value), key_length) (RFC 8446 §7.5), `secret` being the
   * exporter_master_secret (or early_exporter_master_secret). An absent context is the same as an
   * empty one in TLS 1.3.
   * @throws RangeError when `length` exceeds 255 × Hash.length.
   */
  exportKeyingMaterial(
    secret: Uint8Array,
    label: string,
    context: Uint8Array | undefined,
    length: number,
  ): Uint8Array {
    const labelSecret = this.provider.deriveSecret(this.hash, secret, label, this.#emptyHash);
    const contextHash = this.provider.hash(this.hash, context ?? new Uint8Array(0));
    return this.expandLabel(labelSecret, 'exporter', contextHash, length);
  }
}

/** NSS key log labels for TLS 1.3 secrets (the `SSLKEYLOGFILE` format Node's `keylog` event uses). */
export type KeyLogLabel =
  | 'CLIENT_EARLY_TRAFFIC_SECRET'
  | 'EARLY_EXPORTER_SECRET'
  | 'CLIENT_HANDSHAKE_TRAFFIC_SECRET'
  | 'SERVER_HANDSHAKE_TRAFFIC_SECRET'
  | 'CLIENT_TRAFFIC_SECRET_0'
  | 'SERVER_TRAFFIC_SECRET_0'
  | 'EXPORTER_SECRET';

function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/**
 * One key log line, newline included: `<label> <client random hex> <secret hex>\n`. This is the
 * one sanctioned way for a secret to leave the engine (DESIGN.md, behaviour rules).
 * @example keyLogLine('EXPORTER_SECRET', clientHello.random, secrets.exporterMasterSecret)
 */
export function keyLogLine(label: KeyLogLabel, clientRandom: Uint8Array, secret: Uint8Array): string {
  return `${label} ${toHex(clientRandom)} ${toHex(secret)}\n`;
}
