// HTTPS served by Node's http server over our TLSSockets, fetched by headless Chromium (Debian's
// chromium, installed by .ci/run): a real browser's TLS 1.3 handshake, ALPN and HTTP request.
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import tls from '@tls/socket';
import { describe, expect, it } from 'vitest';
import { localhostPki } from '@tls/test-kit';

const pki = localhostPki();

const run = promisify(execFile);

describe('HTTPS over @tls/socket in Chromium', () => {
  it('serves a page to headless Chromium over TLS 1.3 with ALPN http/1.1', async () => {
    const seen: Array<{
      protocol: string | null;
      alpn: string | false | null;
      servername: string | false | null;
    }> = [];
    const app = http.createServer((request, response) => {
      response.setHeader('content-type', 'text/html');
      response.end(`<html><body><p id="answer">served over @tls at ${request.url}</p></body></html>`);
    });
    const server = tls.createServer(
      { key: pki.server.key, cert: pki.server.cert, ALPNProtocols: ['http/1.1'] },
      (socket) => {
        seen.push({
          protocol: socket.getProtocol(),
          alpn: socket.alpnProtocol,
          servername: socket.servername,
        });
        app.emit('connection', socket);
      },
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    const profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
    try {
      const { stdout } = await run(
        'chromium',
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          `--user-data-dir=${profile}`,
          '--ignore-certificate-errors',
          `--host-resolver-rules=MAP localhost 127.0.0.1`,
          '--dump-dom',
          `https://localhost:${port}/from-chromium`,
        ],
        { timeout: 60_000 },
      );
      expect(stdout).toContain('<p id="answer">served over @tls at /from-chromium</p>');
      expect(seen[0]).toEqual({ protocol: 'TLSv1.3', alpn: 'http/1.1', servername: 'localhost' });
    } finally {
      server.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }, 90_000);
});
