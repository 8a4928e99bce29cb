// Every example response of the guide (the JustCall User Management API Guide) and every example
// value of JustCall's published reference (v2.1; docs/client.md lists both sources), printed
// exactly as the sources print them, read by the contracts and normalized:
// roles to our lower-case enum, numbers to E.164, dates to ISO 8601, agent_id to id, and for a
// missing field nothing invented (the key stays absent).
import { expect } from "chai";
import {
  AuthError,
  contractV1,
  contractV21,
  DuplicateEmailError,
  errorFromResponse,
  NotFoundError,
  RateLimitedError,
  ServerError,
  ValidationError,
} from "../../../provider/client";
import type { ApiContract, Parsed } from "../../../provider/client/contract";

const v1 = contractV1.endpoints;
const v21 = contractV21.endpoints;
const input = { firstname: "John", lastname: "Smith", email: "john@example.com", role: "agent" };

interface Example {
  source: string;
  /** The answer's body, character for character as the source prints it. */
  printed: string;
  parse: (json: unknown) => Parsed<unknown>;
  expected: unknown;
}

// ---- the guide (v1), "Core endpoints": each Response example -----------------------------------

const guideExamples: Example[] = [
  {
    source: "guide, List Agents",
    printed: `{
  "status": "success",
  "data": [
    {"id":101,"firstname":"Jane","lastname":"Doe","email":"jane@example.com","role":"agent"}
  ],
  "total": 50,
  "page": 1
}`,
    parse: (j) => v1.listAgents().parse(j),
    // No timezone, phone, status, created_at or numbers in the example: none invented.
    expected: { items: [{ id: 101, firstname: "Jane", lastname: "Doe", email: "jane@example.com", role: "agent" }], total: 50 },
  },
  {
    source: "guide, Get Agent",
    printed: `{
  "status": "success",
  "data": {
    "id":101,"firstname":"Jane","lastname":"Doe",
    "email":"jane@example.com","timezone":"America/New_York"
  }
}`,
    parse: (j) => v1.getAgent(101).parse(j),
    // No role in the example: none invented.
    expected: { id: 101, firstname: "Jane", lastname: "Doe", email: "jane@example.com", timezone: "America/New_York" },
  },
  {
    source: "guide, Create Agent (Invite User)",
    printed: `{
  "status": "success",
  "data": {
    "id":202,"firstname":"John","lastname":"Smith",
    "email":"john@example.com"
  }
}`,
    parse: (j) => v1.createAgent(input).parse(j),
    expected: { id: 202, firstname: "John", lastname: "Smith", email: "john@example.com" },
  },
  {
    source: "guide, Update Agent",
    printed: `{
  "status": "success",
  "data": {
    "id":202,"firstname":"Jonathan","timezone":"Europe/London"
  }
}`,
    parse: (j) => v1.updateAgent(202, { firstname: "Jonathan", timezone: "Europe/London" }).parse(j),
    // A partial answer: the id and the changed fields only (the client merges it with what it sent).
    expected: { id: 202, firstname: "Jonathan", timezone: "Europe/London" },
  },
  {
    source: "guide, Delete / Deactivate Agent",
    printed: `{
  "status": "success",
  "message": "Agent deleted successfully"
}`,
    parse: (j) => v1.deleteAgent(202).parse(j),
    expected: undefined,
  },
  {
    source: "guide, List Teams",
    printed: `{
  "status": "success",
  "data": [
    {"id":10,"name":"Support Team","agents":[101,202]}
  ]
}`,
    parse: (j) => v1.listTeams().parse(j),
    expected: { items: [{ id: 10, name: "Support Team", agentIds: [101, 202] }], total: undefined },
  },
  {
    source: "guide, Add Agent to Team",
    printed: `{
  "status": "success",
  "message": "Agent added to team"
}`,
    parse: (j) => v1.addTeamMember(10, 202).parse(j),
    expected: undefined,
  },
  {
    source: "guide, List Phone Numbers",
    printed: `{
  "status": "success",
  "data": [
    {"id":5,"number":"+14155550100","assigned_to":101,"type":"local"}
  ]
}`,
    parse: (j) => v1.listNumbers().parse(j),
    expected: { items: [{ id: 5, number: "+14155550100", country: null, type: "local", assignedTo: 101 }], total: undefined },
  },
  {
    source: 'guide, User object: "agent_id: Alias for id in some response payloads"',
    printed: `{"status":"success","data":{"agent_id":202,"firstname":"John","lastname":"Smith","email":"john@example.com"}}`,
    parse: (j) => v1.createAgent(input).parse(j),
    expected: { id: 202, firstname: "John", lastname: "Smith", email: "john@example.com" },
  },
  {
    source: 'guide, User object: role "e.g. \'admin\', \'agent\'", created_at "string (ISO 8601)", numbers "number, country, type"',
    printed:
      `{"status":"success","data":{"id":101,"firstname":"Jane","lastname":"Doe","email":"jane@example.com",` +
      `"role":"admin","created_at":"2025-01-01T10:00:00Z","numbers":[{"number":"+14155550100","country":"US",` +
      `"type":"local"}]}}`,
    parse: (j) => v1.getAgent(101).parse(j),
    expected: {
      id: 101,
      firstname: "Jane",
      lastname: "Doe",
      email: "jane@example.com",
      role: "admin",
      createdAt: "2025-01-01T10:00:00.000Z",
      numbers: ["+14155550100"],
    },
  },
];

