// An in-memory client/server pair: bytes move between two engines until both are quiet, and
// every event is collected per side.
import {
  type Connection,
  type ConnectionConfig,
  type ConnectionEvent,
  createClientConnection,
  createServerConnection,
} from '@tls/handshake';

export interface Side {
  readonly connection: Connection;
  readonly events: ConnectionEvent[];
}

function drain(side: Side): void {
  for (let event = side.connection.nextEvent(); event !== undefined; event = side.connection.nextEvent())
    side.events.push(event);
}

function transfer(from: Side, to: Side): number {
  const output = from.connection.takeOutput();
  drain(from);
  if (output === undefined) return 0;
  to.connection.receive(output);
  drain(to);
  return output.length;
}

/** Runs a handshake between a client and a server made from these configurations. */
export function handshake(
  client: ConnectionConfig,
  server: ConnectionConfig,
): { client: Side; server: Side } {
  const c: Side = { connection: createClientConnection(client), events: [] };
  const s: Side = { connection: createServerConnection(server), events: [] };
  for (let round = 0; round < 20; round++) {
    if (transfer(c, s) + transfer(s, c) === 0) return { client: c, server: s };
  }
  throw new Error('connections did not settle in 20 rounds');
}

export function completed(side: Side) {
  const event = side.events.find((e) => e.type === 'handshake-complete');
  return event?.type === 'handshake-complete' ? event.info : undefined;
}

export function failure(side: Side) {
  const event = side.events.find((e) => e.type === 'error');
  return event?.type === 'error'
    ? { code: event.error.code, alert: event.error.alert, received: event.receivedAlert?.description }
    : undefined;
}
