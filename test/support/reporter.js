// Mocha's spec reporter, plus a JSON file with the real counts when MOCHA_RESULT_FILE is set,
// so that .ci/run can print "N passed, N failed" from mocha's own results.

const fs = require("node:fs");
const Mocha = require("mocha");

class SpecWithResultFile extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const file = process.env.MOCHA_RESULT_FILE;
    if (!file) return;
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const { passes, failures, pending, tests } = runner.stats ?? this.stats;
      fs.writeFileSync(file, JSON.stringify({ passes, failures, pending, tests }));
    });
  }
}

module.exports = SpecWithResultFile;
