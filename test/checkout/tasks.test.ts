// The shared queues behind the element's deferred work (src/checkout/tasks.ts).
import { expect, waitUntil } from '@open-wc/testing';
import { nextTask, whenIdle } from '../../src/checkout/tasks.js';

describe('tasks', () => {
  it('runs next-task callbacks after the current task, in order, each once', async () => {
    const ran: number[] = [];
    for (let i = 0; i < 5; i++) nextTask(() => ran.push(i));
    await Promise.resolve();
    expect(ran, 'not in a microtask').to.deep.equal([]);
    await waitUntil(() => ran.length === 5);
    expect(ran).to.deep.equal([0, 1, 2, 3, 4]);
    await new Promise((r) => setTimeout(r, 20));
    expect(ran).to.have.length(5);
  });

  it('a callback queued while the queue drains waits for the next turn', async () => {
    const ran: string[] = [];
    nextTask(() => {
      ran.push('a');
      nextTask(() => ran.push('c'));
    });
    nextTask(() => ran.push('b'));
    await waitUntil(() => ran.length === 3);
    expect(ran).to.deep.equal(['a', 'b', 'c']);
  });

  it('a throwing callback is reported, and the others in its turn still run', async () => {
    const errors: unknown[] = [];
    const onError = (e: ErrorEvent): void => {
      errors.push(e.error);
      e.preventDefault();
    };
    window.addEventListener('error', onError);
    const onerror = window.onerror;
    // the runner's own handler would count the reported error as a failure
    window.onerror = () => true;
    try {
      const ran: string[] = [];
      const boom = new Error('boom');
      nextTask(() => ran.push('before'));
      nextTask(() => {
        throw boom;
      });
      nextTask(() => ran.push('after'));
      whenIdle(() => {
        throw boom;
      });
      whenIdle(() => ran.push('idle'));
      await waitUntil(() => ran.length === 3 && errors.length === 2);
      expect(ran).to.deep.equal(['before', 'after', 'idle']);
      expect(errors).to.deep.equal([boom, boom]);
    } finally {
      window.removeEventListener('error', onError);
      window.onerror = onerror;
    }
  });
});
