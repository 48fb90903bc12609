// The server's ALPN choice (RFC 7301 §3.2), shared by TLS 1.3 and TLS 1.2: by its own preference
// list, or by the application's callback (Node's ALPNCallback).

import { TlsError } from '@tls/record';
import type { ConnectionConfig } from '../connection/config.js';
import { handshakeError } from '../errors.js';
import type { DecodedClientHello } from '../messages/client-hello.js';
import { getExtension } from '../messages/extensions/extension-list.js';
import { latin1 } from '../client/common.js';

/**
 * The protocol to select, or undefined when the client offers none or we have none to offer.
 * @throws TlsError no_application_protocol when nothing is acceptable; a callback's answer the
 *   client did not offer is `ERR_TLS_ALPN_CALLBACK_INVALID_RESULT`, closing without an alert (as Node).
 */
export function chooseAlpn(
  config: ConnectionConfig,
  hello: DecodedClientHello,
  serverName: string | undefined,
): string | undefined {
  const alpn = getExtension(hello.extensions, 'application_layer_protocol_negotiation');
  if (alpn === undefined) return undefined;
  const offered = alpn.protocolNameList.map(latin1);
  if (config.selectAlpn !== undefined) {
    const chosen = config.selectAlpn({ serverName, protocols: offered });
    if (chosen === undefined) {
      throw handshakeError(
        'NoApplicationProtocol',
        "the ALPN callback accepted none of the client's protocols",
      );
    }
    if (!offered.includes(chosen)) {
      throw new TlsError(
        'ERR_TLS_ALPN_CALLBACK_INVALID_RESULT',
        undefined,
        `ALPN callback returned a value (${String(chosen)}) that did not match any of the client's offered protocols (${offered.join(', ')})`,
      );
    }
    return chosen;
  }
  const ours = config.alpnProtocols ?? [];
  if (ours.length === 0) return undefined;
  const chosen = ours.find((name) => offered.includes(name));
  // RFC 7301 §3.2: no protocol in common is fatal, no_application_protocol.
  if (chosen === undefined)
    throw handshakeError('NoApplicationProtocol', 'no ALPN protocol in common (RFC 7301 §3.2)');
  return chosen;
}
