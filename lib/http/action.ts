// The one wrapper every server action goes through: it re-checks the caller (a page's check does
// not protect its actions), validates the form with zod, and turns failures into a typed state
// that forms show next to their fields. No stack trace ever reaches the browser.
import "server-only";
import { z } from "zod";
import { unstable_rethrow } from "next/navigation";
import { isDatabaseUnavailable } from "@/lib/db/availability";
import { currentSession, inSudoMode } from "@/lib/accounts/current";
import type { ActiveSession } from "@/lib/accounts/sessions";
import { requestInfo, type RequestInfo } from "@/lib/http/request-info";
import { messageFor } from "@/lib/errors";

export interface ActionState {
  ok?: boolean;
  message?: string;
  error?: string;
  fieldErrors?: Record<string, string>;
  /** What the user typed (never passwords or codes), to fill the form again after an error. */
  values?: Record<string, string>;
  /** Set when the action needs a fresh confirmation (sudo mode) first. */
  needsSudo?: boolean;
  /** Anything the form shows once on success, such as new recovery codes or a new token. */
  data?: Record<string, unknown>;
}

const SECRET_FIELD = /password|code|token/i;

interface FormValues {
  raw: Record<string, string>;
  echo: Record<string, string>;
  /** Fields holding a NUL character, which no schema expects and PostgreSQL cannot store (22021). */
  nul: Record<string, string> | null;
}

function formValues(formData: FormData): FormValues {
  const raw: Record<string, string> = {};
  const echo: Record<string, string> = {};
  let nul: Record<string, string> | null = null;
  for (const [key, value] of formData.entries()) {
    if (key.startsWith("$ACTION")) continue;
    const text = typeof value === "string" ? value : "";
    raw[key] = text;
    if (text.includes("\0")) (nul ??= {})[key] = "Remove the NUL character (\\0) from this field.";
    if (!SECRET_FIELD.test(key)) echo[key] = text.replaceAll("\0", "").slice(0, 300);
  }
  return { raw, echo, nul };
}

function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    out[field] ??= issue.message;
  }
  return out;
}

/** The schema's errors, and a NUL error on each field the schema did not already object to. */
function fieldErrors(
  parsed: z.ZodSafeParseResult<unknown>,
  nul: Record<string, string> | null,
): Record<string, string> {
  return { ...nul, ...(parsed.success ? {} : fieldErrorsOf(parsed.error)) };
}

async function run(work: () => Promise<ActionState>, echo: Record<string, string>): Promise<ActionState> {
  try {
    const state = await work();
    return state.ok ? state : { values: echo, ...state };
  } catch (err) {
    unstable_rethrow(err); // redirect() and notFound() are control flow, not failures
    // Not a failure of this form: the request fails, and the server answers 503 to retry (server/backend.ts).
    if (isDatabaseUnavailable(err)) throw err;
    console.error("wheelhouse: server action failed:", err);
    return { error: messageFor("server_error"), values: echo };
  }
}

/** An action anyone may call (sign-up, sign-in, password reset). */
export function publicAction<S extends z.ZodType>(
  schema: S,
  handler: (input: z.infer<S>, ctx: { info: RequestInfo }) => Promise<ActionState>,
) {
  return async (_prev: ActionState, formData: FormData): Promise<ActionState> => {
    // Anyone can post any arguments with a valid action id: only a form is a form.
    if (!(formData instanceof FormData)) return { error: messageFor("malformed_request") };
    const { raw, echo, nul } = formValues(formData);
    const parsed = schema.safeParse(raw);
    if (!parsed.success || nul) return { fieldErrors: fieldErrors(parsed, nul), values: echo };
    return run(async () => handler(parsed.data, { info: await requestInfo() }), echo);
  };
}

/**
 * An action for a fully signed-in user. With `sudo: true` it also needs a confirmation from the
 * last 15 minutes (lib/accounts/sudo.ts); without one it asks for it instead of running.
 */
export function userAction<S extends z.ZodType>(
  schema: S,
  handler: (input: z.infer<S>, ctx: { session: ActiveSession; info: RequestInfo }) => Promise<ActionState>,
  options: { sudo?: boolean } = {},
) {
  return async (_prev: ActionState, formData: FormData): Promise<ActionState> => {
    // Anyone can post any arguments with a valid action id: only a form is a form.
    if (!(formData instanceof FormData)) return { error: messageFor("malformed_request") };
    const { raw, echo, nul } = formValues(formData);
    const session = await currentSession();
    if (!session) return { error: messageFor("not_signed_in") };
    if (options.sudo && !inSudoMode(session))
      return { error: messageFor("sudo_required"), needsSudo: true, values: echo };
    const parsed = schema.safeParse(raw);
    if (!parsed.success || nul) return { fieldErrors: fieldErrors(parsed, nul), values: echo };
    return run(async () => handler(parsed.data, { session, info: await requestInfo() }), echo);
  };
}
