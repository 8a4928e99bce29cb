/**
 * The admin API under /__admin: no auth, no rate limit, not logged. Tests use it to inspect the
 * emulator and to change state behind the client's back (drift). Its shapes are the emulator's
 * own (camelCase input; output in the state view's shapes, state-view.ts), independent of any
 * JustCall API version. One module per group of routes.
 */
import type { FastifyInstance } from "fastify";
import type { EmulatorCore } from "../core";
import { registerAdminAgentRoutes } from "./agent-routes";
import { registerAdminFaultRoutes } from "./fault-routes";
import { registerAdminNumberRoutes } from "./number-routes";
import { registerAdminRateLimitRoutes } from "./rate-limit-routes";
import { registerAdminRequestLogRoutes } from "./request-log-routes";
import { registerAdminShapeRoutes } from "./shape-routes";
import { registerAdminStateRoutes } from "./state-routes";
import { registerAdminTeamRoutes } from "./team-routes";

export function registerAdminRoutes(app: FastifyInstance, core: EmulatorCore): void {
  registerAdminStateRoutes(app, core);
  registerAdminRequestLogRoutes(app, core);
  registerAdminAgentRoutes(app, core);
  registerAdminTeamRoutes(app, core);
  registerAdminNumberRoutes(app, core);
  registerAdminRateLimitRoutes(app, core);
  registerAdminShapeRoutes(app, core);
  registerAdminFaultRoutes(app, core);
}
