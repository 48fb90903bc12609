// The TLS 1.2 key schedule against OpenSSL through Node's native TLS on loopback: a recording
// TCP proxy sits between a native client and server, and from the plaintext handshake it saw
// (and, for static RSA, the premaster secret decrypted with the server's key) we recompute the
// master secret (with and without RFC 7627 EMS), both Finished values, the key block (by opening
// the client's encrypted Finished record) and RFC 5705 exporters.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import {
  ExtensionType,
  HandshakeReassembler,
  HandshakeType,
  ProtocolVersion,
  Tls12KeySchedule,
  Transcript,
  decodeClientHello,
  decodeServerHello,
  encodeFinished,
  getCipherSuite,
  hasExtensionType,
  tls12KeyBlockLayout,
  tls12PrfAlgorithm,
} from '@tls/handshake';
import { fromHex, hex } from './helpers/rfc8448.js';

const provider = createNodeCryptoProvider();
/** OpenSSL 3.0's SSL_OP_NO_EXTENDED_MASTER_SECRET (bit 0); Node passes secureOptions through. */
const noExtendedMasterSecret = 1;

const rsa = (() => {
  const dir = mkdtempSync(join(tmpdir(), 'handshake-tls12-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=localhost',
        '-days',
        '1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();

interface Record {
  type: number;
  fragment: Uint8Array;
}

function records(stream: Uint8Array): Record[] {
  const out: Record[] = [];
  for (let at = 0; at + 5 <= stream.length; ) {
    const length = (stream[at + 3]! << 8) | stream[at + 4]!;
    out.push({ type: stream[at]!, fragment: stream.subarray(at + 5, at + 5 + length) });
    at += 5 + length;
  }
  return out;
}

/** Plaintext handshake messages before ChangeCipherSpec, and the first record after it. */
function beforeChangeCipherSpec(stream: Uint8Array): { messages: Uint8Array[]; encrypted: Uint8Array } {
  const all = records(stream);
  const ccs = all.findIndex((r) => r.type === 20);
  const reassembler = new HandshakeReassembler();
  for (const r of all.slice(0, ccs)) if (r.type === 22) reassembler.addRecord(r.fragment);
  const messages: Uint8Array[] = [];
  for (let f = reassembler.next(); f; f = reassembler.next()) messages.push(f.bytes);
  return { messages, encrypted: all[ccs + 1]!.fragment };
}

async function handshake(ciphers: string, secureOptions = 0) {
  const server = tls.createServer(
    { ...rsa, maxVersion: 'TLSv1.2', ciphers, secureOptions: secureOptions | 0x4000 /* SSL_OP_NO_TICKET */ },
    (s) => s.resume(),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const toServer: Buffer[] = [];
  const toClient: Buffer[] = [];
  const proxy = net.createServer((inbound) => {
    const outbound = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
    inbound.on('data', (d) => {
      toServer.push(d);
      outbound.write(d);
    });
    outbound.on('data', (d) => {
      toClient.push(d);
      inbound.write(d);
    });
    inbound.on('error', () => outbound.destroy());
    outbound.on('error', () => inbound.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const lines: string[] = [];
  const socket = tls.connect({
    port: (proxy.address() as AddressInfo).port,
    host: '127.0.0.1',
    maxVersion: 'TLSv1.2',
    ciphers,
    rejectUnauthorized: false,
  });
  socket.on('keylog', (line) => lines.push(line.toString()));
  await new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', resolve);
    socket.once('error', reject);
  });
  const result = {
    keylog: lines
      .find((l) => l.startsWith('CLIENT_RANDOM '))!
      .trim()
      .split(' '),
    clientFinished: new Uint8Array(socket.getFinished()!),
    serverFinished: new Uint8Array(socket.getPeerFinished()!),
    exported: new Uint8Array(socket.exportKeyingMaterial(40, 'EXPERIMENTAL-tls12', Buffer.from('context'))),
    exportedNoContext: new Uint8Array(
      socket.exportKeyingMaterial(20, 'EXPERIMENTAL-tls12', undefined as unknown as Buffer),
    ),
    client: beforeChangeCipherSpec(new Uint8Array(Buffer.concat(toServer))),
    server: beforeChangeCipherSpec(new Uint8Array(Buffer.concat(toClient))),
  };
  socket.destroy();
  proxy.close();
  server.close();
  return result;
}

describe('Tls12KeySchedule against OpenSSL', () => {
  it.each([
    ['AES128-GCM-SHA256', 0, true],
    ['AES256-GCM-SHA384', noExtendedMasterSecret, false],
    ['ECDHE-RSA-AES128-GCM-SHA256', 0, true],
  ] as const)(
    '%s (secureOptions %d): master secret, Finished, key block and exporters',
    async (ciphers, options, ems) => {
      const run = await handshake(ciphers, options);
      const [clientHello, clientKeyExchange] = run.client.messages;
      const hello = decodeClientHello(clientHello!);
      const serverHello = decodeServerHello(run.server.messages[0]!);
      if (serverHello.kind !== 'server-hello') throw new Error('expected a ServerHello');
      expect(hex(hello.random)).toBe(run.keylog[1]);
      expect(hasExtensionType(serverHello.extensions, ExtensionType.ExtendedMasterSecret)).toBe(ems);

      const suite = getCipherSuite(serverHello.cipherSuite)!;
      expect(suite.opensslName).toBe(ciphers);
      const schedule = new Tls12KeySchedule(provider, tls12PrfAlgorithm(suite, ProtocolVersion.Tls12));
      const transcript = new Transcript(provider, { hash: schedule.handshakeHash });
      for (const m of [clientHello!, ...run.server.messages, clientKeyExchange!]) transcript.add(m);
      const sessionHash = transcript.currentHash();

      const masterSecret = fromHex(run.keylog[2]!);
      if (suite.keyExchange === 'rsa') {
        // Static RSA: EncryptedPreMasterSecret behind a 2-byte length (RFC 5246 §7.4.7.1).
        expect(clientKeyExchange![0]).toBe(HandshakeType.ClientKeyExchange);
        const encrypted = clientKeyExchange!.subarray(6);
        const premaster = provider.rsaDecryptPremaster(
          provider.importPrivateKey({ key: rsa.key }),
          encrypted,
          0x0303,
        );
        const computed = ems
          ? schedule.extendedMasterSecret(premaster, sessionHash)
          : schedule.masterSecret(premaster, hello.random, serverHello.random);
        expect(hex(computed)).toBe(hex(masterSecret));
      }

      const clientFinished = schedule.finishedVerifyData(masterSecret, 'client', sessionHash);
      expect(hex(clientFinished)).toBe(hex(run.clientFinished));
      transcript.add(encodeFinished({ verifyData: clientFinished }));
      expect(
        schedule.verifyFinished(masterSecret, 'server', transcript.currentHash(), run.serverFinished),
      ).toBe(true);

      // The key block opens the client's first encrypted record, its Finished (RFC 5288 §3 nonce).
      const keys = schedule.keyBlock(
        masterSecret,
        hello.random,
        serverHello.random,
        tls12KeyBlockLayout(suite, 0x0303),
      );
      const record = run.client.encrypted;
      const nonce = new Uint8Array([...keys.clientIv, ...record.subarray(0, 8)]);
      const aad = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 22, 3, 3, 0, 16);
      const aead = provider.createAead(
        suite.cipherType === 'aead' ? suite.aead : 'aes-128-gcm',
        keys.clientKey,
      );
      const opened = aead.open(nonce, aad, record.subarray(8, -16), record.subarray(-16));
      expect(opened && hex(opened)).toBe(hex(encodeFinished({ verifyData: clientFinished })));

      const exported = schedule.exportKeyingMaterial(
        masterSecret,
        'EXPERIMENTAL-tls12',
        hello.random,
        serverHello.random,
        new TextEncoder().encode('context'),
        40,
      );
      expect(hex(exported)).toBe(hex(run.exported));
      const noContext = schedule.exportKeyingMaterial(
        masterSecret,
        'EXPERIMENTAL-tls12',
        hello.random,
        serverHello.random,
        undefined,
        20,
      );
      expect(hex(noContext)).toBe(hex(run.exportedNoContext));
    },
  );

  it('lays out CBC key blocks with MAC keys, and IVs only for TLS 1.0', () => {
    const suite = getCipherSuite(0xc027)!;
    expect(tls12KeyBlockLayout(suite, ProtocolVersion.Tls12)).toEqual({
      macKeyLength: 32,
      keyLength: 16,
      ivLength: 0,
    });
    expect(tls12KeyBlockLayout(getCipherSuite(0xc013)!, ProtocolVersion.Tls10)).toEqual({
      macKeyLength: 20,
      keyLength: 16,
      ivLength: 16,
    });
    expect(tls12PrfAlgorithm(suite, ProtocolVersion.Tls11)).toBe('tls10');
    expect(new Tls12KeySchedule(provider, 'tls10').handshakeHash).toBe('md5-sha1');
  });
});
