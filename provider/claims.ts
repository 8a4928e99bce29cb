// One JustCall agent, one Agent resource. JustCall compares emails without regard to case, so
// two Agent resources whose emails are equal, or differ only in case, land on one agent: the
// second create adopts the agent the first one invited, and from then on each up overwrites the
// other's fields, and removing one of them deletes the agent the other still declares.
//
// The engine calls check once for every resource of a run, in the one provider process that
// serves the run (Pulumi's dynamic-provider host; preview and update are separate runs), so a
// claim per email in that process finds the second declaration, at preview already. Outside that
// host (unit tests, tools calling check directly) nothing is claimed. Kept on globalThis like
// the rest of the process state (runtime.ts).

import { processGlobal } from "./client/processGlobal";
import { normalizeEmail } from "./client/shapes";

function claims(): Map<string, string> {
  return processGlobal("agent-email-claims", () => new Map<string, string>());
}

const inProviderHost = (): boolean => /cmd[\\/]dynamic-provider/.test(process.argv[1] ?? "");

/** Claims `email` for one Agent of this run; returns the email of an earlier claim it clashes with. */
export function claimAgentEmail(email: string): string | undefined {
  if (!inProviderHost()) return undefined;
  const key = normalizeEmail(email);
  const earlier = claims().get(key);
  if (earlier !== undefined) return earlier;
  claims().set(key, email);
  return undefined;
}
