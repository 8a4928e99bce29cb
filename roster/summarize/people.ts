// The agents a plan names, and the small readers of the engine's values the summary shares.
import { nameOfUrn, type ResourceState, typeOfUrn, TYPE, UNKNOWN } from "./engine-json";

/** Someone the summary names. */
export interface Person {
  email: string;
  /** "First Last", when any step or state tells it. */
  name?: string;
}

export const AGENT_FIELDS = ["firstname", "lastname", "email", "role", "timezone", "phone", "available", "unavailabilityReason"];
export const AGENT_SETTINGS = ["adoptExisting", "releaseNumbersOnDelete"];
/**
 * What the provider reads when an Agent's state leaves these out (it stores neither at its default):
 * the same as provider/agent-state.ts's SWITCH_DEFAULTS and DEFAULT_MANAGED, kept here so the
 * summary does not load the provider (test/roster/summarize/index.test.ts checks they agree).
 */
export const AGENT_SETTING_DEFAULTS: Record<string, boolean> = { adoptExisting: true, releaseNumbersOnDelete: false };
export const AGENT_DEFAULT_MANAGED = ["email", "firstname", "lastname", "role"];

/**
 * The provider's rule (provider/run-ledger.ts, isPrivilegedRoleChange), kept here so the summary
 * does not load the provider: from or to admin, or from a role outside agent/supervisor/admin.
 */
export function isPrivilegedRoleChange(from: string, to: string): boolean {
  const a = from.trim().toLowerCase();
  const b = to.trim().toLowerCase();
  if (a === b) return false;
  return a === "admin" || b === "admin" || !["agent", "supervisor", "admin"].includes(a);
}

export function isUnknown(v: unknown): boolean {
  return v === UNKNOWN;
}

export function sameValue(field: string, a: unknown, b: unknown): boolean {
  if (field === "email" && typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export function shown(v: unknown): string {
  if (v === undefined || v === null || v === "") return "(none)";
  if (isUnknown(v)) return "(known after up)";
  return typeof v === "string" ? v : JSON.stringify(v);
}

export function errorText(message: string): string {
  // The program's exception: its message without the stack trace, the dump of the error's fields
  // or the absolute path of the checkout.
  const lines = message.replace(/^(error|warning): /, "").split("\n");
  const kept: string[] = [];
  for (const line of lines) {
    if (/^\s+at /.test(line) || /^\s*\{\s*$/.test(line) || /^\S.* \{$/.test(line)) break;
    if (/^Running program '.*' failed with an unhandled exception:$/.test(line)) continue;
    kept.push(line.trimEnd());
  }
  return kept
    .join("\n")
    .replace(/^[A-Za-z]*Error: /, "")
    .trim();
}

/** Everything the plan says about agents, and how to find them by URN and by JustCall id. */
export class People {
  private byEmail = new Map<string, Person>();
  private emailById = new Map<string, string>();
  private aliases = new Map<string, string>();

  /** The agent named `from` in the old state is the one named `to` now (a rename or a move): one person. */
  alias(from: string, to: string): void {
    if (from !== to) this.aliases.set(from, to);
  }

  learn(s: ResourceState | null | undefined): void {
    if (!s || s.type !== TYPE.agent) return;
    const email = nameOfUrn(s.urn);
    const values = { ...s.outputs, ...s.inputs };
    const first = typeof values.firstname === "string" && !isUnknown(values.firstname) ? values.firstname : undefined;
    const last = typeof values.lastname === "string" && !isUnknown(values.lastname) ? values.lastname : undefined;
    if (first || last) this.byEmail.set(email, { email, name: [first, last].filter(Boolean).join(" ") });
    const id = s.outputs.agentId ?? s.id;
    if (id !== undefined && !isUnknown(id)) this.emailById.set(String(id), email);
  }

  byAgentUrn(urn: string): Person {
    const email = this.aliases.get(nameOfUrn(urn)) ?? nameOfUrn(urn);
    return this.byEmail.get(email) ?? { email };
  }

  /** The agent a membership or number assignment belongs to: by JustCall id, else by the URN its id came from. */
  holder(s: ResourceState | null | undefined): Person | undefined {
    if (!s) return undefined;
    const id = s.inputs.agentId ?? s.outputs.agentId;
    if (id !== undefined && id !== null && !isUnknown(id)) {
      const email = this.emailById.get(String(id));
      if (email) return this.byAgentUrn(email);
    }
    const from = s.propertyDependencies.agentId?.[0] ?? s.dependencies.find((u) => typeOfUrn(u) === TYPE.agent);
    if (from) return this.byAgentUrn(from);
    if (id !== undefined && id !== null && !isUnknown(id)) return { email: `agent #${id} (not in this stack)` };
    return undefined;
  }
}

export function teamOf(s: ResourceState): string {
  const team = s.inputs.teamName ?? s.outputs.teamName;
  return typeof team === "string" ? team : nameOfUrn(s.urn).replace(/^.*-in-/, "");
}

export function numberOf(s: ResourceState): string {
  const n = s.inputs.number ?? s.outputs.number;
  return typeof n === "string" ? n : nameOfUrn(s.urn).replace(/^number-/, "");
}

export function stackOf(urn: string): string | undefined {
  const m = /^urn:pulumi:([^:]+)::/.exec(urn);
  return m?.[1];
}

export function samePerson(a?: Person, b?: Person): boolean {
  return (a?.email ?? "") === (b?.email ?? "");
}

/** A person as the summary names them: "Name (email)", or the email alone. */
export function label(p?: Person): string {
  if (!p) return "nobody";
  return p.name ? `${p.name} (${p.email})` : p.email;
}
