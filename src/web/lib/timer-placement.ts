import type { RefObject } from 'preact';
import { useCallback, useLayoutEffect, useRef } from 'preact/hooks';

/**
 * Where the floating timer sits: dragged by pointer (mouse, touch, pen) or moved with the arrow
 * keys, widened from its corner, always inside the viewport, remembered in localStorage on
 * this device.
 */
export const STORAGE_KEY = 'codechicks:floating-timer';
export const KEY_STEP = 10;
export const KEY_STEP_LARGE = 50;
const MARGIN = 8;
const DEFAULT_GAP = 16;
export const MIN_WIDTH = 208;
export const MAX_WIDTH = 420;

export interface Placement {
  left: number;
  top: number;
  width?: number;
}

interface Point {
  left: number;
  top: number;
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function readPlacement(): Partial<Placement> {
  try {
    const raw = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<Record<keyof Placement, unknown>>;
    if (raw === null || typeof raw !== 'object') return {};
    const placement: Partial<Placement> = {};
    if (isNumber(raw.left) && isNumber(raw.top)) Object.assign(placement, { left: raw.left, top: raw.top });
    if (isNumber(raw.width)) placement.width = raw.width;
    return placement;
  } catch {
    return {};
  }
}

function savePlacement(changes: Partial<Placement>): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ ...readPlacement(), ...changes }));
  } catch {
    // Private mode or a full storage: the position just is not remembered.
  }
}

function viewport(): { width: number; height: number } {
  return { width: document.documentElement.clientWidth, height: document.documentElement.clientHeight };
}

/** Keeps a box of this size inside the viewport (its top-left corner wins on a tiny screen). */
export function clampPoint(point: Point, box: { width: number; height: number }): Point {
  const view = viewport();
  const maxLeft = Math.max(MARGIN, view.width - box.width - MARGIN);
  const maxTop = Math.max(MARGIN, view.height - box.height - MARGIN);
  return {
    left: Math.round(Math.min(Math.max(point.left, MARGIN), maxLeft)),
    top: Math.round(Math.min(Math.max(point.top, MARGIN), maxTop)),
  };
}

function clampWidth(width: number): number {
  const room = viewport().width - 2 * MARGIN;
  return Math.round(Math.max(Math.min(MIN_WIDTH, room), Math.min(width, MAX_WIDTH, room)));
}

type Gesture =
  | { kind: 'drag'; pointerId: number; dx: number; dy: number }
  | { kind: 'resize'; pointerId: number; startX: number; startWidth: number };

/** Elements a drag never starts from: controls and the resize corner. */
const NO_DRAG = 'button, a, input, textarea, select, [data-no-drag]';

export function useFloatingPlacement(panel: RefObject<HTMLElement>, visible: boolean) {
  /** Where the person put it; shown clamped to the viewport, so it comes back when the window grows. */
  const wanted = useRef<Point | null>(null);
  const shown = useRef<Point | null>(null);
  const gesture = useRef<Gesture | null>(null);

  const place = useCallback(
    (point: Point) => {
      const element = panel.current;
      if (!element) return;
      const rect = element.getBoundingClientRect();
      const next = clampPoint(point, rect);
      element.style.left = `${next.left}px`;
      element.style.top = `${next.top}px`;
      shown.current = next;
    },
    [panel],
  );

  /** A move by the person: remembered as where it now is. */
  const moveTo = useCallback(
    (point: Point, save: boolean) => {
      place(point);
      wanted.current = shown.current;
      if (save && shown.current) savePlacement(shown.current);
    },
    [place],
  );

  useLayoutEffect(() => {
    const element = panel.current;
    if (!visible || !element) return;
    const saved = readPlacement();
    if (saved.width !== undefined) element.style.width = `${clampWidth(saved.width)}px`;
    if (wanted.current === null) {
      const rect = element.getBoundingClientRect();
      const view = viewport();
      wanted.current =
        saved.left !== undefined && saved.top !== undefined
          ? { left: saved.left, top: saved.top }
          : { left: view.width - rect.width - DEFAULT_GAP, top: view.height - rect.height - DEFAULT_GAP };
    }
    place(wanted.current);
    const replace = () => {
      if (wanted.current) place(wanted.current);
    };
    // A smaller window, or a taller panel (a longer label, a wider panel), must not push it out.
    addEventListener('resize', replace);
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(replace);
    observer?.observe(element);
    return () => {
      removeEventListener('resize', replace);
      observer?.disconnect();
    };
  }, [visible, panel, place]);

  const onPointerDown = useCallback(
    (event: PointerEvent) => {
      const element = panel.current;
      const target = event.target as Element | null;
      if (!element || event.button !== 0 || !event.isPrimary || target?.closest(NO_DRAG)) return;
      const rect = element.getBoundingClientRect();
      gesture.current = {
        kind: 'drag',
        pointerId: event.pointerId,
        dx: event.clientX - rect.left,
        dy: event.clientY - rect.top,
      };
      element.setPointerCapture(event.pointerId);
      element.classList.add('is-dragging');
      event.preventDefault();
    },
    [panel],
  );

  const onResizeStart = useCallback(
    (event: PointerEvent) => {
      const element = panel.current;
      if (!element || event.button !== 0 || !event.isPrimary) return;
      gesture.current = {
        kind: 'resize',
        pointerId: event.pointerId,
        startX: event.clientX,
        startWidth: element.getBoundingClientRect().width,
      };
      element.setPointerCapture(event.pointerId);
      element.classList.add('is-resizing');
      event.preventDefault();
    },
    [panel],
  );

  const onPointerMove = useCallback(
    (event: PointerEvent) => {
      const current = gesture.current;
      const element = panel.current;
      if (!current || !element || current.pointerId !== event.pointerId) return;
      if (current.kind === 'drag') {
        moveTo({ left: event.clientX - current.dx, top: event.clientY - current.dy }, false);
      } else {
        const room = viewport().width - (shown.current?.left ?? 0) - MARGIN;
        element.style.width = `${clampWidth(Math.min(room, current.startWidth + event.clientX - current.startX))}px`;
        if (shown.current) moveTo(shown.current, false);
      }
    },
    [panel, moveTo],
  );

  const onPointerEnd = useCallback(
    (event: PointerEvent) => {
      const current = gesture.current;
      const element = panel.current;
      if (!current || current.pointerId !== event.pointerId) return;
      gesture.current = null;
      element?.classList.remove('is-dragging', 'is-resizing');
      if (element?.hasPointerCapture(event.pointerId)) element.releasePointerCapture(event.pointerId);
      if (current.kind === 'resize' && element) savePlacement({ width: element.getBoundingClientRect().width });
      if (shown.current) moveTo(shown.current, true);
    },
    [panel, moveTo],
  );

  /** Arrow keys on the focused drag handle: 10 px, with Shift 50 px. */
  const onHandleKeyDown = useCallback(
    (event: KeyboardEvent) => {
      const step = event.shiftKey ? KEY_STEP_LARGE : KEY_STEP;
      const deltas: Record<string, [number, number]> = {
        ArrowLeft: [-step, 0],
        ArrowRight: [step, 0],
        ArrowUp: [0, -step],
        ArrowDown: [0, step],
      };
      const delta = deltas[event.key];
      if (!delta || event.altKey || event.ctrlKey || event.metaKey) return;
      event.preventDefault();
      const from = shown.current ?? { left: 0, top: 0 };
      moveTo({ left: from.left + delta[0], top: from.top + delta[1] }, true);
    },
    [moveTo],
  );

  return { onPointerDown, onPointerMove, onPointerEnd, onResizeStart, onHandleKeyDown };
}
