import type { Metadata } from "next";

export const metadata: Metadata = { title: "Help" };

export default function HelpPage() {
  return (
    <>
      <h1>Help</h1>
      <section className="card">
        <h2>Installing packages</h2>
        <p>Point pip at this index:</p>
        <pre>pip install --index-url http://127.0.0.1:3000/simple/ NAME</pre>
      </section>
      <section className="card">
        <h2>Publishing packages</h2>
        <p>
          Verify your email address, enable two-factor authentication under Account → Security, then create an API token
          under Account → API tokens and upload with twine:
        </p>
        <pre>twine upload --repository-url http://127.0.0.1:3000/legacy/ -u __token__ -p wheelhouse-… dist/*</pre>
      </section>
      <section className="card">
        <h2>Account security</h2>
        <p>
          Resetting your password never turns two-factor authentication off and never signs you in: you still need your
          authenticator app or a recovery code. Every security change is listed in your security history and emailed to you.
        </p>
      </section>
    </>
  );
}
