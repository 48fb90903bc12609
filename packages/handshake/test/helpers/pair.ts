// An in-memory client/server pair (rustls's make_pair/transfer): bytes move between the two
// engines until neither has anything to say; events are collected per side.
import type { Connection, ConnectionEvent } from '@tls/handshake';

export interface Side {
  readonly connection: Connection;
  readonly events: ConnectionEvent[];
}

export function side(connection: Connection): Side {
  return { connection, events: [] };
}

function drainEvents(from: Side): void {
  for (let event = from.connection.nextEvent(); event !== undefined; event = from.connection.nextEvent())
    from.events.push(event);
}

/** Moves every pending byte from one side to the other, optionally altering it, and returns the byte count. */
export function transfer(from: Side, to: Side, alter?: (bytes: Uint8Array) => Uint8Array): number {
  const output = from.connection.takeOutput();
  drainEvents(from);
  if (output === undefined) return 0;
  to.connection.receive(alter === undefined ? output : alter(output));
  drainEvents(to);
  return output.length;
}

/** Transfers both ways until quiet (at most 20 rounds). */
export function settle(client: Side, server: Side): void {
  for (let round = 0; round < 20; round++) {
    const moved = transfer(client, server) + transfer(server, client);
    if (moved === 0) return;
  }
  throw new Error('connections did not settle in 20 rounds');
}

export function eventsOf<T extends ConnectionEvent['type']>(
  from: Side,
  type: T,
): Extract<ConnectionEvent, { type: T }>[] {
  return from.events.filter((event): event is Extract<ConnectionEvent, { type: T }> => event.type === type);
}

export function text(data: Uint8Array): string {
  return new TextDecoder().decode(data);
}
