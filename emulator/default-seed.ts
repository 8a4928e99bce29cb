/**
 * The built-in demo seed: "Acme Support" (the demo account the README and CLI advertise) and a
 * small second account, "Globex", so isolation between API keys is testable out of the box.
 * Dates are fixed so the state view of a fresh emulator is stable. Both accounts are on the Team
 * plan (the emulator's default), so the v2.1 limits are the strictest published ones.
 */
import type { Seed } from "./seed";

export const DEMO_CREDENTIALS = { apiKey: "demo_api_key", apiSecret: "demo_api_secret" } as const;
export const GLOBEX_CREDENTIALS = { apiKey: "globex_api_key", apiSecret: "globex_api_secret" } as const;

export const defaultSeed: Seed = {
  accounts: [
    {
      name: "Acme Support",
      ...DEMO_CREDENTIALS,
      teams: [
        { name: "Support", updatedAt: "2025-03-10T08:15:00.000Z" },
        { name: "Sales", updatedAt: "2025-03-10T08:15:00.000Z" },
        { name: "Billing", updatedAt: "2025-03-10T08:15:00.000Z" },
      ],
      agents: [
        {
          firstname: "Jane",
          lastname: "Doe",
          email: "jane.doe@acme.example",
          role: "admin",
          phone: "+14155550123",
          timezone: "America/Los_Angeles",
          teams: ["Support"],
          createdAt: "2025-01-06T09:00:00.000Z",
          lastLoginAt: "2025-06-02T16:45:00.000Z",
        },
        {
          firstname: "Sam",
          lastname: "Lee",
          email: "sam.lee@acme.example",
          role: "agent",
          timezone: "America/New_York",
          teams: ["Support", "Sales"],
          createdAt: "2025-02-03T14:30:00.000Z",
          lastLoginAt: "2025-06-03T13:05:00.000Z",
        },
        {
          firstname: "Priya",
          lastname: "Patel",
          email: "priya.patel@acme.example",
          role: "supervisor",
          timezone: "Europe/London",
          teams: ["Billing"],
          createdAt: "2025-03-10T08:15:00.000Z",
          lastLoginAt: "2025-05-28T07:50:00.000Z",
        },
      ],
      numbers: [
        { number: "+14155550100", country: "US", type: "local", assignedTo: "jane.doe@acme.example", name: "Jane Doe direct" },
        { number: "+14155550101", country: "US", type: "local", assignedTo: "priya.patel@acme.example", name: "Billing line" },
        {
          number: "+14155550102",
          country: "US",
          type: "local",
          name: "Support main",
          sharedWith: { agents: ["sam.lee@acme.example"], teams: ["Support"] },
        },
        { number: "+14155550103", country: "US", type: "local" },
        { number: "+14155550104", country: "US", type: "local" },
        { number: "+14155550105", country: "US", type: "local" },
        { number: "+442071838750", country: "GB", type: "local" },
        {
          number: "+18005550199",
          country: "US",
          type: "toll_free",
          name: "Toll-free support",
          sharedWith: { teams: ["Support", "Sales"] },
        },
      ],
    },
    {
      name: "Globex",
      ...GLOBEX_CREDENTIALS,
      teams: [{ name: "Operations", updatedAt: "2025-01-20T12:00:00.000Z" }],
      agents: [
        {
          firstname: "Hank",
          lastname: "Scorpio",
          email: "hank.scorpio@globex.example",
          role: "admin",
          timezone: "America/Chicago",
          teams: ["Operations"],
          createdAt: "2025-01-20T12:00:00.000Z",
          lastLoginAt: "2025-06-01T10:00:00.000Z",
        },
      ],
      numbers: [{ number: "+13125550142", country: "US", type: "local", assignedTo: "hank.scorpio@globex.example", name: "Globex HQ" }],
    },
  ],
};
