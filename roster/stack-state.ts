// The Agents in the stack's state, as the program sees them when the run starts: what the engine
// will delete is every one of them the program no longer declares, however it got into the state
// (a failed run, a targeted run, an interrupted destroy). The roster guard counts removals from
// this, not from its own record of the last successful run (docs/deletion.md).
//
// Read through the engine's built-in `pulumi:pulumi:readStackResourceOutputs` (the backend's
// last checkpoint of a stack, every resource's type and outputs; pending deletes left out), with
// this stack's own name. At the start of a run that checkpoint is the state the run starts from.
import * as pulumi from "@pulumi/pulumi";
import { normalizeEmail, strictId } from "../provider/validation";

const AGENT_TYPE = "pulumi-nodejs:dynamic/justcall:Agent";

export interface StateAgent {
  email: string;
  agentId: number;
}

/** What the state read gave: every Agent of the stack's state, or why it could not be read. */
export type StateAgents = { read: true; agents: StateAgent[] } | { read: false; why: string };

/** Pulumi's wire marker of a secret value, as a nested secret arrives in an invoke's result. */
const SECRET_SIG = { key: "4dabf18193072939515e22adb298388d", value: "1b47061264138c4ac30d75fd1eb44270" };

/** A value from the state read, unwrapped when it is a secret (rosterStack's secretContacts). */
function revealed(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  const v = value as Record<string, unknown>;
  return v[SECRET_SIG.key] === SECRET_SIG.value ? v.value : value;
}

/**
 * The account whose roster named a resource: `acme` for `acme/jane@acme.example`, undefined for an
 * unprefixed name (the default account's roster). Emails hold no `/`, so the prefix is unambiguous.
 */
export function accountOfUrn(urn: string): string | undefined {
  const name = urn.slice(urn.lastIndexOf("::") + 2);
  const slash = name.indexOf("/");
  return slash < 0 ? undefined : name.slice(0, slash);
}

/**
 * The stack's Agents (lower-case email, JustCall id), read once at the start of the program: those
 * of one account's roster (`account`: an explicit provider's, whose names it prefixes), or, without
 * it, those with unprefixed names.
 */
export async function readStateAgents(account?: string): Promise<StateAgents> {
  const stackName = `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
  let result: { outputs?: Record<string, { type?: string; outputs?: Record<string, unknown> }> };
  try {
    result = await pulumi.runtime.invoke("pulumi:pulumi:readStackResourceOutputs", { stackName });
  } catch (err) {
    const why = (err as Error).message ?? String(err);
    // A stack's first run: the backend has no checkpoint yet, so nothing is in state.
    if (/unknown stack|no stack named|does not exist|not found/i.test(why)) return { read: true, agents: [] };
    return { read: false, why };
  }
  const agents: StateAgent[] = [];
  for (const [urn, resource] of Object.entries(result.outputs ?? {})) {
    if (resource?.type !== AGENT_TYPE || accountOfUrn(urn) !== account) continue;
    const email = revealed(resource.outputs?.email);
    const agentId = strictId(revealed(resource.outputs?.agentId));
    if (typeof email === "string" && agentId !== undefined) agents.push({ email: normalizeEmail(email), agentId });
  }
  return { read: true, agents };
}
