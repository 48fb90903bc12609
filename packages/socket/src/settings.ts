// Module-level settings Node exposes as writable properties of the tls module and reads when
// used: tls.CLIENT_RENEG_LIMIT and tls.CLIENT_RENEG_WINDOW (seconds).

export const renegotiationLimits = {
  /** Client-initiated renegotiations allowed per window. */
  limit: 3,
  /** The window, in seconds. */
  window: 600,
};
