"use client";
/**
 * The page's one WebSocket to /api/ws (protocol: server/realtime/PROTOCOL.md).
 * It fetches a single-use ticket, subscribes to `containers` for the page's
 * environment and applies those frames straight to the query cache, so every
 * view of containers and engine status is live without polling. Other
 * subscriptions (log views) go through app/_lib/live-streams.ts on the same
 * socket. A dropped socket is reopened with backoff and every subscription sent again.
 */
import { useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import type { ContainerSummary } from "../../runtime/engine/protocol";
import type { ServerFrame } from "../../server/realtime/protocol";
import { type ContainerChange, applyContainerChanges } from "./container-changes";
import { attachLiveSocket, detachLiveSocket, dispatchBinaryFrame, dispatchStreamFrame, isTransient, openStream, sendLive } from "./live-streams";
import { useTRPC, useTRPCClient } from "./trpc";

type LiveState = "connecting" | "open" | "closed";
const LiveContext = createContext<LiveState>("connecting");
export const useLiveState = () => useContext(LiveContext);

/** A page cannot see WebSocket pings: it asks for a pong now and then, and reconnects when none comes. */
const PING_EVERY_MS = 25_000;
const PONG_WITHIN_MS = 20_000;

export function LiveProvider({ env, children }: { env: string; children: ReactNode }) {
  const client = useTRPCClient();
  const [live, setLive] = useState<LiveState>("connecting");

  useEffect(() => {
    let ws: WebSocket | undefined;
    let stopped = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let ping: ReturnType<typeof setInterval> | undefined;
    let attempt = 0;

    const connect = async () => {
      if (stopped) return;
      setLive("connecting");
      try {
        const { ticket } = await client.ws.ticket.mutate();
        if (stopped) return;
        const proto = location.protocol === "https:" ? "wss:" : "ws:";
        ws = new WebSocket(`${proto}//${location.host}/api/ws?ticket=${encodeURIComponent(ticket)}`);
        const socket = ws;
        // Terminal bytes come as binary frames (PROTOCOL.md): read them as bytes, not Blobs.
        socket.binaryType = "arraybuffer";
        let heard = Date.now();
        ws.onopen = () => {
          attempt = 0;
          setLive("open");
          attachLiveSocket(socket);
          ping = setInterval(() => {
            if (Date.now() - heard > PING_EVERY_MS + PONG_WITHIN_MS) return socket.close();
            sendLive({ type: "ping" });
          }, PING_EVERY_MS);
        };
        ws.onmessage = (ev) => {
          heard = Date.now();
          if (ev.data instanceof ArrayBuffer) return dispatchBinaryFrame(new Uint8Array(ev.data));
          if (typeof ev.data !== "string") return;
          dispatchStreamFrame(JSON.parse(ev.data) as ServerFrame);
        };
        ws.onclose = () => {
          clearInterval(ping);
          detachLiveSocket(socket);
          schedule();
        };
      } catch {
        schedule();
      }
    };
    const schedule = () => {
      if (stopped) return;
      setLive("closed");
      attempt += 1;
      retry = setTimeout(connect, Math.min(250 * 2 ** attempt, 3000));
    };
    void connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      clearInterval(ping);
      ws?.close();
    };
  }, [client]);

  return (
    <LiveContext.Provider value={live}>
      <LiveContainers env={env} />
      {children}
    </LiveContext.Provider>
  );
}

/**
 * A burst of container changes (100 containers stopped from the CLI: several
 * events each) is applied to the cache in batches, at most one per frame and
 * one per APPLY_EVERY_MS: every apply re-sorts and re-renders a list that may
 * hold thousands of containers. A lone change still shows within a frame, and
 * while changes come few at a time (one container stopped, then started: a
 * `die` and its follow-up fetch) they wait at most QUIET_GAP_MS, not the whole
 * APPLY_EVERY_MS, so a list follows a person's `docker stop` at once.
 */
const APPLY_EVERY_MS = 200;
const QUIET_GAP_MS = 40;
/** A batch this small means changes are coming one by one, not in a flood. */
const QUIET_BATCH = 2;

/** Keeps the query cache of one environment's engine status and container list current. */
function LiveContainers({ env }: { env: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  useEffect(() => {
    const containersKey = trpc.containers.list.queryKey({ env });
    const engineKey = trpc.engine.status.queryKey({ env });
    let pending: ContainerChange[] = [];
    let wait: ReturnType<typeof setTimeout> | undefined;
    let frame: number | undefined;
    let fallback: ReturnType<typeof setTimeout> | undefined;
    let lastApply = -Infinity;
    let lastBatch = 0;
    const apply = () => {
      clearTimeout(wait);
      clearTimeout(fallback);
      if (frame !== undefined) cancelAnimationFrame(frame);
      wait = frame = fallback = undefined;
      if (!pending.length) return;
      lastApply = performance.now();
      const changes = pending;
      lastBatch = changes.length;
      pending = [];
      queryClient.setQueryData(containersKey, (old: ContainerSummary[] | undefined) => applyContainerChanges(old ?? [], changes));
    };
    const queue = (change: ContainerChange) => {
      pending.push(change);
      if (wait !== undefined || frame !== undefined) return;
      wait = setTimeout(() => {
        wait = undefined;
        frame = requestAnimationFrame(apply);
        // A hidden tab gets no frames: it still applies what came, a little later.
        fallback = setTimeout(apply, 250);
      }, Math.max(0, lastApply + (lastBatch <= QUIET_BATCH ? QUIET_GAP_MS : APPLY_EVERY_MS) - performance.now()));
    };
    let refused = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const stream = openStream("containers", env, {
      params: () => ({}),
      onFrame(f) {
        switch (f.type) {
          case "engine":
            queryClient.setQueryData(engineKey, f.engine);
            break;
          case "containers.snapshot":
            // A snapshot replaces everything, including changes not yet applied.
            pending = [];
            apply();
            queryClient.setQueryData(containersKey, f.containers);
            break;
          case "container.upsert":
            queue({ type: "upsert", container: f.container });
            break;
          case "container.remove":
            queue({ type: "remove", id: f.id });
            break;
        }
      },
      // Refused for good (no such environment, not allowed, a limit): asking again would not help.
      onError: (e) => void (refused = !isTransient(e.code)),
      // Ended by the dashboard, never by itself: ask again shortly.
      onClosed: () => {
        if (!refused) retry = setTimeout(() => stream.resubscribe(), 1000);
      },
    });
    return () => {
      clearTimeout(retry);
      apply();
      stream.close();
    };
  }, [env, queryClient, trpc]);
  return null;
}
