// What a test opened (servers, sockets, peer processes) is closed after it, pass or fail.
import { afterEach } from 'vitest';

/**
 * Registers, in the calling test file, an `afterEach` that runs and forgets every function pushed
 * during the test. Call it once at the top level of the file.
 *
 * @example
 * const cleanups = cleanupAfterEach();
 * it('…', async () => { const peer = startPeer(…); cleanups.push(() => peer.stop()); });
 */
export function cleanupAfterEach(): Array<() => void> {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });
  return cleanups;
}
