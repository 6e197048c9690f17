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

/**
 * A final, unmasked text frame (RFC 6455 §5.2) holding `text`: built once and written as it is to
 * every socket it is for, instead of `ws` framing (and encoding) it again per socket.
 */
export function textFrame(text: string): Buffer {
  const length = Buffer.byteLength(text);
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x81; // FIN, opcode 1 (text)
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.write(text, header, 'utf8');
  return frame;
}
