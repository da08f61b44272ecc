// `robokassa-checkout sign|verify|check-backend|openapi …` — the entry point; the commands live in
// cli/run.ts so tests can run them in-process.
import { run } from './cli/run.js';

process.exitCode = await run(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
