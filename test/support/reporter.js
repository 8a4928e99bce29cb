// Mocha's spec reporter, plus a JSON file with the real counts when MOCHA_RESULT_FILE is set,
// so that .ci/run can print "N passed, N failed" from mocha's own results. At the end it lists
// the slowest test files (hooks included), which is where the suite's time budget goes.

const fs = require("node:fs");
const path = require("node:path");
const Mocha = require("mocha");

const { EVENT_RUN_END, EVENT_SUITE_BEGIN, EVENT_SUITE_END } = Mocha.Runner.constants;

class SpecWithResultFile extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const secondsByFile = new Map();
    const started = new Map();
    runner.on(EVENT_SUITE_BEGIN, (suite) => {
      if (suite.file && suite.parent?.root) started.set(suite, Date.now());
    });
    runner.on(EVENT_SUITE_END, (suite) => {
      if (!started.has(suite)) return;
      const file = path.relative(process.cwd(), suite.file);
      secondsByFile.set(file, (secondsByFile.get(file) ?? 0) + (Date.now() - started.get(suite)) / 1000);
    });
    runner.once(EVENT_RUN_END, () => {
      const slowest = [...secondsByFile].sort((a, b) => b[1] - a[1]).slice(0, 15);
      const total = [...secondsByFile.values()].reduce((a, b) => a + b, 0);
      console.log(`\n  Slowest test files (of ${Math.round(total)} s in all):`);
      for (const [file, seconds] of slowest) console.log(`  ${seconds.toFixed(0).padStart(6)} s  ${file}`);
      const file = process.env.MOCHA_RESULT_FILE;
      if (!file) return;
      const { passes, failures, pending, tests } = runner.stats ?? this.stats;
      fs.writeFileSync(file, JSON.stringify({ passes, failures, pending, tests }));
    });
  }
}

module.exports = SpecWithResultFile;
