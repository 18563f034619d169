/**
 * A transparent proxy in front of the private test engine's socket, for tests
 * that need to catch the runtime at one exact step of a call: every request is
 * passed to the real engine as it is, except the first one matching `hold`,
 * which is kept (never forwarded) until the test decides. Not a mock: the
 * engine answers everything else, and only the real engine's state is checked.
 */
import http from "node:http";
import net from "node:net";

export interface DockerProxy {
  /** `unix://…`, for DOCKER_HOST. */
  dockerHost: string;
  /** Resolves when the held request arrives. */
  held: Promise<{ method: string; url: string }>;
  close(): Promise<void>;
}

export async function dockerProxy(socketPath: string, hold: (method: string, url: string) => boolean): Promise<DockerProxy> {
  const upstream = process.env.DOCKER_HOST!.replace(/^unix:\/\//, "");
  let holding = true;
  let onHeld!: (r: { method: string; url: string }) => void;
  const held = new Promise<{ method: string; url: string }>((resolve) => (onHeld = resolve));
  const sockets = new Set<net.Socket>();

  const server = http.createServer((req, res) => {
    const method = req.method ?? "GET";
    const url = req.url ?? "/";
    if (holding && hold(method, url)) {
      holding = false;
      onHeld({ method, url });
      return; // never forwarded: the engine does not see this request
    }
    const out = http.request({ socketPath: upstream, method, path: url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      // A stream such as /events sends its head long before its first byte.
      res.flushHeaders();
      up.pipe(res);
    });
    out.on("error", () => res.destroy());
    res.on("close", () => out.destroy());
    req.pipe(out);
  });
  // Hijacked connections (attach, exec) pass through as raw bytes.
  server.on("upgrade", (req, socket, head) => {
    const up = net.connect(upstream, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      up.write(`${lines.join("\r\n")}\r\n\r\n`);
      up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    up.on("error", () => socket.destroy());
    socket.on("error", () => up.destroy());
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    dockerHost: `unix://${socketPath}`,
    held,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
