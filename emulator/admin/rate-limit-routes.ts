/**
 * Admin routes that change the rate limits: v1's window, v2.1's windows, and an account's plan
 * (which, as far as the API cares, only sets its v2.1 limits).
 */
import type { FastifyInstance } from "fastify";
import type { EmulatorCore } from "../core";
import { invalid } from "../errors";
import type { V21RateLimitConfig, V21RateLimitMode } from "../rate-limit-v21";
import { type Plan, PLANS } from "../state";
import { bodyId, rejectFields, requireObject } from "../validate";
import { accountByKey, OK, pathParams } from "./route-helpers";

function windowConfig(field: string, value: unknown): { limit: number; windowMs: number } {
  const w = requireObject(value, field);
  rejectFields(w, ["limit", "windowMs"], []);
  return { limit: bodyId(`${field}.limit`, w.limit), windowMs: bodyId(`${field}.windowMs`, w.windowMs) };
}

function plan(value: unknown): Plan {
  if (typeof value !== "string" || !(PLANS as readonly string[]).includes(value))
    throw invalid("plan", `must be one of ${PLANS.join(", ")}`);
  return value as Plan;
}

export function registerAdminRateLimitRoutes(app: FastifyInstance, core: EmulatorCore): void {
  app.put("/__admin/rate-limit", async (request) => {
    const b = requireObject(request.body);
    if (b.enabled === false) {
      rejectFields(b, ["enabled"], []);
      core.limiter.configure(null);
      return OK;
    }
    rejectFields(b, ["limit", "windowMs", "enabled"], []);
    if (b.enabled !== undefined && b.enabled !== true) throw invalid("enabled", "must be a boolean");
    core.limiter.configure({ limit: bodyId("limit", b.limit), windowMs: bodyId("windowMs", b.windowMs) });
    return OK;
  });

  /** `{hour, burst}`: the same windows for every key; `{byPlan: true}`: by plan; `{enabled: false}`: off. */
  app.put("/__admin/v2.1/rate-limit", async (request) => {
    const b = requireObject(request.body);
    let mode: V21RateLimitMode;
    if (b.enabled === false) {
      rejectFields(b, ["enabled"], []);
      mode = null;
    } else if (b.byPlan === true) {
      rejectFields(b, ["byPlan"], []);
      mode = "plan";
    } else {
      rejectFields(b, ["hour", "burst"], []);
      mode = { hour: windowConfig("hour", b.hour), burst: windowConfig("burst", b.burst) } satisfies V21RateLimitConfig;
    }
    core.v21Limiter.configure(mode);
    return OK;
  });

  app.put("/__admin/accounts/:apiKey/plan", async (request) => {
    const account = accountByKey(core, pathParams(request).apiKey);
    const b = requireObject(request.body);
    rejectFields(b, ["plan"], []);
    core.store.setPlan(account, plan(b.plan));
    return { apiKey: account.apiKey, plan: account.plan };
  });
}
