// The shared queues behind the element's deferred work (src/checkout/tasks.ts).
import { expect, waitUntil } from '@open-wc/testing';
import { inSlices, nextTask, whenIdle } from '../../src/checkout/tasks.js';

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

  /** Queues eight callbacks of 5 ms each through `queue`; returns, per callback, the task it ran in. */
  async function sliced(queue: (fn: () => void) => void): Promise<number[]> {
    const taskOf: number[] = [];
    let task = 0;
    let counted = false;
    for (let i = 0; i < 8; i++) {
      queue(() => {
        // a microtask runs only once the task's script is done: it marks the task boundary
        if (!counted) {
          counted = true;
          task++;
          queueMicrotask(() => (counted = false));
        }
        const until = performance.now() + 5;
        while (performance.now() < until);
        taskOf.push(task);
      });
    }
    await Promise.resolve();
    expect(taskOf, 'nothing in the calling task').to.deep.equal([]);
    await waitUntil(() => taskOf.length === 8, 'all ran', { timeout: 5000 });
    return taskOf;
  }

  it('runs sliced callbacks in later tasks, in order, at most a slice of 12 ms of them a task', async () => {
    const taskOf = await sliced(inSlices);
    // 5 ms each: a third starts before 12 ms are up, a fourth never does
    const perTask = taskOf.reduce<Record<number, number>>((n, t) => ({ ...n, [t]: (n[t] ?? 0) + 1 }), {});
    expect(Math.max(...Object.values(perTask))).to.be.at.most(3);
    expect(Object.keys(perTask).length).to.be.at.least(3);
    expect(taskOf).to.deep.equal([...taskOf].sort((a, b) => a - b));
  });

  it('runs idle callbacks in slices too, the rest in the next idle period', async () => {
    const taskOf = await sliced(whenIdle);
    const perTask = taskOf.reduce<Record<number, number>>((n, t) => ({ ...n, [t]: (n[t] ?? 0) + 1 }), {});
    expect(Math.max(...Object.values(perTask))).to.be.at.most(3);
    expect(Object.keys(perTask).length).to.be.at.least(3);
  });
});
