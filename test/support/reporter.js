// Mocha's spec reporter, plus a JSON file with the real counts when MOCHA_RESULT_FILE is set,
// so that .ci/run can print "N passed, N failed" from mocha's own results. At the end it lists
// the test files whose tests took longest (their hooks not counted: in parallel mode mocha
// reports a file's events only when it ends), which is where the suite's time budget goes.

const fs = require("node:fs");
const path = require("node:path");
const Mocha = require("mocha");

const { EVENT_RUN_END, EVENT_TEST_FAIL, EVENT_TEST_PASS } = Mocha.Runner.constants;

class SpecWithResultFile extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const secondsByFile = new Map();
    const started = Date.now();
    const count = (test) => {
      if (!test.file || typeof test.duration !== "number") return;
      const file = path.relative(process.cwd(), test.file);
      secondsByFile.set(file, (secondsByFile.get(file) ?? 0) + test.duration / 1000);
    };
    runner.on(EVENT_TEST_PASS, count);
    runner.on(EVENT_TEST_FAIL, count);
    runner.once(EVENT_RUN_END, () => {
      const slowest = [...secondsByFile].sort((a, b) => b[1] - a[1]).slice(0, 15);
      const total = [...secondsByFile.values()].reduce((a, b) => a + b, 0);
      const wall = Math.round((Date.now() - started) / 1000);
      console.log(`\n  Test files whose tests took longest (${Math.round(total)} s of tests in ${wall} s of wall time):`);
      for (const [file, seconds] of slowest) console.log(`  ${seconds.toFixed(0).padStart(6)} s  ${file}`);
      const file = process.env.MOCHA_RESULT_FILE;
      if (!file) return;
      const { passes, failures, pending, tests } = runner.stats ?? this.stats;
      fs.writeFileSync(file, JSON.stringify({ passes, failures, pending, tests }));
    });
  }
}

module.exports = SpecWithResultFile;
