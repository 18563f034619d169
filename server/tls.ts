/**
 * Optional HTTPS (BERTH_TLS=on): a second listener on BERTH_TLS_PORT serving
 * exactly what :9000 serves (pages, tRPC, REST, downloads, the /api/ws
 * WebSocket) through the same handlers. Its requests are marked
 * `X-Forwarded-Proto: https`, so next-auth names and sets its cookies `Secure`
 * (`__Secure-…`) there, as server/auth/session.ts reads them back.
 *
 * The certificate is BERTH_TLS_CERT/BERTH_TLS_KEY (PEM files), or else a
 * self-signed one made once into `<data>/tls/` and reused (made again only when
 * it has expired), for localhost, 127.0.0.1, ::1 and this host's name.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import type http from "node:http";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import type { Env } from "./env";

export interface TlsCredentials {
  cert: string;
  key: string;
  /** What a person is told: the files used, or the self-signed certificate's fingerprint. */
  describe: string;
}

/** A certificate that cannot be used, with the variable or file to fix named. */
export class TlsSetupError extends Error {}

const SELF_SIGNED_DAYS = 825;

function readPem(file: string, variable: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new TlsSetupError(`${variable}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Parses the pair and checks that the key belongs to the certificate, naming the file at fault. */
function checkPair(cert: string, key: string, certName: string, keyName: string): crypto.X509Certificate {
  let x509: crypto.X509Certificate;
  try {
    x509 = new crypto.X509Certificate(cert);
  } catch (err) {
    throw new TlsSetupError(`${certName} is not a PEM certificate (${(err as Error).message})`);
  }
  let privateKey: crypto.KeyObject;
  try {
    privateKey = crypto.createPrivateKey(key);
  } catch (err) {
    throw new TlsSetupError(`${keyName} is not an unencrypted PEM private key (${(err as Error).message})`);
  }
  if (!x509.checkPrivateKey(privateKey)) throw new TlsSetupError(`${keyName} is not the private key of ${certName}`);
  return x509;
}

/** Writes through a temporary file and a rename: a crash never leaves half a key. */
function writeAtomic(file: string, text: string, mode: number) {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text, { mode });
  fs.renameSync(tmp, file);
}

async function selfSigned(dataDir: string, now = Date.now()): Promise<TlsCredentials> {
  const dir = path.join(dataDir, "tls");
  const certFile = path.join(dir, "cert.pem");
  const keyFile = path.join(dir, "key.pem");
  if (fs.existsSync(certFile) && fs.existsSync(keyFile)) {
    const cert = fs.readFileSync(certFile, "utf8");
    const key = fs.readFileSync(keyFile, "utf8");
    const x509 = checkPair(cert, key, certFile, keyFile);
    if (Date.parse(x509.validTo) > now + 24 * 3600_000) return { cert, key, describe: `self-signed certificate ${certFile} (SHA-256 ${x509.fingerprint256})` };
  }
  const { generate } = await import("selfsigned");
  const host = os.hostname();
  const pems = await generate([{ name: "commonName", value: "Berth" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate: new Date(now - 3600_000),
    notAfterDate: new Date(now + SELF_SIGNED_DAYS * 24 * 3600_000),
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          ...(host && host !== "localhost" ? [{ type: 2 as const, value: host }] : []),
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
        ],
      },
    ],
  });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeAtomic(keyFile, pems.private, 0o600);
  writeAtomic(certFile, pems.cert, 0o644);
  const x509 = new crypto.X509Certificate(pems.cert);
  return { cert: pems.cert, key: pems.private, describe: `new self-signed certificate ${certFile} (SHA-256 ${x509.fingerprint256})` };
}

export async function tlsCredentials(env: Env): Promise<TlsCredentials> {
  if (env.BERTH_TLS_CERT && env.BERTH_TLS_KEY) {
    const cert = readPem(env.BERTH_TLS_CERT, "BERTH_TLS_CERT");
    const key = readPem(env.BERTH_TLS_KEY, "BERTH_TLS_KEY");
    const x509 = checkPair(cert, key, `BERTH_TLS_CERT (${env.BERTH_TLS_CERT})`, `BERTH_TLS_KEY (${env.BERTH_TLS_KEY})`);
    if (Date.parse(x509.validTo) <= Date.now()) throw new TlsSetupError(`BERTH_TLS_CERT (${env.BERTH_TLS_CERT}) expired on ${x509.validTo}`);
    return { cert, key, describe: `certificate ${env.BERTH_TLS_CERT}` };
  }
  return selfSigned(env.dataDir);
}

/**
 * Listens with TLS on BERTH_TLS_PORT and hands every request, upgrade and
 * client error to the plain server's own listeners, so both ports behave the same.
 */
export async function listenTls(env: Env, plain: http.Server, creds: TlsCredentials): Promise<https.Server> {
  const server = https.createServer({ cert: creds.cert, key: creds.key });
  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    // This socket is https, whatever the client claims: next-auth decides Secure cookies by this header.
    req.headers["x-forwarded-proto"] = "https";
    plain.emit("request", req, res);
  });
  server.on("upgrade", (req: http.IncomingMessage, socket, head) => {
    req.headers["x-forwarded-proto"] = "https";
    plain.emit("upgrade", req, socket, head);
  });
  server.on("clientError", (err, socket) => plain.emit("clientError", err, socket));
  // A failed handshake (a plain-HTTP client, a scanner) is that client's problem, not a log line each.
  server.on("tlsClientError", () => {});
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(new TlsSetupError(err.code === "EADDRINUSE" ? `port ${env.BERTH_TLS_PORT} on ${env.BERTH_HOST} is already in use (BERTH_TLS_PORT)` : `cannot listen on ${env.BERTH_HOST}:${env.BERTH_TLS_PORT}: ${err.message}`)),
    );
    server.listen(env.BERTH_TLS_PORT, env.BERTH_HOST, resolve);
  });
  return server;
}
