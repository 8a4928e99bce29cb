/**
 * The account state behind every API surface. It is deliberately API-neutral (separate
 * firstname/lastname, teams holding member ids, numbers holding an owner id) so that the v1
 * routes of the guide and the published v2.1 API both render it in their own shapes. Fields
 * only v2.1 shows (extensions, availability, last login, number sharing, the plan) live here
 * too, so a change through either API is visible through the other.
 *
 * Ids are unique per kind across all accounts, so an id from another account is simply "not in
 * this account" and answers 404, as the guide says for GET /v1/agents/{agent_id}. The Store
 * (store.ts) holds the accounts and makes every change.
 */
export const ROLES = ["agent", "supervisor", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** `Pending` until the invitation is accepted; the others are availability states. */
export const AGENT_STATUSES = ["Pending", "Offline", "Online", "Busy"] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

/** JustCall's plans as far as the API cares: they set the v2.1 rate limits. */
export const PLANS = ["team", "pro", "business"] as const;
export type Plan = (typeof PLANS)[number];
export const DEFAULT_PLAN: Plan = "team";

/** The fields of an agent's profile, the part the v1 API and admin edits write. */
export interface AgentFields {
  firstname: string;
  lastname: string;
  email: string;
  phone: string | null;
  timezone: string | null;
  /** One of ROLES, or (set through the admin API, as in the dashboard) another role's name, e.g. "Account Owner". */
  role: string;
  status: AgentStatus;
}

export interface Agent extends AgentFields {
  id: number;
  createdAt: string;
  /** Unique among the account's agents; handed out from 1001. */
  extension: number;
  /** Whether the agent takes calls; independent of `status` (which says whether they are connected). */
  available: boolean;
  /** Only meaningful while unavailable; cleared when the agent becomes available. */
  unavailabilityReason: string | null;
  lastLoginAt: string | null;
}

export interface Team {
  id: number;
  name: string;
  /** In the order the agents joined. */
  memberIds: number[];
  /** Unique among the account's teams; handed out from 2001. */
  extension: number;
  /** Last change of name or membership. */
  updatedAt: string;
}

export interface Capabilities {
  voice: boolean;
  sms: boolean;
  mms: boolean;
}

export interface PhoneNumber {
  id: number;
  number: string;
  country: string;
  type: string;
  ownerId: number | null;
  /** The line's display name in the dashboard; null when none was given. */
  lineName: string | null;
  capabilities: Capabilities;
  /** Agents and teams the number is shared with, besides its owner. */
  sharedAgentIds: number[];
  sharedTeamIds: number[];
}

export type NumberFields = Pick<PhoneNumber, "number" | "country" | "type" | "ownerId"> &
  Partial<Pick<PhoneNumber, "lineName" | "capabilities" | "sharedAgentIds" | "sharedTeamIds">>;

/** What a number can do when the seed does not say: US/CA numbers do MMS, toll-free ones do not. */
export function defaultCapabilities(number: string, type: string): Capabilities {
  return { voice: true, sms: true, mms: number.startsWith("+1") && type !== "toll_free" };
}

export const FIRST_AGENT_EXTENSION = 1001;
export const FIRST_TEAM_EXTENSION = 2001;

export interface Account {
  name: string;
  apiKey: string;
  apiSecret: string;
  /** null: any IP may use the key. */
  allowedIps: string[] | null;
  plan: Plan;
  agents: Map<number, Agent>;
  teams: Map<number, Team>;
  numbers: Map<number, PhoneNumber>;
}

export interface Invitation {
  id: number;
  agentId: number;
  email: string;
  /** The API key of the account that sent it. */
  account: string;
  sentAt: string;
}

export interface NextIds {
  agent: number;
  team: number;
  number: number;
  invitation: number;
}

/** First ids handed out, shaped like the guide's examples (agent 101, team 10, number 5). */
export const FIRST_IDS: NextIds = { agent: 101, team: 10, number: 5, invitation: 1 };

/** By id ascending, the order every list endpoint uses. */
export const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;
