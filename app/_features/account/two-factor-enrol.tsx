"use client";
/**
 * Enrolment in two-factor sign-in: a new secret as a QR code and as text,
 * confirmed with the app's current code; then the recovery codes, shown once.
 */
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { CopyButton } from "../../_components/copy-button";
import { Field } from "../../_components/field";
import { errorMessage, useTRPC } from "../../_lib/trpc";

export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <div className="recovery-codes">
      <p>
        <strong>Save these recovery codes now.</strong> Each signs you in once if you lose the app; they are not shown again.
      </p>
      <ul aria-label="Recovery codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <div className="row">
        <CopyButton text={codes.join("\n")} label="Copy recovery codes" />
        <button type="button" className="primary" onClick={onDone}>
          I have saved them
        </button>
      </div>
    </div>
  );
}

/**
 * `onEnabled`: the parent takes the recovery codes and shows them itself (its
 * own status query flips to "on" at once, which would unmount this form).
 */
export function TwoFactorEnrol({ onEnabled, onFinished }: { onEnabled?: (recoveryCodes: string[]) => void; onFinished: () => void }) {
  const trpc = useTRPC();
  const begin = useMutation(trpc.account.beginTwoFactor.mutationOptions());
  const confirm = useMutation(trpc.account.confirmTwoFactor.mutationOptions());
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);

  function start(e: FormEvent) {
    e.preventDefault();
    setError(null);
    begin.mutateAsync({ password }).then(
      () => setPassword(""),
      (err: unknown) => setError(errorMessage(err)),
    );
  }
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const res = await confirm.mutateAsync({ authCode: code });
      if (onEnabled) onEnabled(res.recoveryCodes);
      else setCodes(res.recoveryCodes);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  if (codes) return <RecoveryCodes codes={codes} onDone={onFinished} />;
  if (!begin.data) {
    // The password again first: a session left open somewhere must not be enough to set up someone else's app.
    return (
      <form onSubmit={start} aria-label="Set up two-factor sign-in" className="account-form">
        <Field label="Password" type="password" value={password} onChange={setPassword} autoComplete="current-password" maxLength={256} required hint="Your password, to confirm it is you." />
        {error && <p role="alert" className="error">{error}</p>}
        <div>
          <button type="submit" className="primary" disabled={begin.isPending}>
            Set up two-factor sign-in
          </button>
        </div>
      </form>
    );
  }
  return (
    <form onSubmit={submit} aria-label="Set up two-factor sign-in" className="account-form">
      <p>Scan this QR code with an authenticator app, or enter the key by hand, then type the code the app shows.</p>
      <img src={begin.data.qrCode} alt="QR code for your authenticator app" width={200} height={200} className="qr" />
      <p>
        Key: <code data-testid="totp-secret">{begin.data.secret}</code> <CopyButton text={begin.data.secret} label="Copy key" />
      </p>
      <Field label="Authentication code" value={code} onChange={setCode} autoComplete="one-time-code" inputMode="numeric" maxLength={64} required />
      {error && <p role="alert" className="error">{error}</p>}
      <div>
        <button className="primary" type="submit" disabled={confirm.isPending}>
          Turn on two-factor sign-in
        </button>
      </div>
    </form>
  );
}
