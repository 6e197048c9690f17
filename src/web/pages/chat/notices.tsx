import { X } from 'lucide';
import { IconButton } from '../../lib/ui.js';

export interface Notice {
  text: string | null;
  dismiss?: () => void;
  error?: boolean;
}

/** Short messages above the conversation; errors are announced at once, the rest politely. */
export function Notices({ items }: { items: Notice[] }) {
  return (
    <>
      <div class="chat-notices" role="status">
        {items
          .filter((item) => item.text && !item.error)
          .map((item) => (
            <NoticeLine key={item.text} item={item} />
          ))}
      </div>
      <div class="chat-notices" role="alert">
        {items
          .filter((item) => item.text && item.error)
          .map((item) => (
            <NoticeLine key={item.text} item={item} />
          ))}
      </div>
    </>
  );
}

function NoticeLine({ item }: { item: Notice }) {
  return (
    <p class={item.error ? 'chat-notice chat-notice-error' : 'chat-notice'}>
      <span>{item.text}</span>
      {item.dismiss && <IconButton icon={X} size="small" iconSize={14} label="Dismiss" onClick={item.dismiss} />}
    </p>
  );
}
