/**
 * Seeds: the accounts, teams, numbers and agents an emulator starts with. Teams are named and
 * numbers point at their holder by email, so a seed file reads like a roster rather than a
 * table of ids.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { ApiError } from './errors';
import { AGENT_STATUSES, FIRST_IDS, ROLES, Store } from './state';
import { agentFields, E164 } from './validate';

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
});

const seedAccount = z.strictObject({
  name: z.string().min(1),
  apiKey: z.string().min(1).regex(/^[^:\s]+$/, 'must not contain ":" or whitespace'),
  apiSecret: z.string().min(1).regex(/^\S+$/, 'must not contain whitespace'),
  allowedIps: z.array(z.string().min(1)).optional(),
  teams: z.array(z.strictObject({ name: z.string().min(1), id: z.number().int().positive().optional() })).optional(),
  numbers: z
    .array(
      z.strictObject({
        number: z.string().regex(E164, 'must be an E.164 phone number'),
        country: z.string().min(1),
        type: z.string().min(1),
        assignedTo: z.string().nullable().optional(),
        id: z.number().int().positive().optional(),
      }),
    )
    .optional(),
  agents: z.array(seedAgent).optional(),
});

export const seedSchema = z.strictObject({ accounts: z.array(seedAccount).min(1) });

export type Seed = z.input<typeof seedSchema>;
export type SeedAccount = Seed['accounts'][number];

function seedError(message: string): ApiError {
  return new ApiError(400, `seed: ${message}`);
}

/** Validates the shape of a seed; field contents are checked while building the state. */
export function parseSeed(input: unknown): z.output<typeof seedSchema> {
  const result = seedSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    throw seedError(`${where.replace(/^\./, '') || '(root)'}: ${issue.message}`);
  }
  return result.data;
}

/** Reads a JSON or YAML seed file (by extension; anything else is tried as JSON, then YAML). */
export function readSeedFile(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  const ext = extname(path).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return YAML.parse(text);
  try {
    return JSON.parse(text);
  } catch {
    return YAML.parse(text);
  }
}

export function resolveSeed(seed: unknown): unknown {
  return typeof seed === 'string' ? readSeedFile(seed) : seed;
}

export function buildStore(input: unknown): Store {
  const seed = parseSeed(input);
  const store = new Store();
  // Explicit ids are reserved first so automatic ids can never collide with a later explicit one.
  const maxOf = (ids: Array<number | undefined>, first: number) =>
    Math.max(first, ...ids.map((id) => (id ?? 0) + 1));
  store.nextIds = {
    agent: maxOf(seed.accounts.flatMap((a) => (a.agents ?? []).map((x) => x.id)), FIRST_IDS.agent),
    team: maxOf(seed.accounts.flatMap((a) => (a.teams ?? []).map((x) => x.id)), FIRST_IDS.team),
    number: maxOf(seed.accounts.flatMap((a) => (a.numbers ?? []).map((x) => x.id)), FIRST_IDS.number),
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
    const account = wrap('apiKey', () =>
      store.addAccount({ name: a.name, apiKey: a.apiKey, apiSecret: a.apiSecret, allowedIps: a.allowedIps ?? null }),
    );
    const teamsByName = new Map<string, number>();
    (a.teams ?? []).forEach((t, i) => {
      const team = wrap(`teams[${i}]`, () => store.addTeam(account, t.name, t.id));
      teamsByName.set(t.name, team.id);
    });
    (a.agents ?? []).forEach((x, i) => {
      wrap(`agents[${i}]`, () => {
        const fields = agentFields(
          { firstname: x.firstname, lastname: x.lastname, email: x.email, phone: x.phone, timezone: x.timezone, role: x.role },
          { required: true, withStatus: false },
        );
        const agent = store.createAgent(
          account,
          {
            firstname: fields.firstname!,
            lastname: fields.lastname!,
            email: fields.email!,
            phone: fields.phone ?? null,
            timezone: fields.timezone ?? null,
            role: fields.role ?? 'agent',
            status: x.status ?? 'Offline',
          },
          { invite: false, id: x.id, createdAt: x.createdAt },
        );
        for (const name of x.teams ?? []) {
          const teamId = teamsByName.get(name);
          if (teamId === undefined) throw new ApiError(400, `teams: no team named ${name} in this account`);
          store.addMember(account.teams.get(teamId)!, agent.id);
        }
      });
    });
    (a.numbers ?? []).forEach((n, i) => {
      wrap(`numbers[${i}]`, () => {
        let ownerId: number | null = null;
        if (n.assignedTo) {
          const wanted = n.assignedTo.toLowerCase();
          const owner = [...account.agents.values()].find((x) => x.email.toLowerCase() === wanted);
          if (!owner) throw new ApiError(400, `assignedTo: no agent with email ${n.assignedTo} in this account`);
          ownerId = owner.id;
        }
        store.addNumber(account, { number: n.number, country: n.country, type: n.type, ownerId }, n.id);
      });
    });
  });
  return store;
}
