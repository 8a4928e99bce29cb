/**
 * Seeds: the accounts, teams, numbers and agents an emulator starts with. Teams are named and
 * numbers point at their holder by email, so a seed file reads like a roster rather than a
 * table of ids.
 */
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import YAML from "yaml";
import { z } from "zod";
import { ApiError } from "./errors";
import { AGENT_STATUSES, FIRST_IDS, type Plan, PLANS, ROLES } from "./state";
import { Store } from "./store";
import { E164, newAgentFields } from "./validate";

const seedAgent = z.strictObject({
  firstname: z.string(),
  lastname: z.string(),
  email: z.string(),
  role: z.enum(ROLES).optional(),
  phone: z.string().nullable().optional(),
  timezone: z.string().nullable().optional(),
  /** Seeded agents are existing, accepted users unless the seed says otherwise. */
  status: z.enum(AGENT_STATUSES).optional(),
  teams: z.array(z.string()).optional(),
  id: z.number().int().positive().optional(),
  createdAt: z.iso.datetime({ offset: true }).optional(),
  /** v2.1 fields; extensions are handed out from 1001 when absent. */
  extension: z.number().int().positive().optional(),
  available: z.boolean().optional(),
  unavailabilityReason: z.string().max(255).nullable().optional(),
  lastLoginAt: z.iso.datetime({ offset: true }).nullable().optional(),
});

const seedAccount = z.strictObject({
  name: z.string().min(1),
  apiKey: z
    .string()
    .min(1)
    .regex(/^[^:\s]+$/, 'must not contain ":" or whitespace'),
  apiSecret: z.string().min(1).regex(/^\S+$/, "must not contain whitespace"),
  allowedIps: z.array(z.string().min(1)).optional(),
  /** Sets the v2.1 rate limits; default: the emulator's default plan (team unless told otherwise). */
  plan: z.enum(PLANS).optional(),
  teams: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        id: z.number().int().positive().optional(),
        extension: z.number().int().positive().optional(),
        updatedAt: z.iso.datetime({ offset: true }).optional(),
      }),
    )
    .optional(),
  numbers: z
    .array(
      z.strictObject({
        number: z.string().regex(E164, "must be an E.164 phone number"),
        country: z.string().min(1),
        type: z.string().min(1),
        assignedTo: z.string().nullable().optional(),
        id: z.number().int().positive().optional(),
        /** The line's display name (v2.1 `justcall_line_name`). */
        name: z.string().min(1).max(255).optional(),
        capabilities: z.strictObject({ voice: z.boolean(), sms: z.boolean(), mms: z.boolean() }).optional(),
        /** Agents (by email) and teams (by name) the number is shared with. */
        sharedWith: z.strictObject({ agents: z.array(z.string()).optional(), teams: z.array(z.string()).optional() }).optional(),
      }),
    )
    .optional(),
  agents: z.array(seedAgent).optional(),
});

export const seedSchema = z.strictObject({ accounts: z.array(seedAccount).min(1) });

export type Seed = z.input<typeof seedSchema>;
export type SeedAccount = Seed["accounts"][number];

function seedError(message: string): ApiError {
  return new ApiError(400, `seed: ${message}`);
}

/** Validates the shape of a seed; field contents are checked while building the state. */
export function parseSeed(input: unknown): z.output<typeof seedSchema> {
  const result = seedSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
    throw seedError(`${where.replace(/^\./, "") || "(root)"}: ${issue.message}`);
  }
  return result.data;
}

/** Reads a JSON or YAML seed file (by extension; anything else is tried as JSON, then YAML). */
export function readSeedFile(path: string): unknown {
  const text = readFileSync(path, "utf8");
  const ext = extname(path).toLowerCase();
  if (ext === ".yaml" || ext === ".yml") return YAML.parse(text);
  try {
    return JSON.parse(text);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    return YAML.parse(text);
  }
}

export function resolveSeed(seed: unknown): unknown {
  return typeof seed === "string" ? readSeedFile(seed) : seed;
}

