// secureOptions and secureProtocol seen by openssl on 127.0.0.1: SSL_OP_NO_RENEGOTIATION against
// s_client's `R` and s_server's `r` (TLS 1.2), SSL_OP_NO_ENCRYPT_THEN_MAC in the hellos
// `-trace` prints, and the versions every secureProtocol method and SSL_OP_NO_TLSv1* flag
// leaves, side by side with node:tls.
import { createClientConnection, createServerConnection } from '@tls/handshake';
import { describe, expect, it } from 'vitest';
import { type SecureContextOptions, SecureOptions, createSecureContext } from '../src/index.js';
import { pki, pkiFiles } from './helpers/fixtures';
import { againstServer, errorCode, runOpenssl, withServer } from './helpers/openssl';

const { leaf, intermediate } = pki();
const identity = { key: leaf.keyPem, cert: leaf.certPem + intermediate.certPem };

describe('SSL_OP_NO_RENEGOTIATION (TLS 1.2)', () => {
  /** s_client renegotiates (`R`) once its handshake is done; stdin closes when it has an answer. */
  function clientRenegotiates(options: SecureContextOptions) {
    const context = createSecureContext({ ...identity, ...options });
    return withServer(
      () => createServerConnection(context.engineConfig('server')),
      (port) =>
        runOpenssl(
          [
            's_client',
            '-connect',
            `127.0.0.1:${port}`,
            '-tls1_2',
            '-brief',
            '-msg',
            '-CAfile',
            pkiFiles().root,
            '-verify_return_error',
          ],
          8000,
          // stdin stays open (EOF would end s_client) until our server closes after the outcome.
          [{ after: /CONNECTION ESTABLISHED/, send: 'R\n' }, { after: /(?!)/ }],
        ),
      { until: (events) => events.some((e) => e.type === 'renegotiated') },
    );
  }

  it('lets s_client renegotiate by default', async () => {
    const { output, events } = await clientRenegotiates({});
    // peer-closed: s_client answers our close_notify once the renegotiation is done.
    expect(events.map((e) => e.type)).toEqual([
      'handshake-complete',
      'renegotiation',
      'renegotiated',
      'peer-closed',
    ]);
    expect(events).toContainEqual({ type: 'renegotiation', initiator: 'client' });
    expect(output).toMatch(/RENEGOTIATING/);
    expect(output).not.toMatch(/no_renegotiation|fatal|error:/);
  });

  it('refuses it with a warning no_renegotiation, which s_client answers with handshake_failure', async () => {
    const { output, events } = await clientRenegotiates({
      secureOptions: SecureOptions.SSL_OP_NO_RENEGOTIATION,
    });
    expect(output).toMatch(/<<< TLS 1\.2, Alert \[length 0002\], warning no_renegotiation/);
    expect(output).toMatch(/error:0A000153:SSL routines:ssl3_read_bytes:no renegotiation/);
    expect(events.map((e) => e.type)).toEqual(['handshake-complete', 'error']);
    expect(errorCode(events)).toBe('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE');
  });

  /** s_server renegotiates (`r`) once our client is connected. */
  function serverRenegotiates(options: SecureContextOptions) {
    const context = createSecureContext({ ca: pki().root.certPem, ...options });
    const files = pkiFiles();
    return againstServer(
      ['-cert', files.leaf, '-cert_chain', files.intermediate, '-key', files.leafKey, '-tls1_2', '-msg'],
      () => createClientConnection(context.engineConfig('client', { serverName: 'localhost' })),
      {
        script: [{ after: /CIPHER is/, send: 'r\n' }],
        until: (events) =>
          events.some((e) => e.type === 'renegotiated' || e.type === 'renegotiation-refused'),
      },
    );
  }

  it('lets s_server renegotiate by default', async () => {
    const { output, events } = await serverRenegotiates({});
    expect(events.map((e) => e.type)).toEqual([
      'handshake-complete',
      'session-ticket',
      'renegotiation',
      'renegotiated',
      'session-ticket',
      'peer-closed',
    ]);
    expect(events).toContainEqual({ type: 'renegotiation', initiator: 'server' });
    expect(output).not.toMatch(/no_renegotiation|fatal|ERROR/);
  });

  it('refuses s_server with a warning no_renegotiation, which s_server answers with handshake_failure', async () => {
    const { output, events } = await serverRenegotiates({
      secureOptions: SecureOptions.SSL_OP_NO_RENEGOTIATION,
    });
    expect(output).toMatch(/<<< TLS 1\.2, Alert \[length 0002\], warning no_renegotiation/);
    expect(output).toMatch(/error:0A000153:SSL routines:ssl3_read_bytes:no renegotiation/);
    expect(events.map((e) => e.type)).toEqual(['handshake-complete', 'session-ticket', 'error']);
    expect(errorCode(events)).toBe('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE');
  });
});
