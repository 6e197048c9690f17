import { isEditable } from './time.js';
import { Users, X } from 'lucide';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Me } from '../../../protocol/auth.js';
import type { Message } from '../../../protocol/chat.js';
import { Icon } from '../../lib/icon.js';
import { useStore } from '../../lib/store.js';
import { ErrorBox, PageLoading } from '../../lib/ui.js';
import { Composer, type ComposerHandle } from './composer.js';
import { DeleteDialog, type DeleteDialogHandle } from './delete-dialog.js';
import { useChat, useFillViewport, useNow } from './hooks.js';
import type { MessageHandlers } from './message-item.js';
import { MessageList, type ListScroll } from './message-list.js';
import { OnlinePanel, typingText } from './online-panel.js';
import { mentionPeople } from './mention-suggest.js';
import { Notices } from './notices.js';
import { NotificationToggle } from './notifications.js';
import { ProfileCard, type ProfileCardHandle } from './profile-card.js';
import { SearchForm, SearchPanel } from './search-panel.js';
import { getLive } from '../../lib/live.js';
import { useCountdownNow, usePosting } from './posting.js';
import { PostingNotice, postingHeld } from './posting-notice.js';
import { ReportDialog, type ReportDialogHandle } from './report-dialog.js';
import { SprintDialog } from './sprint-dialog.js';
import { SprintsContext } from './sprints.js';
import { ConnectionStatus } from './status.js';
import { useReading } from './use-reading.js';
import './chat-page.css';

