// The sandbox's memory is bounded: the oldest operations are evicted past the cap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { opStateRequestUrl, parseOpStateXml } from '../../src/protocol/index.js';
import { nodeHasher } from '../../src/node-hasher.js';
import { OperationStore, type Operation } from '../../src/sandbox/store.js';
import { INDEX_URL, SANDBOX, makeSandbox, open, signed } from './support.js';

const SETTINGS = { merchantLogin: 'demo-shop', hashAlgorithm: 'md5' as const, region: 'kz' as const, test: true, paymentUrl: INDEX_URL };

test('past maxOperations the oldest operations are forgotten, the newest kept', async () => {
  const sb = makeSandbox({ maxOperations: 5 });
  const pages: string[] = [];
  for (let i = 1; i <= 20; i++) pages.push(await open(sb, signed({ invId: i }).form.fields));
  for (const [i, page] of pages.entries()) {
    const res = await sb.app.request(`${SANDBOX}${page}`);
    assert.equal(res.status, i < 15 ? 404 : 200, `payment ${i + 1}`);
  }
  const forgotten = await sb.app.request(opStateRequestUrl(SETTINGS, '1', 'demo-password-2', nodeHasher));
  assert.equal(parseOpStateXml(await forgotten.text()).resultCode, 3);
  const kept = await sb.app.request(opStateRequestUrl(SETTINGS, '20', 'demo-password-2', nodeHasher));
  assert.equal(parseOpStateXml(await kept.text()).resultCode, 0);
});

function op(n: number): Operation {
  const at = new Date(0);
  return { token: `t${n}`, opKey: `k${n}`, invId: String(n), outSum: '1.00', description: '', culture: 'en', email: '', shp: [], test: true,
    createdAt: at, stateAt: at, status: 'pending' };
}

test('the store never holds more than its cap, through many payments', () => {
  const store = new OperationStore(1000);
  for (let i = 0; i < 50_000; i++) {
    store.add(op(i));
    assert.ok(store.size <= 1000);
  }
  assert.equal(store.size, 1000);
  assert.equal(store.get('t49999')?.invId, '49999');
  assert.equal(store.get('t49000')?.invId, '49000');
  assert.equal(store.get('t48999'), undefined);
  assert.equal(store.byInvId('10'), undefined);
});

test('the least recently used goes first: a page in use survives', () => {
  const store = new OperationStore(3);
  store.add(op(1));
  store.add(op(2));
  store.add(op(3));
  store.get('t1'); // the buyer is still on page 1
  store.add(op(4));
  assert.ok(store.get('t1'));
  assert.equal(store.get('t2'), undefined);
});
