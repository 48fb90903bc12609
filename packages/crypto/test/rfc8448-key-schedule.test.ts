// RFC 8448 §3 (simple 1-RTT handshake), test/vectors/rfc8448-3-simple-1rtt.txt: every secret,
// traffic key and IV of the key schedule (RFC 8446 §7.1, §7.3) computed with the provider from
// the trace's inputs only (the x25519 private keys and the handshake messages, whose transcript
// hashes we compute), compared byte for byte with the values the RFC prints. The x25519 keys are
// injected through the deterministic provider, as a replay of the handshake would.
import { NamedGroup } from '@tls/crypto';
import { createDeterministicProvider } from '@tls/crypto/deterministic';
import { describe, expect, it } from 'vitest';
import { toHex } from './helpers.js';
import { field, readTrace, step } from './rfc8448-trace.js';

const trace = readTrace(new URL('./vectors/rfc8448-3-simple-1rtt.txt', import.meta.url));
const clientKeyPair = step(trace, 'create an ephemeral x25519 key pair', 'client');
const serverKeyPair = step(trace, 'create an ephemeral x25519 key pair', 'server');
const provider = createDeterministicProvider({
  keyShares: [
    { group: NamedGroup.X25519, privateKey: field(clientKeyPair, 'private key') },
    { group: NamedGroup.X25519, privateKey: field(serverKeyPair, 'private key') },
  ],
});

const message = (name: string) =>
  field(step(trace, `construct ${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name} handshake message`), name);
const messages = {
  clientHello: message('ClientHello'),
  serverHello: message('ServerHello'),
  encryptedExtensions: message('EncryptedExtensions'),
  certificate: message('Certificate'),
  certificateVerify: message('CertificateVerify'),
  serverFinished: field(step(trace, 'construct a Finished handshake message', 'server'), 'Finished'),
  clientFinished: field(step(trace, 'construct a Finished handshake message', 'client'), 'Finished'),
};
const transcript = (...parts: Uint8Array[]) => provider.hash('sha256', parts);
const printed = (action: string, name: string, actor?: 'client' | 'server') =>
  toHex(field(step(trace, action, actor), name));

