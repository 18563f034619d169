"use client";
/**
 * Whether a log view follows its newest line. Only the reader lets go: a wheel
 * or touch moving up, PageUp/Home/ArrowUp/Shift+Space, or dragging the bar up.
 * The view's own scrolls (following, rows appended, older rows prepended, the
 * window trimmed) never do, however they move the geometry: deciding from the
 * geometry of every scroll event read a race between appended rows and the
 * follow scroll as the reader scrolling up. The reader scrolling back to the
 * bottom, End or "Jump to latest" follows again. While a pointer is down on
 * the log (dragging its scrollbar, selecting text) the view holds still, so the
 * drag is not undone by the next follow scroll.
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from "react";

// How long after a wheel, touch or key its scroll events count as the reader's (smooth scrolling animates).
const INTENT_MS = 500;
const UP_KEYS = new Set(["ArrowUp", "PageUp", "Home"]);
const DOWN_KEYS = new Set(["ArrowDown", "PageDown"]);

export interface Follow {
  following: boolean;
  /** The reader went elsewhere (a search match, say). */
  release(): void;
  /** "Jump to latest". */
  resume(): void;
  /** Call from the scroller's scroll handler; true when the reader made this scroll. */
  onScroll(): boolean;
  /** A pointer is down on the log: the view should not move under it. */
  pressed(): boolean;
}

interface Callbacks {
  /** Follow was released: stop any scroll still on its way to the end. */
  onRelease(): void;
  /** The pointer came up while following: catch up with the end. */
  onUnpress(): void;
}

export function useFollow(scroller: RefObject<HTMLElement | null>, nearEnd: number, callbacks: Callbacks): Follow {
  const [following, setFollowing] = useState(true);
  const followingRef = useRef(true);
  const intent = useRef({ until: 0, up: false });
  const dragging = useRef(false);
  const lastTop = useRef(0);
  const cb = useRef(callbacks);
  cb.current = callbacks;

  const set = useCallback((v: boolean) => {
    if (followingRef.current === v) return;
    followingRef.current = v;
    setFollowing(v);
    if (!v) cb.current.onRelease();
  }, []);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const scrollable = () => el.scrollHeight > el.clientHeight;
    const mark = (up: boolean) => {
      intent.current = { until: performance.now() + INTENT_MS, up };
      if (up && scrollable()) set(false);
    };
    const onWheel = (e: WheelEvent) => {
      if (e.deltaY !== 0 && !e.ctrlKey) mark(e.deltaY < 0);
    };
    let touchY: number | undefined;
    const onTouchStart = (e: TouchEvent) => {
      touchY = e.touches[0]?.clientY;
    };
    const onTouchMove = (e: TouchEvent) => {
      const y = e.touches[0]?.clientY;
      // A finger moving down drags the content down: towards older lines.
      if (y !== undefined && touchY !== undefined && y !== touchY) mark(y > touchY);
      touchY = y;
    };
    const onKey = (e: KeyboardEvent) => {
      // End means the newest line, even one that arrives while the browser scrolls there.
      if (e.key === "End") set(true);
      else if (UP_KEYS.has(e.key) || (e.key === " " && e.shiftKey)) mark(true);
      else if (DOWN_KEYS.has(e.key) || e.key === " ") mark(false);
    };
    // The scrollbar is part of the element: a press on it, or a selection dragged past the edge.
    const onPointerDown = () => {
      dragging.current = true;
    };
    const onPointerUp = () => {
      if (!dragging.current) return;
      dragging.current = false;
      if (followingRef.current) cb.current.onUnpress();
    };
    // One signal removes every listener: the list is written once.
    const off = new AbortController();
    const on = { signal: off.signal };
    const passive = { ...on, passive: true };
    el.addEventListener("wheel", onWheel, passive);
    el.addEventListener("touchstart", onTouchStart, passive);
    el.addEventListener("touchmove", onTouchMove, passive);
    el.addEventListener("keydown", onKey, on);
    el.addEventListener("pointerdown", onPointerDown, on);
    window.addEventListener("pointerup", onPointerUp, on);
    window.addEventListener("pointercancel", onPointerUp, on);
    return () => off.abort();
  }, [scroller, set]);

  const onScroll = useCallback(() => {
    const el = scroller.current;
    if (!el) return false;
    const top = el.scrollTop;
    const movedUp = top < lastTop.current - 1;
    lastTop.current = top;
    const byReader = dragging.current || performance.now() < intent.current.until;
    if (!byReader) return false;
    if (dragging.current && movedUp) set(false);
    else if ((dragging.current || !intent.current.up) && el.scrollHeight - top - el.clientHeight < nearEnd) set(true);
    return true;
  }, [scroller, set, nearEnd]);

  return {
    following,
    release: useCallback(() => set(false), [set]),
    resume: useCallback(() => set(true), [set]),
    onScroll,
    pressed: useCallback(() => dragging.current, []),
  };
}