export function ChatPage({ me }: { me: Me }) {
  const { store, sync, actions, sprints } = useChat(me);
  const held = useStore(store.state);
  const { connection, isAdmin, serverOffsetMs, liveError } = useStore(sync.connection);
  const presence = useStore(sync.presence.view);
  const history = useStore(sync.history.view);
  const pageRef = useFillViewport<HTMLDivElement>();
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  const [editingId, setEditingId] = useState<number | null>(null);
  const [onlineOpen, setOnlineOpen] = useState(false);
  const [banner, setBanner] = useState<string | null>(null);
  const composer = useRef<ComposerHandle>(null);
  const deleteDialog = useRef<DeleteDialogHandle>(null);
  const reportDialog = useRef<ReportDialogHandle>(null);
  const posting = usePosting(getLive());
  const offset = serverOffsetMs;
  const serverNow = useCallback(() => Date.now() + offset, [offset]);
  const postingNow = useCountdownNow(posting, serverNow);
  const list = useRef<ListScroll | null>(null);
  const profileCard = useRef<ProfileCardHandle>(null);
  const [searchQuery, setSearchQuery] = useState<string | null>(null);
  const [atBottom, setAtBottom] = useState(true);
  const reading = useReading(me, store, atBottom);
  const now = useNow(30_000) + serverOffsetMs;

  // A reply whose original was deleted meanwhile cannot be sent as a reply.
  const replyTarget = replyTo && store.isGone(replyTo.id) ? null : replyTo;
  if (replyTo && replyTarget === null) {
    setReplyTo(null);
    setBanner('The message you were replying to was deleted.');
  }

  const handlers = useMemo<MessageHandlers>(
    () => ({
      reply(message) {
        setEditingId(null);
        setReplyTo(message);
      },
      react: (id, emoji) => void actions.react(id, emoji),
      startEdit: (id) => setEditingId(id),
      endEdit() {
        setEditingId(null);
        composer.current?.focus();
      },
      saveEdit: (id, content) => actions.edit(id, content),
      remove: (message) => deleteDialog.current?.open(message),
      jump: (id) => openMessage(id, 'The original message is not loaded (it may have been deleted).'),
      report: (message) => reportDialog.current?.open(message),
      retry: (clientId) => sync.outbox.retry(clientId),
      discard: (clientId) => sync.outbox.discard(clientId),
      copyLink(id) {
        navigator.clipboard.writeText(`${location.origin}/chat?m=${id}`).then(
          () => setBanner('Link to the message copied.'),
          () => setBanner('Could not copy the link.'),
        );
      },
      openProfile: (username) => profileCard.current?.open(username),
    }),
    // openMessage uses only refs, state setters and `sync`.
    [actions, sync],
  );

  /** Shows message `id` in the conversation (loading older pages up to it), highlighted. */
  function openMessage(id: number, missing: string): void {
    setBanner(null);
    if (list.current?.reveal(id)) return;
    void sync.history.ensureLoaded(id).then((found) => {
      if (found) requestAnimationFrame(() => list.current?.reveal(id));
      else setBanner(missing);
    });
  }
  const openFound = useCallback(
    (id: number) => openMessage(id, 'That message is too far back to show here, or it was deleted.'),
    [sync],
  );

  // A link to a message (`/chat?m=ID`) opens the chat there, once the first messages are in.
  const linked = useRef(new URLSearchParams(location.search).get('m'));
  useEffect(() => {
    const id = Number(linked.current);
    if (!reading.ready || !Number.isInteger(id) || id <= 0) return;
    linked.current = null;
    requestAnimationFrame(() => openFound(id));
  }, [reading.ready, openFound]);

  const people = useMemo(
    () => mentionPeople(me, presence.online, held.messages, isAdmin),
    [me, presence.online, held.messages, isAdmin],
  );

  const onSend = useCallback(
    (content: string) => {
      sync.outbox.send(content, replyTarget);
      setReplyTo(null);
      setBanner(null);
      list.current?.toBottom();
    },
    [sync, replyTarget],
  );

  const onEditLast = () => {
    const last = [...held.messages].reverse().find((m) => isEditable(m, me, now));
    if (last === undefined) return false;
    setEditingId(last.id);
    return true;
  };

  const typing = typingText(presence.typing);
  let conversation;
  if (!held.loaded && history.loadError !== null) {
    conversation = (
      <ErrorBox title="Could not load the messages" message={history.loadError} onRetry={() => sync.retryLoad()} />
    );
  } else if (!held.loaded || !reading.ready) {
    conversation = <PageLoading label="Loading messages…" />;
  } else {
    conversation = (
      <MessageList
        messages={held.messages}
        pending={held.pending}
        me={me}
        isAdmin={isAdmin}
        now={now}
        editingId={editingId}
        hasOlder={held.hasOlder}
        olderLoading={history.olderLoading}
        olderError={history.olderError}
        onLoadOlder={() => void sync.history.loadOlder()}
        handlers={handlers}
        scrollRef={list}
        firstUnreadId={reading.firstUnreadId}
        onBottomChange={setAtBottom}
      />
    );
  }

  return (
    <SprintsContext.Provider value={sprints}>
      <div ref={pageRef} class="chat-page">
        <header class="chat-header">
          <div class="chat-heading">
            <h1 class="chat-title">Chat</h1>
            <ConnectionStatus connection={connection} onReconnect={() => sync.reconnect()} />
          </div>
          <SearchForm onSearch={setSearchQuery} />
          <NotificationToggle unread={reading.unread} onOpen={openFound} />
          <SprintDialog />
          <button
            type="button"
            class="btn btn-secondary btn-small online-toggle"
            aria-expanded={onlineOpen}
            aria-controls="online-panel"
            onClick={() => setOnlineOpen(!onlineOpen)}
          >
            <Icon icon={onlineOpen ? X : Users} size={16} />
            <span>Online ({presence.onlineCount})</span>
          </button>
        </header>
        <div class="chat-body">
          <section class="chat-main glass-card" aria-label="Conversation">
            <Notices
              items={[
                { text: history.notice, dismiss: () => sync.history.view.set({ notice: null }) },
                { text: history.syncError },
                { text: banner, dismiss: () => setBanner(null) },
                { text: liveError, dismiss: () => sync.connection.set({ liveError: null }), error: true },
              ]}
            />
            {conversation}
            <p class="typing-line">{typing}</p>
            <PostingNotice posting={posting} now={postingNow} />
            <Composer
              held={postingHeld(posting, postingNow)}
              handle={composer}
              replyTo={replyTarget}
              onCancelReply={() => {
                setReplyTo(null);
                composer.current?.focus();
              }}
              onSend={onSend}
              onTyping={() => sync.presence.sendTyping()}
              onEditLast={onEditLast}
              people={people}
            />
          </section>
          {searchQuery !== null ? (
            <SearchPanel query={searchQuery} onOpen={openFound} onClose={() => setSearchQuery(null)} />
          ) : (
            <OnlinePanel
              online={presence.online}
              onlineCount={presence.onlineCount}
              me={me}
              open={onlineOpen}
              stale={connection !== 'open'}
              onOpenProfile={handlers.openProfile}
            />
          )}
        </div>
        <ProfileCard handle={profileCard} />
        <ReportDialog handle={reportDialog} onReported={() => setBanner('Thank you: the admins will look at it.')} />
        <DeleteDialog
          handle={deleteDialog}
          onConfirm={(message) => actions.remove(message.id)}
          isGone={(id) => store.isGone(id)}
          onClosed={() => {
            // The button that opened it is gone with the message: continue in the composer.
            if (document.activeElement === document.body || document.activeElement === null) composer.current?.focus();
          }}
        />
      </div>
    </SprintsContext.Provider>
  );
}
