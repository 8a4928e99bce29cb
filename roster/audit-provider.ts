// RosterAudit's implementation, loaded inside the provider process (see audit.ts for why it is
// loaded by path). Read-only: it lists agents the account has and the roster lacks, and never
// changes the account.
import type * as pulumi from "@pulumi/pulumi";
import type { Agent } from "../provider/client";
import { operation, previewRead, type ResourceImplementation, type StoredProvider } from "../provider/runtime";
import { normalizeEmail } from "../provider/validation";
import { providerChanged } from "../provider/diff";

/** Emails of the account's agents that are not in the roster, sorted, lower case. */
export function unmanagedEmails(agents: Pick<Agent, "email">[], managed: string[]): string[] {
  const known = new Set(managed.map(normalizeEmail));
  return [...new Set(agents.map((a) => normalizeEmail(a.email)))].filter((e) => !known.has(e)).sort();
}

async function accountAgents(): Promise<Agent[]> {
  return operation("RosterAudit: agent list", (client) => client.agents());
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** What the program gives: the roster's emails; check adds the account's agents it lacks. */
export interface AuditInputs extends StoredProvider {
  managedEmails?: string[];
  unmanaged?: string[];
}

export interface AuditOutputs extends StoredProvider {
  managedEmails: string[];
  unmanaged: string[];
  unmanagedCount: number;
}

async function check(olds: AuditInputs | undefined, news: AuditInputs): Promise<pulumi.dynamic.CheckResult<AuditInputs>> {
  // Agents the last run managed and this one drops are leaving in this very run (deleted, or let
  // go): not unmanaged yet. Otherwise the run that removes them records them as unmanaged, and the
  // next preview shows a change. A refresh (read) later reports any that JustCall still holds.
  const managed: string[] = [...(news.managedEmails ?? []), ...(olds?.managedEmails ?? [])];
  // The agent list the Agents' checks read (cached): one read of the account per run, not two.
  const lookup = await previewRead("RosterAudit: agent list", (client) => client.agents());
  // No API at preview (no credentials in a pull request): the audit is skipped, not failed.
  if (lookup.outcome === "failed") return { inputs: news, failures: [{ property: "managedEmails", reason: lookup.message }] };
  if (lookup.outcome === "skipped") return { inputs: { ...news } };
  return { inputs: { ...news, unmanaged: unmanagedEmails(lookup.value, managed) } };
}

async function diff(_id: string, olds: AuditOutputs, news: AuditInputs): Promise<pulumi.dynamic.DiffResult> {
  // Unmanaged agents are drift for as long as they exist: every preview reports them, so that
  // `pulumi preview --expect-no-changes` fails until the roster or the account is fixed.
  const pending = Array.isArray(news.unmanaged) && news.unmanaged.length > 0;
  const changed = !same(olds.unmanaged, news.unmanaged) || !same(olds.managedEmails, news.managedEmails);
  return { changes: pending || changed || providerChanged(olds, news), replaces: [], deleteBeforeReplace: false };
}

function outputs(inputs: AuditInputs): AuditOutputs {
  return { managedEmails: inputs.managedEmails ?? [], unmanaged: inputs.unmanaged ?? [], unmanagedCount: (inputs.unmanaged ?? []).length };
}

async function create(inputs: AuditInputs): Promise<pulumi.dynamic.CreateResult<AuditOutputs>> {
  return { id: "roster-audit", outs: outputs(inputs) };
}

async function read(id: string, props?: AuditOutputs): Promise<{ id: string; props: AuditOutputs; inputs: AuditInputs }> {
  const managedEmails = props?.managedEmails ?? [];
  const inputs: AuditInputs = { managedEmails, unmanaged: unmanagedEmails(await accountAgents(), managedEmails) };
  return { id, props: { ...props, ...outputs(inputs) }, inputs };
}

async function update(_id: string, _olds: AuditOutputs, news: AuditInputs): Promise<pulumi.dynamic.UpdateResult<AuditOutputs>> {
  return { outs: outputs(news) };
}

async function remove(): Promise<void> {
  // Nothing to undo: the audit never changed the account.
}

export const rosterAuditProvider: ResourceImplementation<AuditInputs, AuditOutputs> = { check, diff, create, read, update, delete: remove };
