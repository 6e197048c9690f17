import type { ServerEvent } from '../../protocol/events.js';
import type { Audience, Bus } from '../bus/bus.js';

/** One event as it travels: serialized once, whatever number of sockets and instances it reaches. */
export function encodeEvent(event: ServerEvent): string {
  return JSON.stringify(event);
}

/** Sends the event to its audience on every instance: everyone, one person's sockets, or admins'. */
export function emit(deps: { bus: Pick<Bus, 'publish'> }, audience: Audience, event: ServerEvent): void {
  deps.bus.publish({ kind: 'event', audience, frame: encodeEvent(event) });
}
