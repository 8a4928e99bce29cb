// The roster stack: one program, used by the on-disk stack (stack.ts), the demo, the examples and
// the tests. It reads the roster, checks all of it against the account before registering
// anything, then declares one Agent per entry, one TeamMembership per team and one
// NumberAssignment per number.
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { Agent, NumberAssignment, type Provider, RosterGuard, TeamMembership } from "../provider";
import { refusePlaintextSecret } from "../provider/runtime";
import { normalizeEmail, type OnRemove } from "../provider/validation";
import type { JustCallClient } from "../provider/client";
import { programClient } from "../provider/lookups";
import { RosterAudit } from "./audit";
import type { AccountCatalog, Roster } from "./schema";
import { type Locate, parseRosterText, RosterValidationError, validateRosterData } from "./validate";
import { readAccountCatalog } from "./validate-command";
import { readStateAgents, type StateAgents } from "./stack-state";
import type { InState } from "../provider/roster-guard";

/** Stack config key for the roster file's path (relative to the project directory), in the provider's namespace. */
export const ROSTER_FILE_CONFIG = "justcall:rosterFile";
/** The key before 0.2.0, still read (with a deprecation warning) so existing stacks keep working. */
export const LEGACY_ROSTER_FILE_CONFIG = "roster:file";
export const DEFAULT_ROSTER_FILE = "roster.yaml";

export interface RosterStackOptions {
  /** Path of the roster YAML. Default: config `justcall:rosterFile` (or the older `roster:file`), else `roster.yaml`. */
  file?: string;
  /** Directory a relative `file` is resolved against. Default: the project directory (where Pulumi.yaml is). */
  baseDir?: string;
  /** Roster data built in code (e.g. from an HR export) instead of a file; validated the same way. */
  roster?: unknown;
  /** How messages name a roster given as data. Default "roster". */
  source?: string;
  /**
   * The account (justcall.Provider) the roster is for; default: the stack's account. Its resources
   * are named `<account>/<email>` and use this provider; call rosterStack once per account, each
   * with its own `file` (docs/accounts.md).
   */
  provider?: Provider;
  /**
   * Opt-in: keep the agents' emails and phones out of the state in plain text
   * (docs/configuration.md, secret contacts). They become secret inputs and outputs, the roster's resources are named by a
   * hash of the email instead of the email, and the stack output `agents` is replaced by the
   * secret `secretAgents`. Turning it on renames every resource of an existing roster.
   */
  secretContacts?: boolean;
}

export interface RosterStackOutputs {
  /** email → JustCall agent id (empty with secretContacts: see secretAgents). */
  agents: Record<string, pulumi.Output<number>>;
  /** With secretContacts: email → JustCall agent id, as one secret output. */
  secretAgents?: pulumi.Output<Record<string, number>>;
  authoritative: boolean;
  /** With authoritative: agents in the account that the roster lacks (lower-case emails). */
  unmanagedAgents?: pulumi.Output<string[]>;
}

/** Resource names: stable under changes of case, and a number's assignment named by the number. */
export const resourceNames = {
  agent: (email: string) => normalizeEmail(email),
  membership: (email: string, team: string) => `${normalizeEmail(email)}-in-${team.trim().toLowerCase()}`,
  number: (number: string) => `number-${number}`,
  audit: "roster-audit",
  guard: "roster-guard",
};

/**
 * The names of one account's roster: resourceNames, prefixed `<account>/` for an explicit
 * provider's (so two accounts' agents never collide), unchanged for the stack's own account (so
 * existing stacks keep their names).
 */
export function resourceNamesFor(account?: string, secretContacts = false): typeof resourceNames {
  if (account === undefined && !secretContacts) return resourceNames;
  const p = (name: string) => (account === undefined ? name : `${account}/${name}`);
  // A hash names the agent without spelling the email in the URN: pseudonymous, not anonymous
  // (anyone who guesses an email can check it), and stable under changes of case.
  const person = (email: string) =>
    secretContacts ? `agent-${createHash("sha256").update(normalizeEmail(email)).digest("hex").slice(0, 16)}` : normalizeEmail(email);
  return {
    agent: (email) => p(person(email)),
    membership: (email, team) => p(`${person(email)}-in-${team.trim().toLowerCase()}`),
    number: (number) => p(resourceNames.number(number)),
    audit: p(resourceNames.audit),
    guard: p(resourceNames.guard),
  };
}

interface Source {
  label: string;
  data: unknown;
  locate?: Locate;
}

