// The engine configures the provider before any check. Unit tests of check and diff configure
// it with an empty stack config (v1, no credentials), so that a check that would consult the API
// learns at once that it cannot. Registered as a root hook, before every test of the run.
import { configureProcess } from "../../provider/runtime";

export function withEmptyStackConfig(): void {
  before(() => configureProcess({ get: () => undefined }));
}
