// Look-ups for programs: the account's teams, numbers and agents, read by the program itself (at
// preview and at up) with the stack's credentials, or an explicit provider's, and never stored. For
// decisions a program makes from what the account holds: every team, the agent with an email, who
// holds a number.
import * as pulumi from "@pulumi/pulumi";
import { accountLabel, type Provider } from "./account";
import { type Agent, createClient, type JustCallClient, type PhoneNumber, type Team } from "./client";
import { refusePlaintextSecret } from "./runtime";
import { clientSettingsFrom, requireCredentials, resolveSettings } from "./settings";

/** Which account a look-up reads, as `invoke` options do in Pulumi's own providers. */
export interface LookupOptions {
  /** An explicit provider (justcall.Provider); default: the stack's account. */
  provider?: Provider;
}

/**
 * A client for the program's own reads (the provider process has its own), from the same stack
 * config and environment the provider uses, or from an explicit provider's inputs; undefined when
 * no credentials are configured (or they are not known yet).
 */
export async function programClient(provider?: Provider): Promise<JustCallClient | undefined> {
  refusePlaintextSecret(); // before the program's own reads use the credentials
  const settings = provider ? await provider.programSettings() : resolveSettings((key) => pulumi.runtime.getConfig(key), process.env);
  if (settings.apiKey === undefined || settings.apiSecret === undefined) return undefined;
  return createClient(clientSettingsFrom(requireCredentials(settings)));
}

async function lookUp<T>(what: string, options: LookupOptions, read: (client: JustCallClient) => Promise<T>): Promise<T> {
  const client = await programClient(options.provider);
  if (!client) {
    throw new Error(
      options.provider
        ? `${what}: ${accountLabel(options.provider)} has no apiKey and apiSecret (or they are not known yet)`
        : `${what}: no JustCall credentials. Set justcall:apiKey and justcall:apiSecret ` +
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
export function getTeams(options: LookupOptions = {}): Promise<Team[]> {
  return lookUp("getTeams", options, (client) => client.teams());
}

/** The account's phone numbers (E.164, id, country, type, the agent id holding it or null). */
export function getNumbers(options: LookupOptions = {}): Promise<PhoneNumber[]> {
  return lookUp("getNumbers", options, (client) => client.numbers());
}

/** The agent JustCall has for an email (compared without case), or undefined. */
export function getAgentByEmail(email: string, options: LookupOptions = {}): Promise<Agent | undefined> {
  return lookUp(`getAgentByEmail(${email})`, options, (client) => client.findAgentByEmail(email));
}
