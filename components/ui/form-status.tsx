// The live region where a form announces its outcome.
export function FormStatus({ error, message, testId }: { error?: string; message?: string; testId?: string }) {
  return (
    <div aria-live="polite" data-testid={testId}>
      {error && <p className="banner banner-error">{error}</p>}
      {message && <p className="banner banner-ok">{message}</p>}
    </div>
  );
}
