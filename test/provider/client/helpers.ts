import { startEmulator } from "../../../emulator";
import { createClient, type JustCallClient } from "../../../provider/client";
import type { ClientSettings } from "../../../provider/client";

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;
export type EmulatorOptions = Parameters<typeof startEmulator>[0];

/** A fresh emulator and a private client for one test; both are closed afterwards. */
export async function withEmulator<T>(
  opts: EmulatorOptions,
  settings: Partial<ClientSettings>,
  fn: (emu: Emulator, client: JustCallClient) => Promise<T>,
): Promise<T> {
  const emu = await startEmulator(opts);
  const client = createClient({ baseUrl: emu.url, ...emu.credentials, ...settings });
  try {
    return await fn(emu, client);
  } finally {
    await client.close();
    await emu.close();
  }
}

export async function statuses(emu: Emulator): Promise<Record<string, number>> {
  return (await emu.admin.requests()).counters.byStatus;
}

export async function caught(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a rejection");
}
