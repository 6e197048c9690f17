import type { Bus, BusMessage } from './bus.js';

/** The in-process bus of a single instance. */
export function createLocalBus(): Bus {
  const handlers = new Set<(message: BusMessage) => void>();
  return {
    publish(message) {
      for (const handler of handlers) handler(message);
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    ping: () => Promise.resolve(),
    close: async () => handlers.clear(),
  };
}
