/** Admin routes over the fault rules, and over the requests a `hold` fault parks. */
import type { FastifyInstance } from "fastify";
import type { EmulatorCore } from "../core";
import { invalid } from "../errors";
import { validateFaultRules } from "../faults";
import { rejectFields, requireObject } from "../validate";
import { OK } from "./route-helpers";

const HELD_WAIT_MS = 30_000;

export function registerAdminFaultRoutes(app: FastifyInstance, core: EmulatorCore): void {
  app.put("/__admin/faults", async (request) => {
    const b = requireObject(request.body);
    rejectFields(b, ["rules"], []);
    core.faults.set(validateFaultRules(b.rules));
    return OK;
  });

  app.delete("/__admin/faults", async () => {
    core.faults.clear();
    return OK;
  });

  /** Long poll: answers `{held}` once at least `atLeast` (default 1) requests are held by a 'hold' fault, or after 30 s. */
  app.get("/__admin/faults/held", async (request) => {
    const raw = (request.query as Record<string, unknown>).atLeast;
    const atLeast = raw === undefined ? 1 : Number(raw);
    if (!Number.isInteger(atLeast) || atLeast < 0) throw invalid("atLeast", "must be a non-negative integer");
    return { held: await core.faults.waitForHeld(atLeast, HELD_WAIT_MS) };
  });

  app.post("/__admin/faults/release", async () => ({ released: core.faults.release() }));
}
