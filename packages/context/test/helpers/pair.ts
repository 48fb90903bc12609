// An in-memory client/server pair (the @tls/test-kit pair): bytes move between two engines until
// both are quiet, and every event is collected per side.
import {
  type Connection,
  type ConnectionConfig,
  createClientConnection,
  createServerConnection,
} from '@tls/handshake';
import { type Side, settle, side } from '@tls/test-kit';

/** Runs a handshake between a client and a server made from these configurations. */
export function handshake(
  client: ConnectionConfig,
  server: ConnectionConfig,
): { client: Side<Connection>; server: Side<Connection> } {
  const c = side(createClientConnection(client));
  const s = side(createServerConnection(server));
  settle(c, s);
  return { client: c, server: s };
}

export function completed(from: Side<Connection>) {
  const event = from.events.find((e) => e.type === 'handshake-complete');
  return event?.type === 'handshake-complete' ? event.info : undefined;
}
