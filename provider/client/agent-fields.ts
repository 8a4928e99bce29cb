// How the client lays what JustCall answered, or what it sent, over an agent it knows: answers
// may be partial (the guide's update answer holds the id and the changed fields only).
import { nameMatches } from "./contract-v21";
import { definedOnly, normalizeEmail } from "./shapes";
import type { Agent, AgentInput, AgentPatch } from "./types";

/** `base` with every field `over` reports (defined) laid on top. */
export function mergeAgent<B extends { id: number }>(base: B, over: AgentPatch): B & AgentPatch {
  return { ...base, ...definedOnly(over as Record<string, unknown>) } as B & AgentPatch;
}

export function isWhole(a: AgentPatch): a is Agent {
  return a.firstname !== undefined && a.lastname !== undefined && a.email !== undefined;
}

/** What a create or update sent, as agent fields (AgentInput carries the same names). */
export function sentFields(input: Partial<AgentInput>): Omit<AgentPatch, "id"> {
  return definedOnly({ ...input }) as Omit<AgentPatch, "id">;
}

/** Whether the agent already has the value a change asks for. */
export function sameField(field: keyof AgentInput, agent: Agent, changes: Partial<AgentInput>): boolean {
  if ((field === "firstname" || field === "lastname") && agent.name !== undefined) {
    // A one-field name (v2.1): the whole name decides, not where it happens to split.
    return nameMatches(agent.name, changes.firstname ?? agent.firstname, changes.lastname ?? agent.lastname);
  }
  const wanted = changes[field];
  const have = agent[field] ?? undefined;
  if (field === "email") return normalizeEmail(String(have ?? "")) === normalizeEmail(String(wanted ?? ""));
  return have === wanted;
}
