// The run ledger: the one place that decides the permanent and the privileged changes to a
// person in JustCall: what a delete does, and whether a role may change.
//
// A dynamic provider's delete gets only the resource's id and stored outputs: it cannot see the
// rest of the stack, nor which resources the run declared. But one provider process serves every
// resource of one engine run (check, diff, create, update, delete alike), and the engine deletes
// what the program dropped only after every registration. So this process can learn, before any
// such delete, what the program declares, and each delete asks here:
//
// - held: another resource of this run holds the same JustCall object after the run (a rename
//   without alias, `--replace`, a resource moved into a component, an email changed in JustCall
//   and then in the roster). The old resource leaves the state; JustCall is left as it is.
// - the roster guard's decision, when the program has one (roster-guard.ts): at up, its check
//   approves the JustCall ids this run may delete and lists the ones kept; at destroy, its delete
//   allows the destroy of the stack or refuses it. An Agent the guard did not approve is not
//   deleted.
// - otherwise the engine's delete stands (a program without the guard, as with any provider).
//
// A role change that grants or takes away control of the account (an admin's, the Account
// Owner's, a custom role's, a promotion to admin) is privileged: each Agent's check asks here,
// and a run may make only as many as JUSTCALL_ALLOW_ROLE_CHANGES allows (none by default).
//
// Kept on globalThis like the rest of the process state (runtime.ts). Recorded only in Pulumi's
// dynamic-provider host (where one process is one run), or where a test turns it on.
import { processGlobal } from "./client/process-global";
import { normalizeEmail } from "./client/shapes";
import { ROLES, strictId } from "./validation";

/** What a delete does. `leave`: the resource leaves the state and JustCall is not touched. */
export type DeleteDecision = { action: "delete" } | { action: "leave"; why: string } | { action: "refuse"; reason: string };

/** The roster guard's decision for this run. */
export type GuardDecision =
  | {
      run: "up";
      stack: string;
      /** JustCall agent ids this run may delete, each counted against the removal budget. */
      approved: ReadonlyMap<number, string>;
      /** JustCall agent ids that leave the stack and stay in JustCall (onRemove: keep), with their teams and numbers. */
      kept: ReadonlySet<number>;
    }
  | { run: "destroy"; stack: string; kept: ReadonlySet<number> };

interface RunLedger {
  /** Lower-case email → the email as the first Agent of this run declared it. */
  agentEmails: Map<string, string>;
  /** JustCall agent ids held by an Agent of this run. */
  agentIds: Set<number>;
  /** `teamId:agentId` of every TeamMembership of this run. */
  memberships: Set<string>;
  /** JustCall number ids of every NumberAssignment of this run. */
  numberIds: Set<number>;
  /** Lower-case email → "from → to" of each privileged role change this run's checks passed. */
  roleChanges: Map<string, string>;
  guard?: GuardDecision;
}

function ledger(): RunLedger {
  return processGlobal<RunLedger>("run-ledger", () => ({
    agentEmails: new Map(),
    agentIds: new Set(),
    memberships: new Set(),
    numberIds: new Set(),
    roleChanges: new Map(),
  }));
}

const recordingForTests = (): { on: boolean } => processGlobal("run-ledger-tests", () => ({ on: false }));
const recording = (): boolean => recordingForTests().on || /cmd[\\/]dynamic-provider/.test(process.argv[1] ?? "");

/** Tests only: start an empty ledger and record into it outside the provider host (as one engine run would). */
export function startLedgerForTests(on = true): void {
  const l = ledger();
  l.agentEmails.clear();
  l.agentIds.clear();
  l.memberships.clear();
  l.numberIds.clear();
  l.roleChanges.clear();
  l.guard = undefined;
  recordingForTests().on = on;
}

// ---- what the run declares -------------------------------------------------------------------

/**
 * An Agent of this run declares `email`. Returns the email of an earlier Agent of this run with
 * the same address (case aside): JustCall has one agent per email, so the second is refused.
 */
export function declareAgentEmail(email: string): string | undefined {
  if (!recording()) return undefined;
  const key = normalizeEmail(email);
  const earlier = ledger().agentEmails.get(key);
  if (earlier !== undefined) return earlier;
  ledger().agentEmails.set(key, email);
  return undefined;
}

/** An Agent of this run holds JustCall agent `id` (from diff, create or update). */
export function declareAgentId(id: number | string): void {
  const n = strictId(id);
  if (recording() && n !== undefined) ledger().agentIds.add(n);
}

/** A TeamMembership of this run holds agent `agentId` in team `teamId`. */
export function declareMembership(teamId: unknown, agentId: unknown): void {
  const team = strictId(teamId);
  const agent = strictId(agentId);
  if (recording() && team !== undefined && agent !== undefined) ledger().memberships.add(`${team}:${agent}`);
}

/** A NumberAssignment of this run holds number `numberId`. */
export function declareNumber(numberId: unknown): void {
  const n = strictId(numberId);
  if (recording() && n !== undefined) ledger().numberIds.add(n);
}

/** Records the roster guard's decision for this run (its check at up, its delete at destroy). */
export function recordGuardDecision(decision: GuardDecision): void {
  if (recording()) ledger().guard = decision;
}

/** The agent ids this run's Agents hold: the guard does not count them as leaving. */
export function heldAgentIds(): ReadonlySet<number> {
  return ledger().agentIds;
}

