/** Admin routes over the whole state: reset, load a seed, read the state and the invitation outbox. */
import type { FastifyInstance } from "fastify";
import type { EmulatorCore } from "../core";
import { invalid } from "../errors";
import { OK, optionalBody } from "./route-helpers";
import { type StateView, stateView } from "./state-view";

export function registerAdminStateRoutes(app: FastifyInstance, core: EmulatorCore): void {
  app.post("/__admin/reset", async (request) => {
    core.reset(optionalBody(request).seed);
    return OK;
  });

  app.post("/__admin/seed", async (request) => {
    const b = optionalBody(request);
    if (b.seed === undefined) throw invalid("seed", "is required");
    core.loadSeed(b.seed);
    return OK;
  });

  app.get("/__admin/state", async (): Promise<StateView> => stateView(core.store));

  app.get("/__admin/outbox", async () => ({ invitations: core.store.outbox.map((i) => ({ ...i })) }));
}