describe('RFC 8448 §3 simple 1-RTT key schedule (TLS_AES_128_GCM_SHA256, x25519)', () => {
  // Computed in order; each value is checked against the RFC and then feeds the next step.
  const client = provider.generateKeyShare(NamedGroup.X25519);
  const server = provider.acceptKeyShare(NamedGroup.X25519, client.publicKey);
  const zeros = new Uint8Array(32);
  const early = provider.hkdfExtract('sha256', undefined, zeros);
  const emptyHash = provider.hash('sha256', new Uint8Array(0));
  const derivedForHandshake = provider.deriveSecret('sha256', early, 'derived', emptyHash);
  const sharedSecret = client.complete(server.publicKey);
  const handshake = provider.hkdfExtract('sha256', derivedForHandshake, sharedSecret);
  const helloHash = transcript(messages.clientHello, messages.serverHello);
  const clientHandshakeTraffic = provider.deriveSecret('sha256', handshake, 'c hs traffic', helloHash);
  const serverHandshakeTraffic = provider.deriveSecret('sha256', handshake, 's hs traffic', helloHash);
  const derivedForMaster = provider.deriveSecret('sha256', handshake, 'derived', emptyHash);
  const master = provider.hkdfExtract('sha256', derivedForMaster, zeros);
  const serverFinishedHash = transcript(
    messages.clientHello,
    messages.serverHello,
    messages.encryptedExtensions,
    messages.certificate,
    messages.certificateVerify,
    messages.serverFinished,
  );
  const clientApplicationTraffic = provider.deriveSecret(
    'sha256',
    master,
    'c ap traffic',
    serverFinishedHash,
  );
  const serverApplicationTraffic = provider.deriveSecret(
    'sha256',
    master,
    's ap traffic',
    serverFinishedHash,
  );
  const exporterMaster = provider.deriveSecret('sha256', master, 'exp master', serverFinishedHash);

  it('reproduces both x25519 public keys from the private keys, and the ServerHello share', () => {
    expect(toHex(client.publicKey)).toBe(
      printed('create an ephemeral x25519 key pair', 'public key', 'client'),
    );
    expect(toHex(server.publicKey)).toBe(
      printed('create an ephemeral x25519 key pair', 'public key', 'server'),
    );
    expect(toHex(messages.serverHello)).toContain(toHex(server.publicKey));
    expect(toHex(messages.clientHello)).toContain(toHex(client.publicKey));
  });

  it('early secret', () => {
    expect(toHex(early)).toBe(printed('extract secret "early"', 'secret'));
  });

  it('derived secret for the handshake secret (hash of the empty string)', () => {
    expect(toHex(emptyHash)).toBe(printed('derive secret for handshake "tls13 derived"', 'hash', 'server'));
    expect(toHex(derivedForHandshake)).toBe(
      printed('derive secret for handshake "tls13 derived"', 'expanded', 'server'),
    );
  });

  it('(EC)DHE shared secret from both sides, and the handshake secret', () => {
    expect(toHex(sharedSecret)).toBe(printed('extract secret "handshake"', 'IKM', 'server'));
    expect(toHex(server.sharedSecret)).toBe(toHex(sharedSecret));
    expect(toHex(handshake)).toBe(printed('extract secret "handshake"', 'secret', 'server'));
  });

  it('client and server handshake traffic secrets over Hash(ClientHello..ServerHello)', () => {
    expect(toHex(helloHash)).toBe(printed('derive secret "tls13 c hs traffic"', 'hash', 'server'));
    expect(toHex(clientHandshakeTraffic)).toBe(
      printed('derive secret "tls13 c hs traffic"', 'expanded', 'server'),
    );
    expect(toHex(serverHandshakeTraffic)).toBe(
      printed('derive secret "tls13 s hs traffic"', 'expanded', 'server'),
    );
  });

  it('master secret', () => {
    expect(toHex(derivedForMaster)).toBe(
      printed('derive secret for master "tls13 derived"', 'expanded', 'server'),
    );
    expect(toHex(master)).toBe(printed('extract secret "master"', 'secret', 'server'));
  });

  it('HKDF-Expand-Label info bytes match the printed HkdfLabel structs', () => {
    // The RFC prints the info of each expansion; rebuild it via hkdfExpand equivalence.
    const info = field(step(trace, 'derive secret "tls13 c hs traffic"', 'server'), 'info');
    expect(toHex(provider.hkdfExpand('sha256', handshake, info, 32))).toBe(toHex(clientHandshakeTraffic));
    const keyInfo = field(step(trace, 'derive write traffic keys for handshake data', 'server'), 'key info');
    expect(toHex(provider.hkdfExpand('sha256', serverHandshakeTraffic, keyInfo, 16))).toBe(
      toHex(provider.hkdfExpandLabel('sha256', serverHandshakeTraffic, 'key', new Uint8Array(0), 16)),
    );
  });

  it('server and client Finished (RFC 8446 §4.4.4)', () => {
    const serverFinishedKey = provider.hkdfExpandLabel(
      'sha256',
      serverHandshakeTraffic,
      'finished',
      new Uint8Array(0),
      32,
    );
    expect(toHex(serverFinishedKey)).toBe(
      printed('calculate finished "tls13 finished"', 'expanded', 'server'),
    );
    const beforeServerFinished = transcript(
      messages.clientHello,
      messages.serverHello,
      messages.encryptedExtensions,
      messages.certificate,
      messages.certificateVerify,
    );
    const serverVerifyData = provider.hmac('sha256', serverFinishedKey, beforeServerFinished);
    expect(toHex(serverVerifyData)).toBe(
      printed('calculate finished "tls13 finished"', 'finished', 'server'),
    );
    expect(toHex(messages.serverFinished.subarray(4))).toBe(toHex(serverVerifyData));

    const clientFinishedKey = provider.hkdfExpandLabel(
      'sha256',
      clientHandshakeTraffic,
      'finished',
      new Uint8Array(0),
      32,
    );
    expect(toHex(clientFinishedKey)).toBe(
      printed('calculate finished "tls13 finished"', 'expanded', 'client'),
    );
    const clientVerifyData = provider.hmac('sha256', clientFinishedKey, serverFinishedHash);
    expect(toHex(clientVerifyData)).toBe(
      printed('calculate finished "tls13 finished"', 'finished', 'client'),
    );
  });

  it('client and server application traffic secrets and the exporter master secret', () => {
    expect(toHex(serverFinishedHash)).toBe(printed('derive secret "tls13 c ap traffic"', 'hash', 'server'));
    expect(toHex(clientApplicationTraffic)).toBe(
      printed('derive secret "tls13 c ap traffic"', 'expanded', 'server'),
    );
    expect(toHex(serverApplicationTraffic)).toBe(
      printed('derive secret "tls13 s ap traffic"', 'expanded', 'server'),
    );
    expect(toHex(exporterMaster)).toBe(printed('derive secret "tls13 exp master"', 'expanded', 'server'));
  });

  it('resumption master secret over Hash(ClientHello..client Finished)', () => {
    const fullHash = transcript(
      messages.clientHello,
      messages.serverHello,
      messages.encryptedExtensions,
      messages.certificate,
      messages.certificateVerify,
      messages.serverFinished,
      messages.clientFinished,
    );
    expect(toHex(fullHash)).toBe(printed('derive secret "tls13 res master"', 'hash', 'client'));
    const resumption = provider.deriveSecret('sha256', master, 'res master', fullHash);
    expect(toHex(resumption)).toBe(printed('derive secret "tls13 res master"', 'expanded', 'client'));
  });

  const trafficKeys: Array<[string, 'client' | 'server', () => Uint8Array]> = [
    ['derive write traffic keys for handshake data', 'server', () => serverHandshakeTraffic],
    ['derive read traffic keys for handshake data', 'server', () => clientHandshakeTraffic],
    ['derive write traffic keys for application data', 'server', () => serverApplicationTraffic],
    ['derive write traffic keys for application data', 'client', () => clientApplicationTraffic],
  ];
  for (const [action, actor, secret] of trafficKeys) {
    it(`traffic key and iv: {${actor}} ${action}`, () => {
      expect(toHex(secret())).toBe(printed(action, 'PRK', actor));
      const key = provider.hkdfExpandLabel('sha256', secret(), 'key', new Uint8Array(0), 16);
      const iv = provider.hkdfExpandLabel('sha256', secret(), 'iv', new Uint8Array(0), 12);
      expect(toHex(key)).toBe(printed(action, 'key expanded', actor));
      expect(toHex(iv)).toBe(printed(action, 'iv expanded', actor));
    });
  }

  it('decrypts the server handshake flight with the derived handshake key (AES-128-GCM, RFC 8446 §5.2)', () => {
    // The server's second handshake record: EncryptedExtensions..Finished under the handshake key.
    const records = trace.filter((s) => s.actor === 'server' && s.action === 'send handshake record');
    const record = field(records[1]!, 'complete record');
    const key = provider.hkdfExpandLabel('sha256', serverHandshakeTraffic, 'key', new Uint8Array(0), 16);
    const iv = provider.hkdfExpandLabel('sha256', serverHandshakeTraffic, 'iv', new Uint8Array(0), 12);
    const aead = provider.createAead('aes-128-gcm', key);
    // First record of the epoch: sequence number 0, so the nonce is the iv itself.
    const body = record.subarray(5);
    const plaintext = aead.open(
      iv,
      record.subarray(0, 5),
      body.subarray(0, body.length - 16),
      body.subarray(body.length - 16),
    );
    expect(plaintext).toBeDefined();
    const expected = [
      messages.encryptedExtensions,
      messages.certificate,
      messages.certificateVerify,
      messages.serverFinished,
    ]
      .map(toHex)
      .join('');
    expect(toHex(plaintext!)).toBe(`${expected}16`);
  });
});
