// RFC 8448 §3–§6: every secret, key, IV, Finished and binder the traces print, computed from
// the traces' own messages and key pairs through Transcript and Tls13KeySchedule.
import { describe, expect, it } from 'vitest';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import {
  Tls13KeySchedule,
  Transcript,
  decodeClientHello,
  decodeNewSessionTicket,
  decodeServerHello,
  encodeFinished,
  getCipherSuite,
  getExtension,
} from '@tls/handshake';
import { p256, x25519 } from './helpers/ecdh.js';
import { type TraceStep, field, hex, loadTrace, message, step } from './helpers/rfc8448.js';

const provider = createNodeCryptoProvider();
const schedule = new Tls13KeySchedule(provider, 'sha256');
const suite = getCipherSuite(0x1301)!;

/** A Derive-Secret step: its PRK, transcript hash and output all match ours. */
function expectDerived(
  s: TraceStep,
  secret: Uint8Array,
  transcriptHash: Uint8Array,
  derived: Uint8Array,
): void {
  expect(hex(field(s, 'PRK'))).toBe(hex(secret));
  expect(hex(field(s, 'hash'))).toBe(hex(transcriptHash));
  expect(hex(field(s, 'expanded'))).toBe(hex(derived));
}

/** A traffic-key step: key and IV from the secret. */
function expectKeys(s: TraceStep, secret: Uint8Array): void {
  const keys = schedule.trafficKeys(secret, suite.keyLength, 12);
  expect(hex(field(s, 'PRK'))).toBe(hex(secret));
  expect(hex(keys.key)).toBe(hex(field(s, 'key expanded')));
  expect(hex(keys.iv)).toBe(hex(field(s, 'iv expanded')));
}

/** A finished step: finished_key and verify_data; the printed Finished message carries it. */
function expectFinished(
  s: TraceStep,
  baseKey: Uint8Array,
  transcriptHash: Uint8Array,
  finished: Uint8Array,
): void {
  expect(hex(field(s, 'PRK'))).toBe(hex(baseKey));
  expect(hex(schedule.finishedKey(baseKey))).toBe(hex(field(s, 'expanded')));
  const verifyData = schedule.finishedVerifyData(baseKey, transcriptHash);
  expect(hex(verifyData)).toBe(hex(field(s, 'finished')));
  expect(hex(encodeFinished({ verifyData }))).toBe(hex(finished));
  expect(schedule.verifyFinished(baseKey, transcriptHash, field(s, 'finished'))).toBe(true);
  const tampered = verifyData.slice();
  tampered[0]! ^= 1;
  expect(schedule.verifyFinished(baseKey, transcriptHash, tampered)).toBe(false);
}

interface FullHandshake {
  trace: TraceStep[];
  /** Messages before ServerHello, in transcript order. */
  helloMessages: Uint8Array[];
  sharedSecret: Uint8Array;
  psk?: Uint8Array;
  /** Server messages after ServerHello up to and excluding server Finished. */
  serverFlight: Uint8Array[];
  /** Client messages before its Finished (EndOfEarlyData, Certificate, CertificateVerify). */
  clientFlight: Uint8Array[];
  hrr?: boolean;
}

