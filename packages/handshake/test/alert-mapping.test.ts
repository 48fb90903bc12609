// The three tables of alert-mapping.ts: complete, consistent with OpenSSL's reason strings, and
// (for the alerts Node can be made to send here) with the codes Node itself reports.
import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { AlertDescription, isTlsError } from '@tls/record';
import {
  type HandshakeErrorReason,
  handshakeError,
  peerAlertError,
  reasonAlert,
  reasonCode,
  receivedAlertCode,
  receivedAlertReason,
} from '@tls/handshake';
import { credential } from './helpers/credentials.js';

/** OpenSSL's reason strings for SSL library reason numbers (`openssl errstr 0A000NNN`). */
function opensslReasons(reasons: number[]): string[] {
  const codes = reasons.map((r) => `0A${r.toString(16).toUpperCase().padStart(6, '0')}`);
  return execFileSync('openssl', ['errstr', ...codes], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.replace(/^.*SSL routines::/, ''));
}

const ownCodes = new Set(['DecodeError', 'IllegalParameter', 'MissingExtension', 'InternalError']);
const reasons = Object.keys(reasonCode) as HandshakeErrorReason[];

describe('reason tables (1 and 3)', () => {
  it('give every reason exactly one alert and one code, both well formed', () => {
    expect(Object.keys(reasonAlert).sort()).toEqual([...reasons].sort());
    const alerts = new Set<number>(Object.values(AlertDescription));
    for (const reason of reasons) {
      expect(alerts, reason).toContain(reasonAlert[reason]);
      expect(reasonCode[reason], reason).toMatch(/^ERR_SSL_[A-Z0-9_]+$/);
      const error = handshakeError(reason, 'test');
      expect(isTlsError(error)).toBe(true);
      expect([error.code, error.alert]).toEqual([reasonCode[reason], reasonAlert[reason]]);
    }
    expect(new Set(Object.values(reasonCode)).size).toBe(reasons.length);
  });

  it('use OpenSSL reason names for every code not marked as ours', () => {
    const known = new Set(opensslReasons(Array.from({ length: 999 }, (_, i) => i + 1)));
    for (const reason of reasons.filter((r) => !ownCodes.has(r))) {
      const text = reasonCode[reason].slice('ERR_SSL_'.length).toLowerCase().replace(/_/g, ' ');
      expect(known, reason).toContain(text);
    }
  });
});

describe('received alerts (table 2)', () => {
  const descriptions = Object.values(AlertDescription).filter((d) => d !== AlertDescription.CloseNotify);

  it('cover every alert description, with the reason strings OpenSSL prints', () => {
    expect(
      Object.keys(receivedAlertReason)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual([...descriptions].sort((a, b) => a - b));
    const printed = opensslReasons(descriptions.map((d) => 1000 + d));
    descriptions.forEach((d, i) => {
      expect(receivedAlertReason[d], `alert ${d}`).toBe(printed[i]);
    });
  });

  it('build Node-style errors that send nothing back', () => {
    expect(receivedAlertCode(AlertDescription.CloseNotify)).toBeUndefined();
    expect(peerAlertError(AlertDescription.CloseNotify)).toBeUndefined();
    const error = peerAlertError(AlertDescription.HandshakeFailure)!;
    expect(error).toMatchObject({
      code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
      reason: 'sslv3 alert handshake failure',
      library: 'SSL routines',
      receivedAlert: 40,
      alert: undefined,
    });
    expect(peerAlertError(AlertDescription.UnsupportedExtension)!.code).toBe(
      'ERR_SSL_TLSV1_UNSUPPORTED_EXTENSION',
    );
    expect(peerAlertError(201)!.code).toBe('ERR_SSL_UNKNOWN_ALERT_TYPE');
  });

  const { keyPem, certPem } = credential('ecdsa-p256');
  const credentials = { key: keyPem, cert: certPem };

  /** The error a native client gets when a native server refuses it with an alert. */
  async function nativeClientError(
    server: tls.TlsOptions,
    client: tls.ConnectionOptions,
  ): Promise<NodeJS.ErrnoException> {
    const listener = tls.createServer({ ...credentials, ...server }, (s) => s.resume());
    listener.on('tlsClientError', () => {});
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = listener.address() as AddressInfo;
      return await new Promise((resolve) => {
        const socket = tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false, ...client });
        socket.on('error', resolve);
        socket.on('secureConnect', () => resolve(new Error('connected') as NodeJS.ErrnoException));
      });
    } finally {
      listener.close();
    }
  }

  it.each([
    [
      'protocol_version',
      AlertDescription.ProtocolVersion,
      { minVersion: 'TLSv1.3' },
      { maxVersion: 'TLSv1.2' },
    ],
    [
      'handshake_failure',
      AlertDescription.HandshakeFailure,
      { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' },
      { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES256-GCM-SHA384' },
    ],
    [
      'no_application_protocol',
      AlertDescription.NoApplicationProtocol,
      { ALPNProtocols: ['h2'] },
      { ALPNProtocols: ['x-other'] },
    ],
  ] as const)('match the code Node reports for %s', async (_, alert, server, client) => {
    const error = await nativeClientError(server as tls.TlsOptions, client as tls.ConnectionOptions);
    expect(error.code).toBe(receivedAlertCode(alert)!.code);
    expect((error as { reason?: string }).reason).toBe(receivedAlertCode(alert)!.reason);
  });
});