// ---- what a delete does ----------------------------------------------------------------------

/** The delete of an Agent resource whose JustCall agent is `id`, stored with `email`. */
export function agentDeleteDecision(id: number, email: string | undefined): DeleteDecision {
  const l = ledger();
  if (l.agentIds.has(id) || (email !== undefined && l.agentEmails.has(normalizeEmail(email)))) {
    return {
      action: "leave",
      why: "another Agent resource of this stack manages the same person after this run (a rename, a replace or a move)",
    };
  }
  const guard = l.guard;
  if (guard === undefined) return { action: "delete" };
  if (guard.kept.has(id)) return { action: "leave", why: "the roster keeps this agent in JustCall (onRemove: keep)" };
  if (guard.run === "destroy" || guard.approved.has(id)) return { action: "delete" };
  return {
    action: "refuse",
    reason:
      `not deleted: the roster guard of stack ${guard.stack} did not approve deleting agent ${id}${email ? ` (${email})` : ""} in this run, ` +
      "so nothing was sent to JustCall. Run pulumi preview to see this run's removals; if the person should go, remove them " +
      "from the roster and run pulumi up again. See docs/deletion.md.",
  };
}

/** The delete of a TeamMembership of agent `agentId` in team `teamId`. */
export function membershipDeleteDecision(teamId: number, agentId: number): DeleteDecision {
  const l = ledger();
  if (l.memberships.has(`${teamId}:${agentId}`))
    return { action: "leave", why: "another TeamMembership of this stack holds the same membership after this run" };
  if (l.guard?.kept.has(agentId)) return { action: "leave", why: "the roster keeps its agent in JustCall (onRemove: keep)" };
  return { action: "delete" };
}

/** The unassignment of number `numberId` from agent `agentId` when its NumberAssignment is deleted. */
export function numberDeleteDecision(numberId: number, agentId: number | undefined): DeleteDecision {
  const l = ledger();
  if (l.numberIds.has(numberId))
    return { action: "leave", why: "another NumberAssignment of this stack holds the same number after this run" };
  if (agentId !== undefined && l.guard?.kept.has(agentId))
    return { action: "leave", why: "the roster keeps its agent in JustCall (onRemove: keep)" };
  return { action: "delete" };
}

// ---- privileged role changes -----------------------------------------------------------------

/** Environment variable: how many privileged role changes this one run may make. */
export const ALLOW_ROLE_CHANGES_ENV = "JUSTCALL_ALLOW_ROLE_CHANGES";

/** A count of things one run may do, from `name` in the environment: undefined when unset, an Error when it is not a count. */
export function allowanceFrom(env: NodeJS.ProcessEnv, name: string, countOf: string): number | undefined | Error {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return undefined;
  if (!/^\d+$/.test(raw.trim())) return new Error(`${name}=${raw} is not a number: set it to how many ${countOf}, like ${name}=5`);
  return Number(raw.trim());
}

const ourRole = (role: string) => (ROLES as readonly string[]).includes(role.trim().toLowerCase());

/**
 * True when changing a role from `from` to `to` grants or takes away control of the account:
 * from or to admin, or from a role outside agent/supervisor/admin (Account Owner, a custom role),
 * or from a role JustCall did not report (it could be any of those).
 */
export function isPrivilegedRoleChange(from: string | null | undefined, to: string): boolean {
  if (from === undefined || from === null || from === "") return true;
  if (from.trim().toLowerCase() === to.trim().toLowerCase()) return false;
  return !ourRole(from) || from.trim().toLowerCase() === "admin" || to.trim().toLowerCase() === "admin";
}

/** Whether this run may change `email`'s role from `from` (JustCall's) to `to` (the program's). */
export function roleChangeDecision(
  email: string,
  from: string | null | undefined,
  to: string,
  env: NodeJS.ProcessEnv = process.env,
): { action: "allow" } | { action: "refuse"; reason: string } {
  if (!isPrivilegedRoleChange(from, to)) return { action: "allow" };
  const l = ledger();
  if (recording()) l.roleChanges.set(normalizeEmail(email), `${from ?? "(not reported)"} → ${to}`);
  const count = recording() ? l.roleChanges.size : 1;
  const allowance = allowanceFrom(env, ALLOW_ROLE_CHANGES_ENV, "privileged role changes this run may make");
  if (allowance instanceof Error) return { action: "refuse", reason: allowance.message };
  if (allowance !== undefined && count <= allowance) return { action: "allow" };
  const was = from === undefined || from === null ? "a role JustCall did not report" : from;
  const short = allowance !== undefined ? ` (${ALLOW_ROLE_CHANGES_ENV}=${allowance} allows only ${allowance})` : "";
  return {
    action: "refuse",
    reason:
      `changing the role of ${email} from ${was} to ${to} is a privileged change (it grants or takes away control of the ` +
      `account), and this run may not make it${short}: nothing was written. If it is right, allow this one run with ` +
      `${ALLOW_ROLE_CHANGES_ENV}=<how many privileged role changes it makes> in the environment of pulumi ` +
      `(e.g. ${ALLOW_ROLE_CHANGES_ENV}=${count} pulumi up). To leave the role as JustCall has it, remove role from this ` +
      "agent: an omitted role is not managed. See docs/resources/agent.md.",
  };
}
