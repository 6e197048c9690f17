import { Bell, BellOff } from 'lucide';
import { useEffect, useState } from 'preact/hooks';
import type { Message } from '../../../protocol/chat.js';
import { Icon } from '../../lib/icon.js';
import { useHoldingMentions } from '../../lib/quiet-focus.js';
import type { UnreadTracker } from '../../lib/unread.js';
import { excerptOf } from './store.js';

const KEY = 'codechicks.chat.notify';

function wanted(): boolean {
  try {
    return localStorage.getItem(KEY) === 'on';
  } catch {
    return false;
  }
}

/**
 * Browser notifications for mentions while the tab is hidden: asked for from this button only,
 * never on load; clicking one brings the tab back at the message.
 */
export function NotificationToggle({ unread, onOpen }: { unread: UnreadTracker; onOpen: (id: number) => void }) {
  const supported = typeof Notification !== 'undefined';
  const [on, setOn] = useState(() => supported && wanted() && Notification.permission === 'granted');
  const [note, setNote] = useState<string | null>(null);
  // Quiet while focusing: no alert during a run; the summary lists them when it ends.
  const holding = useHoldingMentions();

  useEffect(() => {
    if (!on || holding) return;
    return unread.mentioned.on((message: Message) => {
      if (document.visibilityState !== 'hidden' || Notification.permission !== 'granted') return;
      const shown = new Notification(`${message.sender_name} mentioned you`, {
        body: excerptOf(message.content),
        tag: `mention-${message.id}`,
      });
      shown.onclick = () => {
        window.focus();
        onOpen(message.id);
        shown.close();
      };
    });
  }, [on, holding, unread, onOpen]);

  if (!supported) return null;
  const toggle = async () => {
    setNote(null);
    if (on) {
      localStorage.setItem(KEY, 'off');
      setOn(false);
      return;
    }
    const permission = await Notification.requestPermission();
    if (permission !== 'granted') {
      setNote('Notifications are blocked for this site in your browser settings.');
      return;
    }
    localStorage.setItem(KEY, 'on');
    setOn(true);
  };
  return (
    <>
      <button
        type="button"
        class="btn btn-secondary btn-small"
        aria-pressed={on}
        title="Notify me of mentions while this tab is hidden"
        onClick={() => void toggle()}
      >
        <Icon icon={on ? Bell : BellOff} size={16} />
        <span>Mention alerts</span>
      </button>
      <span class="visually-hidden" role="status">
        {note}
      </span>
    </>
  );
}
