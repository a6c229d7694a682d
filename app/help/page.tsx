import type { Metadata } from "next";
import Link from "next/link";
import { config } from "@/lib/config";
import { SUDO_TTL_MS } from "@/lib/accounts/current";
import {
  pipConf,
  pipConfigCommands,
  pipInstallCommand,
  pypirc,
  requirementsTxt,
  twineUploadCommand,
  twineUploadUrlCommand,
} from "@/lib/snippets";
import { Snippet } from "@/components/ui/snippet";

export const metadata: Metadata = { title: "Help" };

export default function HelpPage() {
  const { baseUrl: base, WHEELHOUSE_REQUIRE_2FA: publishingNeeds2fa } = config();
  const sudoMinutes = SUDO_TTL_MS / 60_000;
  return (
    <>
      <h1>Help</h1>
      <p>
        This Wheelhouse is a Python package index at <code data-testid="public-url">{base}</code>. Every command below
        names it: without that, pip and twine talk to pypi.org.
      </p>

      <section className="card" aria-labelledby="install-h">
        <h2 id="install-h">Installing packages</h2>
        <p>Install from this index only:</p>
        <Snippet title="Command" text={pipInstallCommand("NAME")} testId="help-pip-install" />
        <p>
          Use <code>--index-url</code>, never <code>--extra-index-url</code>, for projects kept here. With an extra
          index pip takes whichever index offers the highest version, so anyone who publishes the same name on pypi.org
          could get their code installed in place of yours (dependency confusion). Projects this index does not have
          must then be published here too.
        </p>
        <h3>Every time: pip.conf</h3>
        <p>
          Save this as <code>~/.config/pip/pip.conf</code> on Linux,{" "}
          <code>~/Library/Application Support/pip/pip.conf</code> on macOS or <code>%APPDATA%\pip\pip.ini</code> on
          Windows (or inside a virtual environment, as <code>pip.conf</code> in its folder):
        </p>
        <Snippet title="pip.conf" text={pipConf()} testId="help-pip-conf" />
        <p>or let pip write it:</p>
        <Snippet title="Commands" text={pipConfigCommands()} testId="help-pip-config" />
        <h3>In a project: requirements.txt</h3>
        <p>Options at the top of a requirements file apply to the whole file, wherever it is installed:</p>
        <Snippet title="requirements.txt" text={requirementsTxt(["your-package>=1.0"])} testId="help-requirements" />
      </section>

      <section className="card" aria-labelledby="publish-h">
        <h2 id="publish-h">Publishing packages</h2>
        <ol>
          <li>
            <Link href="/account/settings">Verify your email address</Link>
            {publishingNeeds2fa && (
              <>
                {" "}
                and <Link href="/account/security">turn on two-factor authentication</Link>
              </>
            )}
            .
          </li>
          <li>
            Under <Link href="/account/tokens">Account → API tokens</Link>, create a token. It is shown once; it starts
            with <code>wheelhouse-</code>, can be limited to some projects and expires after 90 days unless you choose
            otherwise.
          </li>
          <li>Save it in twine&apos;s configuration, with this index as a repository:</li>
        </ol>
        <Snippet title="~/.pypirc" text={pypirc()} testId="help-pypirc" />
        <p>
          Then upload by naming the repository (without <code>--repository</code>, twine would upload to pypi.org);
          twine sends the token only to the address in that section:
        </p>
        <Snippet title="Upload" text={twineUploadCommand()} testId="help-twine-upload" />
        <p>Without a configuration file, name the address; twine then asks for the token:</p>
        <Snippet title="Upload without ~/.pypirc" text={twineUploadUrlCommand()} testId="help-twine-url" />
        <p>The first upload of a name creates the project, owned by you.</p>
      </section>

      <section className="card" aria-labelledby="tfa-h">
        <h2 id="tfa-h">What two-factor authentication protects</h2>
        <ul>
          <li>Signing in: your password alone is not enough.</li>
          <li>
            Sensitive changes (your email address or password, API tokens, collaborators, deleting or yanking releases)
            ask you to confirm it is you again, with a code, even when you are signed in (for {sudoMinutes} minutes at a
            time), so a browser left open is not enough either.
          </li>
          {publishingNeeds2fa && <li>Publishing: API tokens can only be created with two-factor authentication on.</li>}
          <li>
            Resetting your password never turns it off and never signs you in: you still need your authenticator app or
            a recovery code.
          </li>
        </ul>
        <p>
          An API token is not protected by a code: whoever has it can upload to the projects it covers until it expires.
          Keep tokens out of shared files and logs, limit them to the projects they need, and revoke one the moment it
          may have leaked. Every sign-in and security change is listed in your{" "}
          <Link href="/account/history">security history</Link> and emailed to you.
        </p>
      </section>

      <section className="card" aria-labelledby="lost-h">
        <h2 id="lost-h">Lost your phone?</h2>
        <ol>
          <li>
            Sign in with your password, then enter one of your recovery codes where the authentication code is asked
            for. Each recovery code works once.
          </li>
          <li>
            Under <Link href="/account/security">Account → Security</Link>, turn two-factor authentication off and on
            again with your new phone, and save the new recovery codes. Revoke any session you do not recognise.
          </li>
          <li>
            Without a recovery code, ask the operator of this Wheelhouse. Once they have made sure it is you, they can
            turn off two-factor authentication for your account; this ends all your sessions and is recorded in your
            security history and emailed to you. Then sign in and turn it on again.
          </li>
        </ol>
      </section>
    </>
  );
}
