/**
 * HTTPS settings and certificates: the variables are checked at start-up with
 * the one at fault named; the self-signed certificate is made once into the
 * data directory and reused; a given pair is checked (readable, PEM, the key
 * belongs to the certificate).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseEnv as parseProcessEnv } from "../../server/env";
import { tlsCredentials } from "../../server/tls";

/** Just the variables given (the type wants NODE_ENV, which these checks do not read). */
const parseEnv = (vars: Record<string, string>) => parseProcessEnv(vars as NodeJS.ProcessEnv);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-tls-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("TLS variables", () => {
  it("are off by default; on, the port defaults to 9443", () => {
    expect(parseEnv({})).toMatchObject({ BERTH_TLS: "off", BERTH_TLS_PORT: 9443 });
    expect(parseEnv({ BERTH_TLS: "on", BERTH_TLS_PORT: "8443" })).toMatchObject({ BERTH_TLS: "on", BERTH_TLS_PORT: 8443 });
  });
  it("name the variable at fault", () => {
    expect(() => parseEnv({ BERTH_TLS: "yes" })).toThrow(/BERTH_TLS:/);
    expect(() => parseEnv({ BERTH_TLS: "on", BERTH_TLS_PORT: "70000" })).toThrow(/BERTH_TLS_PORT: must be 1–65535/);
    expect(() => parseEnv({ BERTH_TLS: "on", BERTH_TLS_CERT: "/x/cert.pem" })).toThrow(/BERTH_TLS_KEY: give BERTH_TLS_CERT and BERTH_TLS_KEY together/);
    expect(() => parseEnv({ BERTH_TLS: "on", BERTH_TLS_KEY: "/x/key.pem" })).toThrow(/BERTH_TLS_CERT: give/);
    expect(() => parseEnv({ BERTH_TLS: "on", BERTH_PORT: "9443" })).toThrow(/BERTH_TLS_PORT: must differ from BERTH_PORT/);
  });
});

describe("tlsCredentials", () => {
  const dataDir = path.join(dir, "data");
  const env = (extra: Record<string, string> = {}) => ({ ...parseEnv({ BERTH_TLS: "on", BERTH_DATA_DIR: dataDir, ...extra }) });

  it("makes a self-signed certificate once, for localhost and 127.0.0.1, with its key kept private, and reuses it", async () => {
    const first = await tlsCredentials(env());
    const certFile = path.join(dataDir, "tls", "cert.pem");
    const keyFile = path.join(dataDir, "tls", "key.pem");
    expect(fs.readFileSync(certFile, "utf8")).toBe(first.cert);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const x509 = new crypto.X509Certificate(first.cert);
    expect(x509.subjectAltName).toContain("DNS:localhost");
    expect(x509.subjectAltName).toContain("IP Address:127.0.0.1");
    expect(x509.checkPrivateKey(crypto.createPrivateKey(first.key))).toBe(true);
    expect(first.describe).toMatch(/new self-signed certificate/);

    const again = await tlsCredentials(env());
    expect(again.cert).toBe(first.cert);
    expect(again.key).toBe(first.key);
    expect(again.describe).toMatch(/^self-signed certificate .*SHA-256/);
  });

  it("uses a given pair, and names the file at fault when it cannot", async () => {
    const certFile = path.join(dataDir, "tls", "cert.pem");
    const keyFile = path.join(dataDir, "tls", "key.pem");
    expect((await tlsCredentials(env({ BERTH_TLS_CERT: certFile, BERTH_TLS_KEY: keyFile }))).describe).toBe(`certificate ${certFile}`);

    await expect(tlsCredentials(env({ BERTH_TLS_CERT: path.join(dir, "none.pem"), BERTH_TLS_KEY: keyFile }))).rejects.toThrow(/^BERTH_TLS_CERT: cannot read .*ENOENT/);
    const junk = path.join(dir, "junk.pem");
    fs.writeFileSync(junk, "not a certificate");
    await expect(tlsCredentials(env({ BERTH_TLS_CERT: junk, BERTH_TLS_KEY: keyFile }))).rejects.toThrow(/^BERTH_TLS_CERT .* is not a PEM certificate/);
    await expect(tlsCredentials(env({ BERTH_TLS_CERT: certFile, BERTH_TLS_KEY: junk }))).rejects.toThrow(/^BERTH_TLS_KEY .* is not an unencrypted PEM private key/);
    const otherKey = path.join(dir, "other-key.pem");
    fs.writeFileSync(otherKey, crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }));
    await expect(tlsCredentials(env({ BERTH_TLS_CERT: certFile, BERTH_TLS_KEY: otherKey }))).rejects.toThrow(/^BERTH_TLS_KEY .* is not the private key of BERTH_TLS_CERT/);
  });
});
