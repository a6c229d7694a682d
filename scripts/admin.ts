// `npm run admin -- <command>`: operator tasks against the same database as the server, safe to run
// while it serves (it joins the embedded PostgreSQL the server started, or uses DATABASE_URL).
import { parseArgs } from "node:util";
import { prepareRuntime, type Runtime } from "@/lib/runtime/bootstrap";
import { emailSchema, passwordInputSchema, usernameSchema } from "@/lib/accounts/rules";
import { createUser, findUserByUsername, listUsers, markEmailVerified } from "@/lib/accounts/users";
import { adminSignOutEverywhere } from "@/lib/accounts/signing-out";
import { adminResetTwoFactor } from "@/lib/accounts/two-factor";
import { createApiToken, DEFAULT_EXPIRY_DAYS } from "@/lib/api-tokens/tokens";
import { refusalMessage } from "@/lib/errors";
import { firstAttemptsSettled, waitingMail } from "@/lib/email/outbox";
import { listProjectsOfUser } from "@/lib/projects/member-projects";
import { normalizeName } from "@/lib/packaging/names";
import { rerenderReadmes } from "@/lib/readme/rerender";

const HELP = `Wheelhouse administration

Usage: npm run admin -- <command> [options]

Commands:
  create-user --username U --email E --password P [--verified]
                              create an account (--verified marks its email verified)
  verify-email U              mark U's email address verified
  list-users                  list every account (2FA state, security keys, sessions)
  revoke-sessions U           sign U out everywhere
  mail-queue                  list mail not delivered yet (the mail server was down or refused it):
                              recipient, subject, attempts, next attempt and the last error
  reset-2fa U --reason "..."  turn off U's two-factor authentication, app and security keys (lost device),
                              end all their sessions, record the reason and email them
  create-token --username U [--project P ...] [--expires-days N] [--name NAME]
                              print a new API token for U (all of U's projects unless
                              --project is given; expires in 90 days unless --expires-days,
                              0 for never)
  rerender-readmes [--batch-size N]
                              re-render the stored README of every release made by an
                              older renderer version (after an upgrade that fixes one);
                              safe to run while serving, and again
  help                        show this text
`;

class UsageError extends Error {}

const ADMIN_INFO = { ip: null, userAgent: "admin command line" };

async function userOrFail(username: string | undefined) {
  if (!username) throw new UsageError("Name the user: the command takes a username.");
  const user = await findUserByUsername(username);
  if (!user) throw new UsageError(`No user named '${username}'.`);
  return user;
}

function printTable(head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [head, ...rows])
    console.log(
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    );
}

