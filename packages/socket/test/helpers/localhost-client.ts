// The client most socket tests open: our stack or node:tls, to 127.0.0.1 as "localhost", trusting
// the test CA (options may add to or override that), destroyed after the test.
import type * as nativeTls from 'node:tls';
import type tls from '@tls/socket';
import { localhostPki } from '@tls/test-kit';

export type Tls = typeof tls | typeof nativeTls;

export function localhostClient<T extends Tls>(
  implementation: T,
  port: number,
  closers: Array<() => void>,
  options: Record<string, unknown> = {},
): ReturnType<T['connect']> {
  const socket = (implementation.connect as (options: object) => ReturnType<T['connect']>)({
    port,
    host: '127.0.0.1',
    servername: 'localhost',
    ca: localhostPki().ca,
    ...options,
  });
  closers.push(() => (socket as { destroy(): void }).destroy());
  return socket;
}