/** `defaultPlan` is the plan of every account whose seed names none. */
export function buildStore(input: unknown, defaultPlan?: Plan): Store {
  const seed = parseSeed(input);
  const store = new Store();
  // Explicit ids are reserved first so automatic ids can never collide with a later explicit one.
  const maxOf = (ids: Array<number | undefined>, first: number) => Math.max(first, ...ids.map((id) => (id ?? 0) + 1));
  store.nextIds = {
    agent: maxOf(
      seed.accounts.flatMap((a) => (a.agents ?? []).map((x) => x.id)),
      FIRST_IDS.agent,
    ),
    team: maxOf(
      seed.accounts.flatMap((a) => (a.teams ?? []).map((x) => x.id)),
      FIRST_IDS.team,
    ),
    number: maxOf(
      seed.accounts.flatMap((a) => (a.numbers ?? []).map((x) => x.id)),
      FIRST_IDS.number,
    ),
    invitation: FIRST_IDS.invitation,
  };

  seed.accounts.forEach((a, ai) => {
    const at = `accounts[${ai}]`;
    const wrap = <T>(where: string, fn: () => T): T => {
      try {
        return fn();
      } catch (err) {
        if (err instanceof ApiError) throw seedError(`${at}.${where}: ${err.message}`);
        throw err;
      }
    };
    const account = wrap("apiKey", () =>
      store.addAccount({
        name: a.name,
        apiKey: a.apiKey,
        apiSecret: a.apiSecret,
        allowedIps: a.allowedIps ?? null,
        plan: a.plan ?? defaultPlan,
      }),
    );
    const teamsByName = new Map<string, number>();
    (a.teams ?? []).forEach((t, i) => {
      const team = wrap(`teams[${i}]`, () => store.addTeam(account, t.name, t.id, t.extension));
      teamsByName.set(t.name, team.id);
    });
    const agentByEmail = (field: string, email: string): number => {
      const wanted = email.toLowerCase();
      const found = [...account.agents.values()].find((x) => x.email.toLowerCase() === wanted);
      if (!found) throw new ApiError(400, `${field}: no agent with email ${email} in this account`);
      return found.id;
    };
    (a.agents ?? []).forEach((x, i) => {
      wrap(`agents[${i}]`, () => {
        // The seed's own status was checked by its schema; withStatus checks it again, harmlessly.
        const fields = newAgentFields(
          {
            firstname: x.firstname,
            lastname: x.lastname,
            email: x.email,
            phone: x.phone,
            timezone: x.timezone,
            role: x.role,
            status: x.status,
          },
          { status: "Offline", withStatus: true },
        );
        const agent = store.createAgent(account, fields, {
          invite: false,
          id: x.id,
          createdAt: x.createdAt,
          extension: x.extension,
          available: x.available,
          unavailabilityReason: x.unavailabilityReason,
          lastLoginAt: x.lastLoginAt,
        });
        for (const name of x.teams ?? []) {
          const teamId = teamsByName.get(name);
          if (teamId === undefined) throw new ApiError(400, `teams: no team named ${name} in this account`);
          store.addMember(account.teams.get(teamId)!, agent.id);
        }
      });
    });
    (a.numbers ?? []).forEach((n, i) => {
      wrap(`numbers[${i}]`, () => {
        const ownerId = n.assignedTo ? agentByEmail("assignedTo", n.assignedTo) : null;
        const sharedAgentIds = (n.sharedWith?.agents ?? []).map((email) => agentByEmail("sharedWith.agents", email));
        const sharedTeamIds = (n.sharedWith?.teams ?? []).map((name) => {
          const teamId = teamsByName.get(name);
          if (teamId === undefined) throw new ApiError(400, `sharedWith.teams: no team named ${name} in this account`);
          return teamId;
        });
        store.addNumber(
          account,
          {
            number: n.number,
            country: n.country,
            type: n.type,
            ownerId,
            lineName: n.name,
            capabilities: n.capabilities,
            sharedAgentIds,
            sharedTeamIds,
          },
          n.id,
        );
      });
    });
    // Membership changes above stamped the teams with "now"; a seed's own date wins.
    (a.teams ?? []).forEach((t) => {
      if (t.updatedAt) account.teams.get(teamsByName.get(t.name)!)!.updatedAt = t.updatedAt;
    });
  });
  return store;
}