const commands: Record<string, (args: string[]) => Promise<void>> = {
  async "rerender-readmes"(args) {
    const { values } = parseArgs({ args, options: { "batch-size": { type: "string", default: "100" } }, strict: true });
    const batchSize = Number(values["batch-size"]);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
      throw new UsageError("--batch-size takes a whole number from 1 to 10000.");
    }
    const { checked, changed, projects } = await rerenderReadmes(batchSize);
    console.log(
      `Re-rendered ${checked} release description(s) made by an older renderer: ` +
        `${changed} changed, in ${projects} project(s).`,
    );
  },
  async "create-user"(args) {
    const { values } = parseArgs({
      args,
      options: {
        username: { type: "string" },
        email: { type: "string" },
        password: { type: "string" },
        verified: { type: "boolean", default: false },
      },
      strict: true,
    });
    const username = usernameSchema.safeParse(values.username ?? "");
    const email = emailSchema.safeParse(values.email ?? "");
    const password = passwordInputSchema.safeParse(values.password ?? "");
    const problems = [
      !username.success && `--username: ${username.error.issues[0]?.message}`,
      !email.success && `--email: ${email.error.issues[0]?.message}`,
      !password.success && `--password: ${password.error.issues[0]?.message}`,
    ].filter(Boolean);
    if (problems.length || !username.success || !email.success || !password.success)
      throw new UsageError(problems.join("\n"));
    const result = await createUser(
      { username: username.data, email: email.data, password: password.data, verified: values.verified },
      ADMIN_INFO,
    );
    if (!result.ok) {
      throw new UsageError(
        Object.entries(result.fieldErrors ?? {})
          .map(([k, v]) => `--${k}: ${v}`)
          .join("\n"),
      );
    }
    console.log(
      `created user ${result.user.username} <${result.user.email}>${values.verified ? " (email verified)" : ""}`,
    );
  },
  async "verify-email"(args) {
    const user = await userOrFail(args[0]);
    if (user.emailVerified) return console.log(`${user.username}'s email address ${user.email} was already verified`);
    const result = await markEmailVerified(user.id, ADMIN_INFO);
    if (!result.ok) throw new UsageError(`${user.email} is already the verified address of another account.`);
    console.log(`verified ${user.username}'s email address ${user.email}`);
  },
  async "list-users"() {
    const users = await listUsers();
    if (!users.length) return console.log("no users yet");
    const rows = users.map((u) => [
      u.username,
      u.email,
      u.emailVerified ? "verified" : "unverified",
      u.twoFactorEnabled ? "2fa" : "no-2fa",
      String(u.securityKeys),
      String(u.sessions),
      u.createdAt.toISOString().slice(0, 10),
    ]);
    printTable(["USERNAME", "EMAIL", "EMAIL STATE", "2FA", "KEYS", "SESSIONS", "CREATED"], rows);
  },
  async "mail-queue"() {
    const waiting = await waitingMail();
    if (!waiting.length) return console.log("no mail waiting: everything queued was delivered");
    const at = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ");
    printTable(
      ["QUEUED", "TO", "SUBJECT", "ATTEMPTS", "NEXT ATTEMPT", "LAST ERROR"],
      waiting.map((m) => [
        at(m.createdAt),
        m.recipient,
        m.subject.slice(0, 60),
        String(m.attempts),
        at(m.nextAttemptAt),
        m.lastError ?? "",
      ]),
    );
  },
  async "revoke-sessions"(args) {
    const user = await userOrFail(args[0]);
    const count = await adminSignOutEverywhere(user.id, ADMIN_INFO);
    console.log(`revoked ${count} session(s) of ${user.username}`);
  },
  async "reset-2fa"(args) {
    const { values, positionals } = parseArgs({
      args,
      options: { reason: { type: "string" } },
      allowPositionals: true,
    });
    const user = await userOrFail(positionals[0]);
    const reason = values.reason?.trim();
    if (!reason) throw new UsageError('Give a --reason "..." : it is kept in the user\'s security history.');
    if (!user.twoFactorEnabled)
      throw new UsageError(`${user.username} does not have two-factor authentication enabled.`);
    await adminResetTwoFactor(user.id, reason.slice(0, 500));
    console.log(
      `turned off two-factor authentication for ${user.username} (app and security keys) and ended their sessions`,
    );
  },
  async "create-token"(args) {
    const { values } = parseArgs({
      args,
      options: {
        username: { type: "string" },
        project: { type: "string", multiple: true },
        "expires-days": { type: "string" },
        name: { type: "string" },
      },
      strict: true,
    });
    const user = await userOrFail(values.username);
    const days = values["expires-days"] === undefined ? DEFAULT_EXPIRY_DAYS : Number(values["expires-days"]);
    if (!Number.isInteger(days) || days < 0 || days > 3650)
      throw new UsageError("--expires-days takes a whole number of days from 0 (never) to 3650.");
    let projectIds: string[] | null = null;
    if (values.project?.length) {
      const mine = await listProjectsOfUser(user.id);
      projectIds = values.project.map((p) => {
        const found = mine.find((m) => m.normalizedName === normalizeName(p));
        if (!found) throw new UsageError(`${user.username} is not a member of a project named '${p}'.`);
        return found.id;
      });
    }
    const result = await createApiToken(
      { user, operator: true },
      {
        name: values.name?.slice(0, 100) || `admin command line ${new Date().toISOString().slice(0, 10)}`,
        projectIds,
        expiresAt: days === 0 ? null : new Date(Date.now() + days * 24 * 3600 * 1000),
      },
      ADMIN_INFO,
    );
    if (!result.ok) throw new UsageError("refused" in result ? refusalMessage(result.refused) : result.message);
    console.log(result.token);
  },
};

async function main(): Promise<number> {
  const [name, ...args] = process.argv.slice(2);
  if (!name || name === "help" || name === "--help" || name === "-h") {
    console.log(HELP);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`Unknown command '${name}'.\n\n${HELP}`);
    return 2;
  }
  if (args.includes("--help")) {
    console.log(HELP);
    return 0;
  }
  let runtime: Runtime | undefined;
  try {
    runtime = await prepareRuntime({ quiet: true, checkStorage: false });
    await command(args);
    // The mail a command queued (a 2FA reset's notice) gets its first attempt before the database
    // goes; if it fails, the server's delivery loop sends it later.
    await firstAttemptsSettled();
    return 0;
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`error: ${(err as Error).message}`);
      return 2;
    }
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    await runtime?.stop();
  }
}

process.exitCode = await main();
// The Prisma pool would keep the process alive; the work is done.
process.exit();
