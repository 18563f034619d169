"use client";
/**
 * A terminal (xterm.js) on one `exec` or `attach` subscription of the page's
 * WebSocket: output arrives as binary frames and is written as bytes (xterm
 * decodes UTF-8 across chunk boundaries), keystrokes go out as binary frames,
 * and `control` messages carry the size (fit add-on + ResizeObserver) and the
 * flow control: bytes written to xterm but not yet drawn (its write callback)
 * are counted; above HIGH_WATER the stream is paused, below LOW_WATER resumed,
 * so `cat` of a huge file neither freezes the tab nor grows its memory.
 */
import "@xterm/xterm/css/xterm.css";
import { useEffect, useRef } from "react";
import type { AttachParamsInput, ExecParamsInput, TerminalFrame } from "~/runtime/exec/protocol";
import { openStream } from "../_lib/live-streams";
import { useEnv } from "../_lib/use-env";

const HIGH_WATER = 256 * 1024;
const LOW_WATER = 32 * 1024;

export type TerminalTarget =
  | { channel: "exec"; params: Omit<ExecParamsInput, "cols" | "rows"> }
  | { channel: "attach"; params: Omit<AttachParamsInput, "cols" | "rows"> };

export type TerminalStatus =
  | { state: "connecting" }
  | { state: "connected"; name: string; tty: boolean }
  | { state: "exited"; code: number | null }
  | { state: "error"; message: string }
  | { state: "closed"; detail?: string };

export function Terminal({ target, onStatus }: { target: TerminalTarget; onStatus: (s: TerminalStatus) => void }) {
  const env = useEnv();
  const box = useRef<HTMLDivElement>(null);
  const status = useRef(onStatus);
  status.current = onStatus;
  // One session per target object: the console makes a new one for each Connect.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let disposed = false;
    let cleanup = () => undefined as void;
    void (async () => {
      const [{ Terminal: XTerm }, { FitAddon }, { SearchAddon }, { WebLinksAddon }] = await Promise.all([
        import("@xterm/xterm"),
        import("@xterm/addon-fit"),
        import("@xterm/addon-search"),
        import("@xterm/addon-web-links"),
      ]);
      if (disposed) return;
      const term = new XTerm({ cursorBlink: true, convertEol: false, scrollback: 5000, fontSize: 14, fontFamily: "ui-monospace, Menlo, Consolas, monospace" });
      const fit = new FitAddon();
      term.loadAddon(fit);
      term.loadAddon(new SearchAddon());
      term.loadAddon(new WebLinksAddon());
      term.open(el);
      fit.fit();
      status.current({ state: "connecting" });

      let pending = 0;
      let paused = false;
      let sessions = 0;
      const encoder = new TextEncoder();
      const stream = openStream(target.channel, env, {
        // Asked at every (re)subscribe: the size as it is then, so the first prompt fits.
        params: () => ({ ...target.params, cols: term.cols, rows: term.rows }) as never,
        onFrame(f: TerminalFrame) {
          if (f.type === "started") {
            sessions += 1;
            if (sessions > 1) term.write("\r\n\x1b[2m[reconnected: a new session]\x1b[0m\r\n");
            status.current({ state: "connected", name: f.name, tty: f.tty });
          } else if (f.type === "exit") {
            term.write(`\r\n\x1b[2m[${f.code === null ? "detached" : `process exited with code ${f.code}`}]\x1b[0m\r\n`);
            status.current({ state: "exited", code: f.code });
          } else if (f.type === "error") {
            status.current({ state: "error", message: f.message });
          }
        },
        onBinary(data) {
          pending += data.length;
          // What is not drawn yet, for anyone checking the flow control (tests read it).
          el.dataset.pending = String(pending);
          if (!paused && pending > HIGH_WATER) {
            paused = true;
            el.dataset.flow = "paused";
            stream.sendControl({ type: "pause" });
          }
          term.write(data, () => {
            pending -= data.length;
            el.dataset.pending = String(pending);
            if (paused && pending < LOW_WATER) {
              paused = false;
              el.dataset.flow = "flowing";
              stream.sendControl({ type: "resume" });
            }
          });
        },
        onError: (e) => status.current({ state: "error", message: e.message }),
        onClosed: (detail) => status.current({ state: "closed", detail }),
      });
      const input = term.onData((s) => stream.sendInput(encoder.encode(s)));
      // Keys xterm reports as raw bytes (some mouse modes): one byte per character.
      const binary = term.onBinary((s) => stream.sendInput(Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff)));
      const resize = term.onResize(({ cols, rows }) => stream.sendControl({ type: "resize", cols, rows }));
      const observer = new ResizeObserver(() => {
        try {
          fit.fit();
        } catch {
          // Hidden (zero-sized) panel: nothing to fit to.
        }
      });
      observer.observe(el);
      term.focus();
      cleanup = () => {
        observer.disconnect();
        input.dispose();
        binary.dispose();
        resize.dispose();
        stream.close();
        term.dispose();
      };
    })();
    return () => {
      disposed = true;
      cleanup();
    };
  }, [env, target]);

  return <div ref={box} className="terminal" role="region" aria-label="Terminal" />;
}
