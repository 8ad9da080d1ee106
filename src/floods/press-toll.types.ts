import type { FloodVerdict } from "./floods.repository.js";

/**
 * What a press in a group owes before its effect: its place in the flood windows and, for a member,
 * the roster touch. A feature that claims the press's prefix in `claims.tolledCallbacks` runs both
 * inside its own script (one round trip instead of three); the flood guard and the groups composer only
 * fill this in. A press its handler answers without that script (forged data, no group) pays after it,
 * the old way, so nothing goes uncounted.
 */
export interface PressToll {
  /** The flood window's four keys (the group's slot) and its arguments (window, limits, nonce). */
  flood: { keys: string[]; args: string[] };
  /** The roster touch (keys of the group's slot; user id, name, time), and the same done alone. */
  roster?: { keys: string[]; args: string[]; alone(): Promise<void> };
  /** The flood window alone (the guard's own script), for a press that did not pay inside a feature's. */
  floodAlone(): Promise<FloodVerdict>;
  /** Organisers are not limited: asked only when the window is full. */
  trusted(): Promise<boolean>;
  /** Set once a feature's script ran the toll (or the toll was paid alone). */
  paid: boolean;
  /** The flood part skipped (an organiser over the limit). */
  waived: boolean;
}