/** Replays the key schedule of one handshake as RFC 8448 prints it, checking every value. */
function replay(h: FullHandshake): { resumptionMasterSecret: Uint8Array } {
  const t = h.trace;
  const transcript = new Transcript(provider);
  const [first, ...rest] = h.helloMessages;
  transcript.add(first!);
  transcript.startHash('sha256');
  if (h.hrr) transcript.replaceWithMessageHash();
  for (const m of rest) transcript.add(m);
  transcript.add(message(t, 'ServerHello', 'server', h.hrr ? 1 : 0));

  const early = schedule.earlySecret(h.psk);
  expect(hex(early)).toBe(hex(field(step(t, 'extract secret "early"'), 'secret')));
  const derivedHs = step(t, 'derive secret for handshake "tls13 derived"', 'server');
  expect(hex(schedule.derivedSalt(early))).toBe(hex(field(derivedHs, 'expanded')));

  const extractHs = step(t, 'extract secret "handshake"', 'server');
  expect(hex(field(extractHs, 'IKM'))).toBe(hex(h.sharedSecret));
  const helloHash = transcript.currentHash();
  const hs = schedule.handshakeSecrets(early, h.sharedSecret, helloHash);
  expect(hex(hs.handshakeSecret)).toBe(hex(field(extractHs, 'secret')));
  expectDerived(
    step(t, 'derive secret "tls13 c hs traffic"', 'server'),
    hs.handshakeSecret,
    helloHash,
    hs.clientHandshakeTrafficSecret,
  );
  expectDerived(
    step(t, 'derive secret "tls13 s hs traffic"', 'server'),
    hs.handshakeSecret,
    helloHash,
    hs.serverHandshakeTrafficSecret,
  );
  expectKeys(
    step(t, 'derive write traffic keys for handshake data', 'server'),
    hs.serverHandshakeTrafficSecret,
  );
  // The client's handshake keys are printed once: as the server's read keys or the client's write keys.
  const clientHandshakeKeys = t.find(
    (s) =>
      s.fields.size > 0 &&
      ((s.role === 'server' && s.title === 'derive read traffic keys for handshake data') ||
        (s.role === 'client' && s.title === 'derive write traffic keys for handshake data')),
  );
  expectKeys(clientHandshakeKeys!, hs.clientHandshakeTrafficSecret);

  for (const m of h.serverFlight) transcript.add(m);
  const serverFinished = message(t, 'Finished', 'server');
  expectFinished(
    step(t, 'calculate finished "tls13 finished"', 'server'),
    hs.serverHandshakeTrafficSecret,
    transcript.currentHash(),
    serverFinished,
  );
  transcript.add(serverFinished);

  const serverFinishedHash = transcript.currentHash();
  const app = schedule.applicationSecrets(hs.handshakeSecret, serverFinishedHash);
  const derivedMaster = step(t, 'derive secret for master "tls13 derived"', 'server');
  expect(hex(schedule.derivedSalt(hs.handshakeSecret))).toBe(hex(field(derivedMaster, 'expanded')));
  expect(hex(app.masterSecret)).toBe(hex(field(step(t, 'extract secret "master"', 'server'), 'secret')));
  expectDerived(
    step(t, 'derive secret "tls13 c ap traffic"', 'server'),
    app.masterSecret,
    serverFinishedHash,
    app.clientApplicationTrafficSecret,
  );
  expectDerived(
    step(t, 'derive secret "tls13 s ap traffic"', 'server'),
    app.masterSecret,
    serverFinishedHash,
    app.serverApplicationTrafficSecret,
  );
  expectDerived(
    step(t, 'derive secret "tls13 exp master"', 'server'),
    app.masterSecret,
    serverFinishedHash,
    app.exporterMasterSecret,
  );
  expectKeys(
    step(t, 'derive write traffic keys for application data', 'server'),
    app.serverApplicationTrafficSecret,
  );
  expectKeys(
    step(t, 'derive write traffic keys for application data', 'client'),
    app.clientApplicationTrafficSecret,
  );

  for (const m of h.clientFlight) transcript.add(m);
  const clientFinished = message(t, 'Finished', 'client');
  expectFinished(
    step(t, 'calculate finished "tls13 finished"', 'client'),
    hs.clientHandshakeTrafficSecret,
    transcript.currentHash(),
    clientFinished,
  );
  transcript.add(clientFinished);

  const clientFinishedHash = transcript.currentHash();
  const resumptionMasterSecret = schedule.resumptionMasterSecret(app.masterSecret, clientFinishedHash);
  expectDerived(
    step(t, 'derive secret "tls13 res master"', 'client'),
    app.masterSecret,
    clientFinishedHash,
    resumptionMasterSecret,
  );
  return { resumptionMasterSecret };
}

const simple = loadTrace('section3-simple-1rtt.txt');
const resumed = loadTrace('section4-resumed-0rtt.txt');
const hrr = loadTrace('section5-hello-retry-request.txt');
const clientAuth = loadTrace('section6-client-authentication.txt');

function x25519Secret(t: TraceStep[]): Uint8Array {
  const client = step(t, 'create an ephemeral x25519 key pair', 'client');
  const server = step(t, 'create an ephemeral x25519 key pair', 'server');
  const secret = x25519(
    field(client, 'private key'),
    field(client, 'public key'),
    field(server, 'public key'),
  );
  // Both sides agree, which also checks the printed key pairs.
  const serverSide = x25519(
    field(server, 'private key'),
    field(server, 'public key'),
    field(client, 'public key'),
  );
  expect(hex(serverSide)).toBe(hex(secret));
  return secret;
}

function replaySimple(): Uint8Array {
  return replay({
    trace: simple,
    helloMessages: [message(simple, 'ClientHello')],
    sharedSecret: x25519Secret(simple),
    serverFlight: ['EncryptedExtensions', 'Certificate', 'CertificateVerify'].map((n) =>
      message(simple, n, 'server'),
    ),
    clientFlight: [],
  }).resumptionMasterSecret;
}

describe('RFC 8448 §3 simple 1-RTT handshake', () => {
  it('derives every secret, key, IV and Finished the trace prints', () => {
    replaySimple();
  });

  it('derives the ticket PSK from resumption_master_secret and the ticket nonce', () => {
    const resumptionMasterSecret = replaySimple();
    const ticket = decodeNewSessionTicket(message(simple, 'NewSessionTicket'));
    const s = step(simple, 'generate resumption secret "tls13 resumption"', 'server');
    expect(hex(field(s, 'PRK'))).toBe(hex(resumptionMasterSecret));
    expect(hex(field(s, 'hash'))).toBe(hex(ticket.ticketNonce));
    expect(hex(schedule.resumptionPsk(resumptionMasterSecret, ticket.ticketNonce))).toBe(
      hex(field(s, 'expanded')),
    );
  });
});

