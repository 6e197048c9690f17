import type { Connection } from './sync.js';
import './status.css';

const TEXT: Record<Connection, string> = {
  connecting: 'Connecting…',
  open: 'Connected',
  reconnecting: 'Reconnecting…',
  polling: 'Offline — polling',
};

/** The truth about the live connection: a dot and a word, and a way to try again now. */
export function ConnectionStatus({ connection, onReconnect }: { connection: Connection; onReconnect: () => void }) {
  return (
    <div class={`connection connection-${connection}`} data-testid="connection-status">
      <span class="connection-dot" aria-hidden="true" />
      <span class="connection-text" role="status">
        {TEXT[connection]}
      </span>
      {(connection === 'reconnecting' || connection === 'polling') && (
        <button type="button" class="link-button" onClick={onReconnect}>
          Reconnect now
        </button>
      )}
    </div>
  );
}
