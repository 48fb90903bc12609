// A TLS 1.2 handshake between Node's native client and server (OpenSSL) through a recording TCP
// proxy: what each side sent, the keylog, Finished values and an exporter output.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { HandshakeReassembler } from '@tls/handshake';

export function openssl(args: string[], files: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'handshake-native-'));
  try {
    execFileSync(
      'openssl',
      args.map((a) => a.replace(/^@/, `${dir}/`)),
      { stdio: 'ignore' },
    );
    return files.map((f) => readFileSync(join(dir, f), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let rsaCredentials: { key: string; cert: string } | undefined;
/** A throwaway RSA-2048 self-signed certificate (made once per test file). */
export function rsaCredentials2048(): { key: string; cert: string } {
  rsaCredentials ??= (() => {
    const [key, cert] = openssl(
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
        '@key.pem',
        '-out',
        '@cert.pem',
      ],
      ['key.pem', 'cert.pem'],
    );
    return { key: key!, cert: cert! };
  })();
  return rsaCredentials;
}

/** RFC 7919 ffdhe2048 parameters as PEM, for a DHE server. */
export function ffdhe2048(): string {
  return openssl(
    ['genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', 'group:ffdhe2048', '-out', '@dh.pem'],
    ['dh.pem'],
  )[0]!;
}

export interface Side {
  /** Handshake messages sent in plaintext, before ChangeCipherSpec. */
  readonly messages: Uint8Array[];
  /** The first record after ChangeCipherSpec (the encrypted Finished). */
  readonly encrypted: Uint8Array;
}

function records(stream: Uint8Array): { type: number; fragment: Uint8Array }[] {
  const out: { type: number; fragment: Uint8Array }[] = [];
  for (let at = 0; at + 5 <= stream.length; ) {
    const length = (stream[at + 3]! << 8) | stream[at + 4]!;
    out.push({ type: stream[at]!, fragment: stream.subarray(at + 5, at + 5 + length) });
    at += 5 + length;
  }
  return out;
}

function side(stream: Uint8Array): Side {
  const all = records(stream);
  const ccs = all.findIndex((r) => r.type === 20);
  const reassembler = new HandshakeReassembler();
  for (const r of all.slice(0, ccs)) if (r.type === 22) reassembler.addRecord(r.fragment);
  const messages: Uint8Array[] = [];
  for (let f = reassembler.next(); f; f = reassembler.next()) messages.push(f.bytes);
  return { messages, encrypted: all[ccs + 1]!.fragment };
}

export interface NativeTls12Run {
  readonly keylog: string[];
  readonly clientFinished: Uint8Array;
  readonly serverFinished: Uint8Array;
  readonly exported: Uint8Array;
  readonly exportedNoContext: Uint8Array;
  readonly client: Side;
  readonly server: Side;
}

/** OpenSSL 3.0's SSL_OP_NO_TICKET; Node passes secureOptions through. */
export const noTicket = 0x4000;
/** OpenSSL 3.0's SSL_OP_NO_EXTENDED_MASTER_SECRET (bit 0). */
export const noExtendedMasterSecret = 1;

export async function nativeTls12Handshake(
  server: tls.TlsOptions,
  client: tls.ConnectionOptions = {},
  onServer?: (server: tls.Server) => void,
): Promise<NativeTls12Run> {
  const listener = tls.createServer({ ...rsaCredentials2048(), maxVersion: 'TLSv1.2', ...server }, (s) =>
    s.resume(),
  );
  onServer?.(listener);
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const toServer: Buffer[] = [];
  const toClient: Buffer[] = [];
  const proxy = net.createServer((inbound) => {
    const outbound = net.connect((listener.address() as AddressInfo).port, '127.0.0.1');
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
    rejectUnauthorized: false,
    ciphers: server.ciphers,
    ...client,
  });
  socket.on('keylog', (line) => lines.push(line.toString()));
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', resolve);
      socket.once('error', reject);
    });
    // Let a NewSessionTicket sent after the server's Finished arrive too.
    await new Promise((resolve) => setTimeout(resolve, 20));
    return {
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
      client: side(new Uint8Array(Buffer.concat(toServer))),
      server: side(new Uint8Array(Buffer.concat(toClient))),
    };
  } finally {
    socket.destroy();
    proxy.close();
    listener.close();
  }
}
