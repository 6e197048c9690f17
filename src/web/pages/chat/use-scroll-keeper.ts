import { useCallback, useEffect, useLayoutEffect, useRef } from 'preact/hooks';

/** Within this of the bottom counts as "at the bottom" (new messages scroll into view). */
const BOTTOM_SLACK_PX = 48;

interface Anchor {
  key: string;
  offset: number;
}

function isAtBottom(element: HTMLElement): boolean {
  return element.scrollHeight - element.scrollTop - element.clientHeight < BOTTOM_SLACK_PX;
}

/** The first row in view and how far from the top: it stays put when rows are added above it. */
function findAnchor(scroller: HTMLElement): Anchor | null {
  const rows = scroller.querySelectorAll<HTMLElement>('[data-row]');
  for (const row of rows) {
    if (row.offsetTop + row.offsetHeight > scroller.scrollTop) {
      return { key: row.dataset.row ?? '', offset: row.offsetTop - scroller.scrollTop };
    }
  }
  return null;
}

interface ScrollKeeperOptions {
  /** The reader reached the bottom, or left it. */
  onBottomChange: (atBottom: boolean) => void;
  /** After each commit: whether new rows landed out of view (the reader stays where they were). */
  onCommitted: (awayFromBottom: boolean) => void;
  /** The reader is at the bottom again (everything is seen). */
  onReachedBottom: () => void;
}

/**
 * Where the reader is in the message list, kept across renders: at the bottom it stays at the
 * bottom (also when rows grow later), elsewhere the first row in view stays put when rows are
 * added above it. The first layout opens at the "New messages" line when there is one.
 */
export function useScrollKeeper({ onBottomChange, onCommitted, onReachedBottom }: ScrollKeeperOptions) {
  const scroller = useRef<HTMLDivElement>(null);
  const log = useRef<HTMLDivElement>(null);
  const anchor = useRef<Anchor | null | undefined>(undefined);
  const forceBottom = useRef(true);
  /** The reader is at the bottom (as of the last scroll): new content keeps them there. */
  const stuck = useRef(true);
  const opened = useRef(false);

  // Read before this render changes the DOM (rendering does not touch it; committing does).
  if (scroller.current) anchor.current = stuck.current ? null : findAnchor(scroller.current);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (element === null) return;
    const snap = anchor.current;
    if (!opened.current) {
      opened.current = true;
      const divider = element.querySelector<HTMLElement>('.unread-divider');
      if (divider !== null) {
        element.scrollTop += divider.getBoundingClientRect().top - element.getBoundingClientRect().top - 8;
        stuck.current = isAtBottom(element);
        forceBottom.current = false;
        onBottomChange(stuck.current);
        if (!stuck.current) {
          onCommitted(false);
          return;
        }
      }
    }
    if (forceBottom.current || snap === undefined || stuck.current) {
      forceBottom.current = false;
      stuck.current = true;
      const bottom = element.scrollHeight - element.clientHeight;
      if (element.scrollTop < bottom - 1) element.scrollTop = bottom;
      onBottomChange(true);
      onCommitted(false);
      return;
    }
    if (snap) {
      const row = element.querySelector<HTMLElement>(`[data-row="${CSS.escape(snap.key)}"]`);
      if (row) {
        const top = row.offsetTop - snap.offset;
        if (Math.abs(element.scrollTop - top) > 1) element.scrollTop = top;
      }
    }
    onCommitted(true);
  });

  const onScroll = useCallback(() => {
    if (scroller.current === null) return;
    stuck.current = isAtBottom(scroller.current);
    onBottomChange(stuck.current);
    if (stuck.current) onReachedBottom();
  }, [onBottomChange, onReachedBottom]);

  // Rows that change height later (fonts, an edit, a code block) keep a reader at the bottom there.
  useEffect(() => {
    const element = scroller.current;
    if (element === null || log.current === null) return;
    const observer = new ResizeObserver(() => {
      if (stuck.current) element.scrollTop = element.scrollHeight - element.clientHeight;
    });
    observer.observe(log.current);
    return () => observer.disconnect();
  }, []);

  const toBottom = useCallback(
    (smooth = false) => {
      const element = scroller.current;
      if (element === null) return;
      forceBottom.current = true;
      stuck.current = true;
      const reduce = matchMedia('(prefers-reduced-motion: reduce)').matches;
      element.scrollTo({ top: element.scrollHeight, behavior: smooth && !reduce ? 'smooth' : 'auto' });
      onReachedBottom();
      onBottomChange(true);
    },
    [onBottomChange, onReachedBottom],
  );

  /** Scrolls row `row` to the middle; the next render must not take the reader back down. */
  const scrollToRow = useCallback(
    (row: HTMLElement) => {
      row.scrollIntoView({ block: 'center' });
      // Before the scroll event comes.
      if (scroller.current) stuck.current = isAtBottom(scroller.current);
      onBottomChange(stuck.current);
    },
    [onBottomChange],
  );

  return { scroller, log, onScroll, toBottom, scrollToRow };
}
