"use client";
/**
 * Two-factor sign-in on the Account page: set it up, or (when on) replace the
 * recovery codes or turn it off, each after the password or a current code.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Field } from "../../_components/field";
import { errorMessage, useTRPC } from "../../_lib/trpc";
import { RecoveryCodes, TwoFactorEnrol } from "./two-factor-enrol";

type Step = "disable" | "regenerate";

function Confirm({ step, onCancel, onDone }: { step: Step; onCancel: () => void; onDone: (codes?: string[]) => void }) {
  const trpc = useTRPC();
  const disable = useMutation(trpc.account.disableTwoFactor.mutationOptions());
  const regenerate = useMutation(trpc.account.regenerateRecoveryCodes.mutationOptions());
  const [password, setPassword] = useState("");
  const [authCode, setAuthCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const busy = disable.isPending || regenerate.isPending;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const input = authCode.trim() ? { authCode } : { password };
    try {
      if (step === "disable") {
        await disable.mutateAsync(input);
        onDone();
      } else {
        onDone((await regenerate.mutateAsync(input)).recoveryCodes);
      }
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  const title = step === "disable" ? "Turn off two-factor sign-in" : "Generate new recovery codes";
  return (
    <form onSubmit={submit} aria-label={title} className="confirm-inline account-form">
      <p>{step === "disable" ? "Confirm with your password or an authentication code." : "The old recovery codes stop working. Confirm with your password or an authentication code."}</p>
      <Field label="Password" type="password" value={password} onChange={setPassword} autoComplete="current-password" maxLength={256} />
      <Field label="Authentication code" value={authCode} onChange={setAuthCode} autoComplete="one-time-code" maxLength={64} />
      {error && <p role="alert" className="error">{error}</p>}
      <div className="row">
        <button type="submit" className={step === "disable" ? "danger" : "primary"} disabled={busy}>
          {step === "disable" ? "Turn off" : "Generate"}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function TwoFactorPanel() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const status = useQuery(trpc.account.twoFactor.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.account.twoFactor.queryKey() });
  const [step, setStep] = useState<Step | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);

  // First: new recovery codes stay on screen until the user says they are saved, whatever the status says meanwhile.
  if (codes) return <RecoveryCodes codes={codes} onDone={() => (setCodes(null), void refresh())} />;
  if (status.error) return <p role="alert" className="error">{errorMessage(status.error)}</p>;
  if (!status.data) return <p className="muted">Loading…</p>;
  const s = status.data;
  if (!s.enabled) {
    return (
      <div>
        <p data-testid="two-factor-state">
          Two-factor sign-in is <strong>off</strong>.{s.required && " An administrator requires it for your account."}
        </p>
        <TwoFactorEnrol onEnabled={setCodes} onFinished={() => void refresh()} />
      </div>
    );
  }
  return (
    <div>
      <p data-testid="two-factor-state">
        Two-factor sign-in is <strong className="ok">on</strong> since {new Date(s.enabledAt!).toLocaleString()}. Recovery codes left: {s.recoveryCodesLeft}.
      </p>
      {step ? (
        <Confirm
          step={step}
          onCancel={() => setStep(null)}
          onDone={(c) => {
            setStep(null);
            if (c) setCodes(c);
            void refresh();
          }}
        />
      ) : (
        <div className="row">
          <button type="button" onClick={() => setStep("regenerate")}>
            Generate new recovery codes
          </button>
          {!s.required && (
            <button type="button" className="danger" onClick={() => setStep("disable")}>
              Turn off two-factor sign-in
            </button>
          )}
        </div>
      )}
    </div>
  );
}