// ---- the published reference (v2.1), "Example values as the reference prints them" -------------

const listOf = (data: string) =>
  `{"status":"success","count":1,"total_count":1,"current_page":0,"per_page":50,` +
  `"next_page_link":"https://api.justcall.io/v2.1/...?page=3","prev_page_link":null,"data":[${data}]}`;

const referenceUser =
  `{"id":1,"name":"Jane Doe","email":"jane@example.com","role":"Admin","extension":101,"groups":[{"group_id":1,` +
  `"group_name":"Sales Team"}],"owned_numbers":["14155550100"],"shared_numbers":["14155550101"],` +
  `"created_at":"2025-01-01 10:00:00","last_login_timestamp":"2025-01-01 10:00:00","timezone":"America/New_York",` +
  `"working_hours_type":"Always Open","available":"Yes","unavailability_reason":null,"on_call":"No"}`;
const janeDoe = { id: 1, firstname: "Jane", lastname: "Doe", name: "Jane Doe", email: "jane@example.com" };

const referenceExamples: Example[] = [
  {
    source: "reference, User (a single get returns the bare object)",
    printed: referenceUser,
    parse: (j) => v21.getAgent(1).parse(j),
    expected: {
      ...janeDoe,
      role: "admin",
      timezone: "America/New_York",
      status: "Online",
      createdAt: "2025-01-01T10:00:00.000Z",
      numbers: ["+14155550100"],
      available: true,
      unavailabilityReason: null,
    },
  },
  ...(
    [
      ["Admin", "admin"],
      ["Account Owner", "Account Owner"],
      ["Team Member", "agent"],
      ["Agent", "agent"],
    ] as const
  ).map(
    ([printed, read]): Example => ({
      source: `reference, User role "${printed}"`,
      printed: `{"id":1,"name":"Jane Doe","email":"jane@example.com","role":"${printed}"}`,
      parse: (j) => v21.getAgent(1).parse(j),
      // Roles outside ours are kept as JustCall names them (docs/client.md, "Roles outside ours").
      expected: { ...janeDoe, role: read, unavailabilityReason: null },
    }),
  ),
  {
    source: 'reference, User groups "an array of strings" (its schema) and available "No", on_call "Yes"',
    printed: `{"id":1,"name":"Jane Doe","email":"jane@example.com","groups":["Sales Team"],"available":"No","on_call":"Yes"}`,
    parse: (j) => v21.getAgent(1).parse(j),
    expected: { ...janeDoe, status: "Busy", available: false, unavailabilityReason: null },
  },
  {
    source: "reference, Lists: the users list envelope",
    printed: listOf(referenceUser),
    parse: (j) => v21.listAgents().parse(j),
    expected: {
      items: [
        {
          ...janeDoe,
          role: "admin",
          timezone: "America/New_York",
          status: "Online",
          createdAt: "2025-01-01T10:00:00.000Z",
          numbers: ["+14155550100"],
          available: true,
          unavailabilityReason: null,
        },
      ],
      total: 1,
      more: true,
    },
  },
  {
    source: "reference, User group",
    printed: listOf(
      `{"id":1,"group_name":"Sales Team","group_extension":"201","updated_on":"2025-01-01 10:01:01",` +
        `"total_members":1,"members":[{"id":1,"name":"Jane Doe","email":"jane@example.com","role":"Admin",` +
        `"timezone":"America/New_York","extension":101}]}`,
    ),
    parse: (j) => v21.listTeams().parse(j),
    expected: { items: [{ id: 1, name: "Sales Team", agentIds: [1] }], total: 1, more: true },
  },
  {
    source: "reference, Phone number (owned)",
    printed: listOf(
      `{"id":5,"justcall_number":"12707705XXX","friendly_number":"(270) 770-5XXX","justcall_line_name":"Sales line",` +
        `"availability_setting":"Always Open","current_status":"Available","number_type":"Local",` +
        `"number_owner":{"id":1,"email":"jane@example.com","name":"Jane Doe"},"shared_with":{"team_members":[],` +
        `"user_groups":[]},"capabilities":{"call":"Yes","sms":"Yes","mms":"No"}}`,
    ),
    parse: (j) => v21.listNumbers().parse(j),
    // "12707705XXX" is redacted: not a number we can name, so it is kept as printed (export leaves it out).
    expected: { items: [{ id: 5, number: "12707705XXX", country: null, type: "local", assignedTo: 1 }], total: 1, more: true },
  },
  ...(["mobile", "toll_free"] as const).map(
    (type): Example => ({
      source: `reference, Phone number of type "${type}", digits without +, no owner`,
      printed: listOf(
        `{"id":6,"justcall_number":"14155550100","friendly_number":"(415) 555-0100","number_type":"${type}","number_owner":null}`,
      ),
      parse: (j) => v21.listNumbers().parse(j),
      expected: { items: [{ id: 6, number: "+14155550100", country: null, type, assignedTo: null }], total: 1, more: true },
    }),
  ),
  {
    source: "reference, Phone number without number_owner (none)",
    printed: listOf(`{"id":6,"justcall_number":"14155550100","number_type":"Local"}`),
    parse: (j) => v21.listNumbers().parse(j),
    expected: { items: [{ id: 6, number: "+14155550100", country: null, type: "local", assignedTo: null }], total: 1, more: true },
  },
];