function readSource(options: RosterStackOptions): Source {
  if (options.roster !== undefined) return { label: options.source ?? "roster", data: options.roster };
  const file = options.file ?? configuredRosterFile() ?? DEFAULT_ROSTER_FILE;
  const full = path.resolve(options.baseDir ?? projectDirectory(), file);
  let text: string;
  try {
    text = fs.readFileSync(full, "utf8");
  } catch (err) {
    throw new pulumi.RunError(
      `cannot read the roster ${full}: ${(err as NodeJS.ErrnoException).code ?? String(err)}. Set its path with \`pulumi config set ${ROSTER_FILE_CONFIG} <path>\`.`,
    );
  }
  const parsed = parseRosterText(text);
  if (parsed.issues.length > 0) throw new RosterValidationError(file, parsed.issues);
  return { label: file, data: parsed.data, locate: parsed.locate };
}

/** The roster path the stack config names: `justcall:rosterFile`, else the older `roster:file` (with a warning). */
function configuredRosterFile(): string | undefined {
  const current = pulumi.runtime.getConfig(ROSTER_FILE_CONFIG);
  const legacy = pulumi.runtime.getConfig(LEGACY_ROSTER_FILE_CONFIG);
  if (legacy === undefined) return current;
  pulumi.log.warn(
    current === undefined
      ? `${LEGACY_ROSTER_FILE_CONFIG} is deprecated: name the roster with ${ROSTER_FILE_CONFIG} instead ` +
          `(in Pulumi.yaml's config, or pulumi config rm ${LEGACY_ROSTER_FILE_CONFIG} && pulumi config set ${ROSTER_FILE_CONFIG} ${legacy})`
      : `${LEGACY_ROSTER_FILE_CONFIG} (${legacy}) is ignored: ${ROSTER_FILE_CONFIG} (${current}) names the roster; remove ${LEGACY_ROSTER_FILE_CONFIG}`,
  );
  return current ?? legacy;
}

/**
 * Where Pulumi.yaml is: a relative roster path is relative to it, wherever `main` puts the
 * program. Inline (Automation API) programs report a placeholder, not a path: their working
 * directory is the project's.
 */
export function projectDirectory(): string {
  const root = pulumi.runtime.getRootDirectory();
  return root && path.isAbsolute(root) ? root : process.cwd();
}

interface Account {
  catalog: AccountCatalog;
  emails: string[];
}

async function readAccount(client: JustCallClient): Promise<Account> {
  try {
    const [catalog, agents] = await Promise.all([readAccountCatalog(client), client.listAgents()]);
    return { catalog, emails: agents.map((a) => a.email) };
  } catch (err) {
    throw new pulumi.RunError(
      `cannot read the JustCall account's teams, numbers and agents to check the roster: ${(err as Error).message}`,
    );
  }
}

/** The roster program: call it inside a Pulumi program (inline or on disk); returns the stack outputs. */
export async function rosterStack(options: RosterStackOptions = {}): Promise<RosterStackOutputs> {
  refusePlaintextSecret(); // before anything is read with the credentials
  const source = readSource(options);
  // Before anything is registered: the state this run starts from (what the guard counts).
  const provider = options.provider;
  const stateAgents = readStateAgents(provider?.account);
  const client = await programClient(provider);
  let account: Account | undefined;
  try {
    account = client ? await readAccount(client) : undefined;
  } finally {
    await client?.close();
  }
  if (!account) {
    pulumi.log.warn(
      `${provider ? `justcall.Provider("${provider.account}"): no` : "no"} JustCall credentials configured: ` +
        "the roster's teams and numbers are not checked against the account",
    );
  }

  const result = validateRosterData(source.data, { catalog: account?.catalog, locate: source.locate });
  if (!result.ok) throw new RosterValidationError(source.label, result.issues);
  return declareRoster(result.roster, account?.emails, await stateAgents, { provider, secretContacts: options.secretContacts });
}

/** The guard's view of the state: how many Agents, and which of them this roster does not declare. */
function inStateFor(roster: Roster, state: StateAgents): InState {
  if (!state.read) return state;
  const declared = new Set(roster.agents.map((a) => normalizeEmail(a.email)));
  const notDeclared = Object.fromEntries(state.agents.filter((a) => !declared.has(a.email)).map((a) => [a.email, a.agentId]));
  return { read: true, agents: state.agents.length, notDeclared: sortedByKey(notDeclared) };
}

/**
 * Registers the resources of a validated roster. `state`: the stack's Agents when the run started
 * (readStateAgents, called before anything is registered); read here when not given. `provider`:
 * the account (resource names prefixed with it, every resource using it); default the stack's.
 * `secretContacts`: as RosterStackOptions has it.
 */
