// Key schedule values the RFC 8448 traces do not print: exporters (RFC 8446 §7.5) checked against
// Node's native TLS on loopback, KeyUpdate secrets (§7.2) against HKDF written out with HMAC.
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { Tls13KeySchedule, keyLogLine } from '@tls/handshake';
import { credential } from './helpers/credentials.js';
import { fromHex, hex } from './helpers/rfc8448.js';

const provider = createNodeCryptoProvider();

function selfSigned(): { key: string; cert: string } {
  const { keyPem, certPem } = credential('ecdsa-p256');
  return { key: keyPem, cert: certPem };
}

/** A native TLS 1.3 connection; returns its exporter secret (from the keylog) and the client socket. */
async function nativeConnection(
  ciphers: string,
): Promise<{ exporterSecret: Uint8Array; line: string; socket: tls.TLSSocket; close: () => void }> {
  const server = tls.createServer({ ...selfSigned(), minVersion: 'TLSv1.3', ciphers }, (s) => s.resume());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const lines: string[] = [];
  const socket = tls.connect({
    port,
    host: '127.0.0.1',
    rejectUnauthorized: false,
    minVersion: 'TLSv1.3',
    ciphers,
  });
  socket.on('keylog', (line) => lines.push(line.toString()));
  await new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', resolve);
    socket.once('error', reject);
  });
  const line = lines.find((l) => l.startsWith('EXPORTER_SECRET '));
  expect(line).toBeDefined();
  return {
    exporterSecret: fromHex(line!.trim().split(' ')[2]!),
    line: line!,
    socket,
    close: () => {
      socket.destroy();
      server.close();
    },
  };
}

describe('TLS 1.3 exporters (RFC 8446 §7.5)', () => {
  it.each([
    ['TLS_AES_128_GCM_SHA256', 'sha256'],
    ['TLS_AES_256_GCM_SHA384', 'sha384'],
  ] as const)("match Node's exportKeyingMaterial over %s", async (suite, hash) => {
    const connection = await nativeConnection(suite);
    try {
      expect(connection.socket.getCipher().standardName).toBe(suite);
      // Our key log lines have Node's (NSS) format, newline included.
      const clientRandom = fromHex(connection.line.split(' ')[1]!);
      expect(keyLogLine('EXPORTER_SECRET', clientRandom, connection.exporterSecret)).toBe(connection.line);
      const schedule = new Tls13KeySchedule(provider, hash);
      const context = Uint8Array.of(1, 2, 3, 4);
      const expected = connection.socket.exportKeyingMaterial(
        42,
        'EXPERIMENTAL-handshake-test',
        Buffer.from(context),
      );
      expect(
        hex(
          schedule.exportKeyingMaterial(
            connection.exporterSecret,
            'EXPERIMENTAL-handshake-test',
            context,
            42,
          ),
        ),
      ).toBe(expected.toString('hex'));
      // TLS 1.3 treats an absent context as an empty one.
      const noContext = connection.socket.exportKeyingMaterial(
        16,
        'EXPERIMENTAL-other',
        undefined as unknown as Buffer,
      );
      const ours = schedule.exportKeyingMaterial(
        connection.exporterSecret,
        'EXPERIMENTAL-other',
        undefined,
        16,
      );
      expect(hex(ours)).toBe(noContext.toString('hex'));
      expect(
        hex(
          schedule.exportKeyingMaterial(
            connection.exporterSecret,
            'EXPERIMENTAL-other',
            new Uint8Array(0),
            16,
          ),
        ),
      ).toBe(hex(ours));
    } finally {
      connection.close();
    }
  });
});

/** HKDF-Expand-Label written out with HMAC (RFC 5869 §2.3, RFC 8446 §7.1), for outputs of at most one block. */
function expandLabelByHand(
  hash: 'sha256' | 'sha384',
  secret: Uint8Array,
  label: string,
  length: number,
): string {
  const fullLabel = Buffer.from(`tls13 ${label}`, 'ascii');
  const info = Buffer.concat([
    Buffer.from([length >> 8, length & 0xff, fullLabel.length]),
    fullLabel,
    Buffer.from([0]),
  ]);
  return createHmac(hash, secret)
    .update(Buffer.concat([info, Buffer.from([1])]))
    .digest()
    .subarray(0, length)
    .toString('hex');
}

describe('KeyUpdate (RFC 8446 §7.2)', () => {
  it.each(['sha256', 'sha384'] as const)('derives application_traffic_secret_N+1 with %s', (hash) => {
    const schedule = new Tls13KeySchedule(provider, hash);
    let secret = provider.random(schedule.hashLength);
    for (let n = 0; n < 3; n++) {
      const next = schedule.nextApplicationTrafficSecret(secret);
      expect(next.length).toBe(schedule.hashLength);
      expect(hex(next)).toBe(expandLabelByHand(hash, secret, 'traffic upd', schedule.hashLength));
      expect(hex(next)).not.toBe(hex(secret));
      secret = next;
    }
  });

  it('derives record keys of the suite sizes from an updated secret', () => {
    const schedule = new Tls13KeySchedule(provider, 'sha384');
    const secret = schedule.nextApplicationTrafficSecret(provider.random(48));
    const keys = schedule.trafficKeys(secret, 32, 12);
    expect(hex(keys.key)).toBe(expandLabelByHand('sha384', secret, 'key', 32));
    expect(hex(keys.iv)).toBe(expandLabelByHand('sha384', secret, 'iv', 12));
  });
});

describe('Tls13KeySchedule', () => {
  it('takes an external PSK of any length as the HKDF-Extract input (RFC 8446 §7.1)', () => {
    const schedule = new Tls13KeySchedule(provider, 'sha256');
    const psk = new Uint8Array(16).fill(9);
    const expected = createHmac('sha256', Buffer.alloc(32)).update(psk).digest('hex');
    expect(hex(schedule.earlySecret(psk))).toBe(expected);
  });

  it('gives different binder keys for external and resumption PSKs (RFC 8446 §7.1)', () => {
    const schedule = new Tls13KeySchedule(provider, 'sha256');
    const early = schedule.earlySecret(new Uint8Array(32).fill(3));
    expect(hex(schedule.binderKey(early, 'external'))).not.toBe(hex(schedule.binderKey(early, 'resumption')));
  });
});