describe("client contracts: every example the sources print", () => {
  for (const example of [...guideExamples, ...referenceExamples]) {
    it(`reads ${example.source}`, () => {
      const result = example.parse(JSON.parse(example.printed));
      expect(result, JSON.stringify(result)).to.deep.equal({ ok: true, value: example.expected });
    });
  }
});

// ---- errors -----------------------------------------------------------------------------------

interface ErrorExample {
  source: string;
  contract: ApiContract;
  status: number;
  route: string;
  printed: string;
  error: Function;
}

const ERR = `{"status":"error","message":"..."}`;
const errorExamples: ErrorExample[] = [
  // The guide: "Duplicate email returns an error", no status named.
  ...[400, 409, 422].map(
    (status): ErrorExample => ({
      source: `guide, Create Agent: duplicate email as ${status}`,
      contract: contractV1,
      status,
      route: "POST /v1/agents",
      printed: `{"status":"error","message":"The email has already been taken."}`,
      error: DuplicateEmailError,
    }),
  ),
  {
    source: "guide, Create Agent: another 400",
    contract: contractV1,
    status: 400,
    route: "POST /v1/agents",
    printed: `{"status":"error","message":"phone: must be an E.164 phone number"}`,
    error: ValidationError,
  },
  {
    source: "guide, Get Agent: another account's id",
    contract: contractV1,
    status: 404,
    route: "GET /v1/agents/{id}",
    printed: ERR,
    error: NotFoundError,
  },
  { source: "guide, 429", contract: contractV1, status: 429, route: "GET /v1/agents", printed: ERR, error: RateLimitedError },
  ...(
    [
      [400, ValidationError],
      [401, AuthError],
      [403, AuthError],
      [404, NotFoundError],
      [429, RateLimitedError],
      [500, ServerError],
    ] as const
  ).map(
    ([status, error]): ErrorExample => ({
      source: `reference, Errors ${status}`,
      contract: contractV21,
      status,
      route: "GET /v2.1/users/{id}",
      printed: ERR,
      error,
    }),
  ),
];

describe("client contracts: every error the sources print", () => {
  for (const e of errorExamples) {
    it(`maps ${e.source} to ${e.error.name}`, () => {
      const body = JSON.parse(e.printed);
      const err = errorFromResponse(
        { status: e.status, method: e.route.split(" ")[0], path: e.route.split(" ")[1], route: e.route, body },
        e.contract,
      );
      expect(err).to.be.instanceOf(e.error);
      expect(err.apiMessage).to.equal(body.message);
    });
  }
});
