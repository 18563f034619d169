import Link from "next/link";

/** Any address no page answers. */
export default function NotFound() {
  return (
    <main className="auth">
      <section className="card auth-card" aria-labelledby="not-found-title">
        <h1 id="not-found-title">Page not found</h1>
        <p className="muted">Nothing lives at this address.</p>
        <Link href="/">Go to the home page</Link>
      </section>
    </main>
  );
}