export function declareRoster(
  roster: Roster,
  accountEmails?: string[],
  state?: StateAgents,
  options: Pick<RosterStackOptions, "provider" | "secretContacts"> = {},
): RosterStackOutputs {
  const { provider, secretContacts = false } = options;
  const names = resourceNamesFor(provider?.account, secretContacts);
  // Secret inputs give secret outputs of the same name (the engine marks them so for a provider
  // that takes no secrets, as dynamic providers do); what a check adds (the guard's removals, the
  // audit's unmanaged) is secret only when the program gave that input as a secret placeholder.
  const secret = <T>(value: T): pulumi.Input<T> => (secretContacts ? (pulumi.secret(value) as unknown as pulumi.Output<T>) : value);
  const inState = state
    ? Promise.resolve(inStateFor(roster, state))
    : readStateAgents(provider?.account).then((s) => inStateFor(roster, s));
  const withProvider = provider ? { provider } : {};
  const agents: Record<string, pulumi.Output<number>> = {};
  // Everything the guard waits for: it is registered after all of them and deleted before any.
  const declared: pulumi.Resource[] = [];
  const onRemove: Record<string, OnRemove> = {};
  const agentIds: Record<string, pulumi.Output<string>> = {};
  for (const entry of roster.agents) {
    const { teams = [], numbers = [], onRemove: own, ...fields } = entry;
    const policy = own ?? roster.onRemove;
    // keep: the engine drops the agent from state without calling delete (shown as delete[retain]).
    const agentArgs = secretContacts
      ? { ...fields, email: pulumi.secret(fields.email), ...(fields.phone !== undefined ? { phone: pulumi.secret(fields.phone) } : {}) }
      : fields;
    const agent = new Agent(names.agent(entry.email), agentArgs, {
      retainOnDelete: policy === "keep",
      ...withProvider,
      ...(secretContacts ? { additionalSecretOutputs: ["email", "phone"] } : {}),
    });
    const email = entry.email.toLowerCase();
    agents[email] = agent.agentId;
    onRemove[email] = policy;
    agentIds[email] = agent.id;
    declared.push(agent);
    // A kept agent's memberships and numbers stay with it: the engine skips their deletes when the
    // agent leaves (a team dropped from an agent who stays is still removed).
    const withAgent = policy === "keep" ? { deletedWith: agent, ...withProvider } : withProvider;
    // agent.id, not agent.agentId: the id stays known while a preview shows an edit of the agent,
    // so its memberships and numbers are not shown as replaced.
    for (const teamName of teams) {
      declared.push(new TeamMembership(names.membership(entry.email, teamName), { teamName, agentId: agent.id }, withAgent));
    }
    // Named by the number: moving it to another agent is one in-place reassignment.
    for (const number of numbers) {
      declared.push(new NumberAssignment(names.number(number), { number, agentId: agent.id }, withAgent));
    }
  }

  const outputs: RosterStackOutputs = secretContacts
    ? { agents: {}, secretAgents: pulumi.secret(pulumi.all(agents)), authoritative: roster.authoritative }
    : { agents, authoritative: roster.authoritative };
  if (roster.authoritative) {
    const managed = roster.agents.map((a) => a.email.toLowerCase()).sort();
    const audit = new RosterAudit(
      names.audit,
      { managedEmails: secret(managed), ...(secretContacts ? { unmanaged: pulumi.secret([]) } : {}) },
      withProvider,
    );
    declared.push(audit);
    // From the audit, not from the account read above: the audit knows who leaves in this run.
    if (accountEmails) {
      outputs.unmanagedAgents = audit.unmanaged.apply((unmanaged) => {
        if (unmanaged.length > 0) {
          pulumi.log.warn(
            `${unmanaged.length} agent(s) in the JustCall account are not in the roster (authoritative: true): ` +
              `${unmanaged.join(", ")}. Add them to the roster, or remove them in the JustCall dashboard.`,
          );
        }
        return unmanaged;
      });
    }
  }

  // Removal budget and destroy guard: see provider/roster-guard.ts and docs/deletion.md.
  new RosterGuard(
    names.guard,
    {
      stack: pulumi.getStack(),
      agents: secret(sortedByKey(onRemove)),
      agentIds: secretContacts ? pulumi.secret(pulumi.all(sortedByKey(agentIds))) : sortedByKey(agentIds),
      inState: secretContacts ? pulumi.secret(inState) : inState,
      ...(secretContacts ? { removals: pulumi.secret({}) } : {}),
      ...(roster.removalBudget !== undefined ? { removalBudget: roster.removalBudget } : {}),
    },
    { dependsOn: declared, ...withProvider },
  );
  return outputs;
}

function sortedByKey<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
