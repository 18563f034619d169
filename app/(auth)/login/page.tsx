"use client";
import { signIn } from "next-auth/react";
import { useRouter, useSearchParams } from "next/navigation";
import { Suspense, useState, type FormEvent } from "react";
import { Field } from "../../_components/field";

function LoginForm() {
  const router = useRouter();
  const params = useSearchParams();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Second step: the password was right and the account has two-factor sign-in (the server said TOTP_REQUIRED).
  const [needsCode, setNeedsCode] = useState(false);
  const [code, setCode] = useState("");

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const res = await signIn("credentials", { username, password, ...(needsCode ? { code } : {}), redirect: false });
    setBusy(false);
    if (res?.error === "TOTP_REQUIRED") {
      setNeedsCode(true);
      return;
    }
    if (!res?.ok) {
      setError(res?.error && res.error !== "CredentialsSignin" ? res.error : "Wrong username or password.");
      // A wrong password at the code step starts over (the password may have been changed meanwhile).
      if (res?.error === "Wrong username or password.") {
        setNeedsCode(false);
        setCode("");
      }
      return;
    }
    const back = params.get("callbackUrl");
    // Only same-site paths: a callbackUrl must not send a fresh session elsewhere.
    router.replace(back && back.startsWith("/") && !back.startsWith("//") ? back : "/");
    router.refresh();
  }

  return (
    <form className="card auth-card" onSubmit={submit} aria-labelledby="login-title">
      <h1 id="login-title">Sign in to Berth</h1>
      {needsCode ? (
        <>
          <p className="muted">Enter the code from your authenticator app, or one of your recovery codes.</p>
          <Field label="Authentication code" value={code} onChange={setCode} autoComplete="one-time-code" maxLength={64} required autoFocus />
        </>
      ) : (
        <>
          <Field label="Username" value={username} onChange={setUsername} autoComplete="username" maxLength={256} required />
          <Field label="Password" type="password" value={password} onChange={setPassword} autoComplete="current-password" maxLength={256} required />
        </>
      )}
      {error && <p role="alert" className="error">{error}</p>}
      <button className="primary" type="submit" disabled={busy}>
        {needsCode ? "Verify" : "Sign in"}
      </button>
      {needsCode && (
        <button type="button" onClick={() => (setNeedsCode(false), setCode(""), setError(null))}>
          Back
        </button>
      )}
    </form>
  );
}

export default function LoginPage() {
  return (
    <main className="auth">
      <Suspense>
        <LoginForm />
      </Suspense>
    </main>
  );
}
