"use client";
/**
 * The page's one WebSocket to /api/ws. It fetches a single-use ticket, then
 * applies the server's frames straight to the query cache, so every view of
 * containers and engine status is live without polling.
 */
import { useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import type { ContainerSummary, EngineStatus } from "../../runtime/protocol/index";
import type { BrowserFrame } from "../../server/realtime/hub";
import { attachLiveSocket, detachLiveSocket, dispatchStreamFrame } from "./live-streams";
import { useTRPC, useTRPCClient } from "./trpc";

type LiveState = "connecting" | "open" | "closed";
const LiveContext = createContext<LiveState>("connecting");
export const useLiveState = () => useContext(LiveContext);

export function LiveProvider({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [live, setLive] = useState<LiveState>("connecting");

  useEffect(() => {
    let ws: WebSocket | undefined;
    let stopped = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    const containersKey = trpc.containers.list.queryKey();
    const engineKey = trpc.engine.status.queryKey();

    const apply = (frame: BrowserFrame) => {
      switch (frame.type) {
        case "engine":
          queryClient.setQueryData(engineKey, frame.engine as EngineStatus);
          break;
        case "containers.snapshot":
          queryClient.setQueryData(containersKey, frame.containers);
          break;
        case "container.upsert":
          queryClient.setQueryData(containersKey, (old: ContainerSummary[] | undefined) => {
            const list = old ?? [];
            const i = list.findIndex((c) => c.id === frame.container.id);
            return i === -1 ? [...list, frame.container] : list.map((c, j) => (j === i ? frame.container : c));
          });
          break;
        case "container.remove":
          queryClient.setQueryData(containersKey, (old: ContainerSummary[] | undefined) =>
            (old ?? []).filter((c) => c.id !== frame.id),
          );
          break;
      }
    };

    const connect = async () => {
      if (stopped) return;
      setLive("connecting");
      try {
        const { ticket } = await client.ws.ticket.mutate();
        if (stopped) return;
        const proto = location.protocol === "https:" ? "wss:" : "ws:";
        ws = new WebSocket(`${proto}//${location.host}/api/ws?ticket=${encodeURIComponent(ticket)}`);
        const socket = ws;
        ws.onopen = () => {
          attempt = 0;
          setLive("open");
          attachLiveSocket(socket);
        };
        ws.onmessage = (ev) => {
          if (typeof ev.data !== "string") return;
          const frame = JSON.parse(ev.data) as BrowserFrame;
          // Stream frames (logs…) carry a sid and go to their view (app/_lib/live-streams.ts).
          if (!dispatchStreamFrame(frame)) apply(frame);
        };
        ws.onclose = () => {
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
      if (retry) clearTimeout(retry);
      ws?.close();
    };
  }, [client, queryClient, trpc]);

  return <LiveContext.Provider value={live}>{children}</LiveContext.Provider>;
}
