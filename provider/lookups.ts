// Look-ups for programs: the account's teams, numbers and agents, read by the program itself (at
// preview and at up) with the stack's credentials, and never stored. For decisions a program makes
// from what the account holds: every team, the agent with an email, who holds a number.
import * as pulumi from "@pulumi/pulumi";
import { type Agent, createClient, type JustCallClient, type PhoneNumber, type Team } from "./client";
import { refusePlaintextSecret } from "./runtime";
import { clientSettingsFrom, requireCredentials, resolveSettings } from "./settings";

/**
 * A client for the program's own reads (the provider process has its own), from the same stack
 * config and environment the provider uses; undefined when no credentials are configured.
 */
export function programClient(): JustCallClient | undefined {
  refusePlaintextSecret(); // before the program's own reads use the credentials
  const settings = resolveSettings((key) => pulumi.runtime.getConfig(key), process.env);
  if (settings.apiKey === undefined || settings.apiSecret === undefined) return undefined;
  return createClient(clientSettingsFrom(requireCredentials(settings)));
}

async function lookUp<T>(what: string, read: (client: JustCallClient) => Promise<T>): Promise<T> {
  const client = programClient();
  if (!client) {
    throw new Error(
      `${what}: no JustCall credentials. Set justcall:apiKey and justcall:apiSecret ` +
        "(pulumi config set --secret justcall:apiSecret), or JUSTCALL_API_KEY and JUSTCALL_API_SECRET",
    );
  }
  try {
    return await read(client);
  } catch (err) {
    throw new Error(`${what}: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    await client.close();
  }
}

/** The account's teams (name, id, members' agent ids). Teams are created in the JustCall dashboard. */
export function getTeams(): Promise<Team[]> {
  return lookUp("getTeams", (client) => client.teams());
}

/** The account's phone numbers (E.164, id, country, type, the agent id holding it or null). */
export function getNumbers(): Promise<PhoneNumber[]> {
  return lookUp("getNumbers", (client) => client.numbers());
}

/** The agent JustCall has for an email (compared without case), or undefined. */
export function getAgentByEmail(email: string): Promise<Agent | undefined> {
  return lookUp(`getAgentByEmail(${email})`, (client) => client.findAgentByEmail(email));
}
