import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reconcilePayments, type PaymentRecord } from '../../src/server/index.js';
import { buildOpStateXml, opStateRequestUrl } from '../../src/protocol/index.js';
import { nodeHasher } from '../../src/node-hasher.js';
import { PASSWORD2, checkout, form, makeApp, signed } from './helpers.js';

const LATER = () => new Date(Date.now() + 60 * 60_000);

/** A Robokassa stand-in answering OpStateExt from a table InvId -> [State code, OutSum]. */
function opStateFetch(states: Record<string, [number, string] | 'unknown' | 'down'>, seen: string[] = []): typeof fetch {
  return (async (input: string | URL | Request) => {
    const url = new URL(String(input));
    seen.push(url.href);
    const invId = url.searchParams.get('InvoiceID') ?? '';
    const entry = states[invId];
    if (entry === 'down' || entry === undefined) return new Response('bad gateway', { status: 502 });
    if (entry === 'unknown') return new Response(buildOpStateXml({ resultCode: 3, description: 'no such invoice' }));
    return new Response(buildOpStateXml({ resultCode: 0, stateCode: entry[0], outSum: entry[1] }), { headers: { 'content-type': 'text/xml' } });
  }) as typeof fetch;
}

test('reconcilePayments marks paid what OpStateExt reports paid (onPaid once), cancels what it reports cancelled', async () => {
  const t = makeApp();
  const paid = await checkout(t);
  const cancelled = await checkout(t);
  const unknown = await checkout(t);
  const down = await checkout(t);
  const wrongSum = await checkout(t);
  const seen: string[] = [];
  const hooked: PaymentRecord[] = [];
  const states = {
    [paid.invoiceId]: [100, '1500.000000'], [cancelled.invoiceId]: [10, '1500.000000'], [unknown.invoiceId]: 'unknown',
    [down.invoiceId]: 'down', [wrongSum.invoiceId]: [100, '1.000000'],
  } as Record<string, [number, string] | 'unknown' | 'down'>;
  const options = { fetch: opStateFetch(states, seen), now: LATER, onPaid: (p: PaymentRecord) => void hooked.push(p) };
  const report = await reconcilePayments(t.config, t.store, options);
  assert.deepEqual(report, { checked: 5, paid: 1, cancelled: 1, errors: 2, redelivered: 0 });
  assert.equal(seen[0], opStateRequestUrl(t.config.merchant, String(paid.invoiceId), PASSWORD2, nodeHasher));
  assert.ok(seen.every((u) => !u.includes(PASSWORD2)));
  const status = async (id: string) => ((await (await t.app.request(`/robokassa/payments/${id}`)).json()) as { status: string }).status;
  assert.equal(await status(paid.id), 'paid');
  assert.equal(await status(cancelled.id), 'cancelled');
  assert.equal(await status(unknown.id), 'pending');
  assert.equal(await status(wrongSum.id), 'pending');
  assert.deepEqual(hooked.map((p) => p.id), [paid.id]);

  // a second run doesn't touch settled payments; a late ResultURL for the paid one is a duplicate
  const again = await reconcilePayments(t.config, t.store, options);
  assert.equal(again.checked, 3);
  assert.equal(hooked.length, 1);
  const late = await t.app.request('/robokassa/result', form(signed({ outSum: '1500.000000', invId: paid.invoiceId })));
  assert.equal(await late.text(), `OK${paid.invoiceId}`);
  assert.equal(t.paid.length, 0); // the app's onPaid didn't run: the invoice was already paid
});

test('reconcilePayments leaves recent payments alone (the buyer may still be paying)', async () => {
  const t = makeApp();
  await checkout(t);
  const report = await reconcilePayments(t.config, t.store, { fetch: opStateFetch({}), minAgeMs: 10 * 60_000 });
  assert.deepEqual(report, { checked: 0, paid: 0, cancelled: 0, errors: 0, redelivered: 0 });
});
