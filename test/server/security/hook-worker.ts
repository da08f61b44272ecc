// A shop process for the hook crash test: createApp over the SQLite file in argv[2] with an onPaid hook
// that reports {hookStarted: id} and never finishes (a mailer that hangs), so the parent can SIGKILL it
// between the paid COMMIT and the hook's end. On {checkout: true} it reports {payment}; on {result: body}
// it posts that ResultURL body to its own app.
import { createApp, openSqliteStore, parseConfig } from '../../../src/server/index.js';
import { baseEnv, checkout, form } from '../helpers.js';

const file = process.argv[2]!;
const send = (m: unknown): void => void process.send?.(m);
process.on('disconnect', () => process.exit(0));

const store = openSqliteStore(file);
const config = parseConfig(baseEnv({ ROBOKASSA_DATABASE: file }));
const app = createApp(config, {
  store, log: () => undefined,
  onPaid: (p) => { send({ hookStarted: p.id }); return new Promise<void>(() => undefined); },
});
process.on('message', (m: { checkout?: boolean; result?: string }) => {
  if (m.checkout) void checkout({ app, config, store, paid: [], logs: [] }).then((payment) => send({ payment }));
  if (m.result !== undefined) void app.request('/robokassa/result', form(new URLSearchParams(m.result)));
});
send({ ready: true });