describe('RFC 8448 §4 resumed 0-RTT handshake', () => {
  const psk = (() => {
    const ticket = decodeNewSessionTicket(message(simple, 'NewSessionTicket'));
    return schedule.resumptionPsk(replaySimple(), ticket.ticketNonce);
  })();
  const clientHello = field(step(resumed, 'send handshake record', 'client'), 'payload');

  it('computes the PSK binder over the truncated ClientHello', () => {
    const hello = decodeClientHello(clientHello);
    const s = step(resumed, 'calculate PSK binder', 'client');
    const early = schedule.earlySecret(psk);
    const binderKey = schedule.binderKey(early, 'resumption');
    expect(hex(binderKey)).toBe(hex(field(s, 'PRK')));
    const transcript = new Transcript(provider, { hash: 'sha256' });
    const truncated = hello.original.subarray(0, hello.bindersOffset);
    expect(hex(truncated)).toBe(hex(field(s, 'ClientHello prefix')));
    const binderHash = transcript.hashWith(truncated);
    expect(hex(binderHash)).toBe(hex(field(s, 'binder hash')));
    expect(hex(schedule.finishedKey(binderKey))).toBe(hex(field(s, 'expanded')));
    const binder = schedule.binder(binderKey, binderHash);
    expect(hex(binder)).toBe(hex(field(s, 'finished')));
    const sent = getExtension(hello.extensions, 'pre_shared_key')!.binders[0]!;
    expect(schedule.verifyBinder(binderKey, binderHash, sent)).toBe(true);
    expect(schedule.verifyBinder(schedule.binderKey(early, 'external'), binderHash, sent)).toBe(false);
  });

  it('derives the early traffic and early exporter secrets and keys', () => {
    const early = schedule.earlySecret(psk);
    const hash = provider.hash('sha256', clientHello);
    const clientEarly = schedule.clientEarlyTrafficSecret(early, hash);
    expectDerived(step(resumed, 'derive secret "tls13 c e traffic"', 'client'), early, hash, clientEarly);
    expectDerived(
      step(resumed, 'derive secret "tls13 e exp master"', 'client'),
      early,
      hash,
      schedule.earlyExporterMasterSecret(early, hash),
    );
    expectKeys(step(resumed, 'derive write traffic keys for early application data', 'client'), clientEarly);
  });

  it('derives every handshake and application secret of the resumed handshake', () => {
    replay({
      trace: resumed,
      helloMessages: [clientHello],
      psk,
      sharedSecret: x25519Secret(resumed),
      serverFlight: [message(resumed, 'EncryptedExtensions', 'server')],
      clientFlight: [message(resumed, 'EndOfEarlyData', 'client')],
    });
  });
});

describe('RFC 8448 §5 HelloRetryRequest', () => {
  it('replaces ClientHello1 with message_hash and derives every value', () => {
    const client = step(hrr, 'create an ephemeral P-256 key pair', 'client');
    const server = step(hrr, 'create an ephemeral P-256 key pair', 'server');
    const sharedSecret = p256(field(client, 'private key'), field(server, 'public key'));
    expect(hex(p256(field(server, 'private key'), field(client, 'public key')))).toBe(hex(sharedSecret));
    replay({
      trace: hrr,
      hrr: true,
      helloMessages: [
        message(hrr, 'ClientHello', 'client', 0),
        message(hrr, 'ServerHello', 'server', 0),
        message(hrr, 'ClientHello', 'client', 1),
      ],
      sharedSecret,
      serverFlight: ['EncryptedExtensions', 'Certificate', 'CertificateVerify'].map((n) =>
        message(hrr, n, 'server'),
      ),
      clientFlight: [],
    });
  });
});

describe('RFC 8448 §6 client authentication', () => {
  it('derives every value with the client Certificate and CertificateVerify in the transcript', () => {
    replay({
      trace: clientAuth,
      helloMessages: [message(clientAuth, 'ClientHello')],
      sharedSecret: x25519Secret(clientAuth),
      serverFlight: ['EncryptedExtensions', 'CertificateRequest', 'Certificate', 'CertificateVerify'].map(
        (n) => message(clientAuth, n, 'server'),
      ),
      clientFlight: ['Certificate', 'CertificateVerify'].map((n) => message(clientAuth, n, 'client')),
    });
  });
});

describe('RFC 8448 §7 compatibility mode', () => {
  const compat = loadTrace('section7-compatibility-mode.txt');

  it('echoes the 32-byte session id and derives every value (CCS records are not in the transcript)', () => {
    const clientHello = decodeClientHello(message(compat, 'ClientHello'));
    const serverHello = decodeServerHello(message(compat, 'ServerHello'));
    expect(clientHello.legacySessionId.length).toBe(32);
    expect(hex(serverHello.legacySessionIdEcho)).toBe(hex(clientHello.legacySessionId));
    replay({
      trace: compat,
      helloMessages: [clientHello.original],
      sharedSecret: x25519Secret(compat),
      serverFlight: ['EncryptedExtensions', 'Certificate', 'CertificateVerify'].map((n) =>
        message(compat, n, 'server'),
      ),
      clientFlight: [],
    });
  });
});
