// The TLS 1.2 key schedule against OpenSSL through Node's native TLS on loopback: a recording
// TCP proxy sits between a native client and server, and from the plaintext handshake it saw
// (and, for static RSA, the premaster secret decrypted with the server's key) we recompute the
// master secret (with and without RFC 7627 EMS), both Finished values, the key block (by opening
// the client's encrypted Finished record) and RFC 5705 exporters.
import { describe, expect, it } from 'vitest';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import {
  ExtensionType,
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
import {
  nativeTls12Handshake,
  noExtendedMasterSecret,
  noTicket,
  rsaCredentials2048,
} from './helpers/native-tls12.js';
import { fromHex, hex } from './helpers/rfc8448.js';

const provider = createNodeCryptoProvider();
const rsa = rsaCredentials2048();

const handshake = (ciphers: string, secureOptions = 0) =>
  nativeTls12Handshake({ ciphers, secureOptions: secureOptions | noTicket });

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
