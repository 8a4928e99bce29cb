// A create refused because the email exists, recognised by meaning: the guide names no status for
// it, so a 409, or a 4xx whose message says so, or any other 4xx after which a fresh look-up
// finds the email, is a DuplicateEmailError (and the create is never repeated).
import { DuplicateEmailError, JustCallError } from "./errors";
import type { Agent } from "./types";

/** The create's error `e`, as a DuplicateEmailError when the email turns out to exist; anything else stays as it was. */
export async function duplicateByMeaning(
  e: unknown,
  email: string,
  findFresh: (email: string) => Promise<Agent | undefined>,
): Promise<unknown> {
  if (e instanceof DuplicateEmailError) return e;
  if (!(e instanceof JustCallError)) return e;
  const status = e.status;
  // Auth, rate-limit and not-found refusals say nothing about the email.
  if (status === undefined || status < 400 || status >= 500 || [401, 403, 404, 429].includes(status)) return e;
  let found: Agent | undefined;
  try {
    found = await findFresh(email);
  } catch (lookupError) {
    // The look-up failing says nothing about the email: the create's own error stands.
    if (!(lookupError instanceof JustCallError)) throw lookupError;
    return e;
  }
  if (!found) return e;
  return new DuplicateEmailError(
    `JustCall ${e.method} ${e.path} failed with HTTP ${status}${e.apiMessage ? `: "${e.apiMessage}"` : ""}, and an agent with ` +
      `email ${email} exists (id ${found.id}); adopt it (adoptExisting: true) or choose another email.`,
    { status, method: e.method, path: e.path, route: e.route, apiMessage: e.apiMessage, attempts: e.attempts },
  );
}
