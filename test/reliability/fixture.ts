// The one setup and teardown of the reliability files. `reliabilityFixture()`, called in a
// describe block, registers its afterEach and the results table's hooks, and returns the
// handles a test starts what it needs with: a fresh emulator on port 0 (so each test has its own
// state), an Automation API project, a plain-CLI repository. After each test, passed or failed,
// everything it started is stopped and removed: the repositories, then the projects (not
// destroyed: the emulator is thrown away), then the emulators. A failure to clean one thing does
// not leave the others running.
import type { EmulatorOptions, RunningEmulator } from "../../emulator";
import type { AgentSpec } from "../support/justcall";
import { UserRepo } from "../support/user-repo";
import { emulator, Project, resultsTable } from "./harness";

export interface ReliabilityFixture {
  /** A fresh emulator for this test (harness.ts's defaults: a 1000/1s rate limit), closed after it. */
  emulator(options?: EmulatorOptions): Promise<RunningEmulator>;
  /** An Automation API project for this test, cleaned up after it. */
  project(name: string): Promise<Project>;
  /** A plain-CLI repository declaring `program` (a roster of agents, or JavaScript), removed after the test. */
  repo(name: string, program: AgentSpec[] | string): UserRepo;
  /** `repo(name, program)` with its stack "test" initialised, its config pointing at `emu` with `config`. */
  cli(name: string, emu: RunningEmulator, program: AgentSpec[] | string, config?: Record<string, string>): Promise<UserRepo>;
}

export function reliabilityFixture(): ReliabilityFixture {
  resultsTable();
  let emulators: RunningEmulator[] = [];
  let projects: Project[] = [];
  let repos: UserRepo[] = [];

  afterEach(async () => {
    const started = { emulators, projects, repos };
    emulators = [];
    projects = [];
    repos = [];
    const failures: unknown[] = [];
    const attempt = async (stop: () => unknown) => {
      try {
        await stop();
      } catch (err) {
        failures.push(err);
      }
    };
    for (const repo of started.repos) await attempt(() => repo.cleanup());
    for (const project of started.projects) await attempt(() => project.cleanup({ destroy: false }));
    for (const emu of started.emulators) await attempt(() => emu.close());
    if (failures.length > 0) throw failures[0];
  });

  const repo = (name: string, program: AgentSpec[] | string): UserRepo => {
    const created = typeof program === "string" ? UserRepo.programProject(name, program) : UserRepo.agentsProject(name, program);
    repos.push(created);
    return created;
  };

  return {
    async emulator(options) {
      const emu = await emulator(options);
      emulators.push(emu);
      return emu;
    },
    async project(name) {
      const project = await Project.create(name);
      projects.push(project);
      return project;
    },
    repo,
    async cli(name, emu, program, config = {}) {
      const created = repo(name, program);
      await created.initStack(emu, "test", config);
      return created;
    },
  };
}
