// Two sans-I/O engines joined in memory (rustls's make_pair / transfer): bytes move from one
// side's takeOutput() to the other's receive() until neither has anything to say, and each side's
// events are collected in order. Typed structurally, so the kit depends on no @tls layer.

/** What the pair needs of an engine: `@tls/handshake`'s `Connection` is one. */
export interface Engine {
  receive(bytes: Uint8Array): void;
  takeOutput(): Uint8Array | undefined;
  nextEvent(): { readonly type: string } | undefined;
}

/** The events an engine emits. */
export type EngineEvent<C extends Engine> = NonNullable<ReturnType<C['nextEvent']>>;

/** One end of the pair: the engine and every event it has emitted so far. */
export interface Side<C extends Engine = Engine> {
  readonly connection: C;
  readonly events: EngineEvent<C>[];
}

/** @example const client = side(createClientConnection(config)); */
export function side<C extends Engine>(connection: C): Side<C> {
  return { connection, events: [] };
}

function drainEvents<C extends Engine>(from: Side<C>): void {
  for (let event = from.connection.nextEvent(); event !== undefined; event = from.connection.nextEvent())
    from.events.push(event as EngineEvent<C>);
}

/**
 * Moves every pending byte from one side to the other, optionally altering it in flight (rustls's
 * transfer_altered), and returns the byte count.
 */
export function transfer<C extends Engine>(
  from: Side<C>,
  to: Side<C>,
  alter?: (bytes: Uint8Array) => Uint8Array,
): number {
  const output = from.connection.takeOutput();
  drainEvents(from);
  if (output === undefined) return 0;
  to.connection.receive(alter === undefined ? output : alter(output));
  drainEvents(to);
  return output.length;
}

/**
 * Transfers both ways until quiet.
 *
 * @throws Error when the sides still talk after 20 rounds.
 */
export function settle<C extends Engine>(client: Side<C>, server: Side<C>): void {
  for (let round = 0; round < 20; round++) {
    const moved = transfer(client, server) + transfer(server, client);
    if (moved === 0) return;
  }
  throw new Error('connections did not settle in 20 rounds');
}

/** The events of one type a side has emitted. */
export function eventsOf<C extends Engine, T extends EngineEvent<C>['type']>(
  from: Side<C>,
  type: T,
): Extract<EngineEvent<C>, { type: T }>[] {
  return from.events.filter((event): event is Extract<EngineEvent<C>, { type: T }> => event.type === type);
}

/** An engine's `error` event as it is asserted on: its code, the alert sent, the alert received. */
interface ErrorEvent {
  readonly type: 'error';
  readonly error: { readonly code: string; readonly alert?: number | undefined };
  readonly receivedAlert?: { readonly description: number } | undefined;
}

/**
 * The first `error` event among `events`, as `{ code, alert, received }`; undefined when there is none.
 *
 * @example expect(errorOf(client.events)).toMatchObject({ code: 'ERR_SSL_NO_SHARED_CIPHER' });
 */
export function errorOf(
  events: readonly { readonly type: string }[],
): { code: string; alert: number | undefined; received: number | undefined } | undefined {
  const event = events.find((e) => e.type === 'error') as ErrorEvent | undefined;
  return event === undefined
    ? undefined
    : { code: event.error.code, alert: event.error.alert, received: event.receivedAlert?.description };
}

/** UTF-8 text of application data. */
export function text(data: Uint8Array): string {
  return new TextDecoder().decode(data);
}
