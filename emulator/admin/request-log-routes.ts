/** Admin routes over the request log: read it with its counters, or clear both. */
import type { FastifyInstance } from "fastify";
import type { EmulatorCore } from "../core";
import { OK } from "./route-helpers";

export function registerAdminRequestLogRoutes(app: FastifyInstance, core: EmulatorCore): void {
  app.get("/__admin/requests", async () => core.log.snapshot());

  app.delete("/__admin/requests", async () => {
    core.log.clear();
    return OK;
  });
}
