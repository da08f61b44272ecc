// Work the element puts off past its first render, batched: with many elements on a page, one
// MessageChannel and one idle callback serve them all, instead of a channel and an idle callback
// made per element in the render task. Work that may be long in sum (a render per element) runs in
// slices of a few milliseconds, so no task of it keeps input waiting.

/** How long one slice of work runs: well under a long task's 50 ms, with room for the frame after it. */
const SLICE_MS = 12;
const soon: Array<() => void> = [];
const sliced: Array<() => void> = [];
const idle: Array<() => void> = [];
let channel: MessagePort | undefined;

/** One that throws is reported, and the rest still run. */
function run(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    queueMicrotask(() => {
      throw e;
    });
  }
}

/** Runs callbacks from the front of `queue` for up to SLICE_MS; true when some are left. */
function runSlice(queue: Array<() => void>): boolean {
  const end = performance.now() + SLICE_MS;
  while (queue.length && performance.now() < end) run(queue.shift()!);
  return queue.length > 0;
}

const requestIdle = (fn: () => void): unknown => (window.requestIdleCallback ?? setTimeout)(fn);

function slice(): void {
  if (runSlice(sliced)) nextTask(slice);
}

function idleSlice(): void {
  if (runSlice(idle)) requestIdle(idleSlice);
}

/**
 * Runs `fn` in a task of its own, after the current one. A message, not a timer: a busy page's
 * message tasks would starve a timer. Callbacks queued while the queue drains wait for the next turn.
 */
export function nextTask(fn: () => void): void {
  if (soon.push(fn) > 1) return;
  if (!channel) {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      for (const f of soon.splice(0)) run(f);
    };
    channel = port2;
  }
  channel.postMessage(0);
}

/**
 * Runs `fn` in a later task, in the order given, as many callbacks a task as fit in SLICE_MS: the
 * first renders of a page of many elements in short tasks.
 */
export function inSlices(fn: () => void): void {
  if (sliced.push(fn) === 1) nextTask(slice);
}

/**
 * Runs `fn` when the page is idle (a timer where there is no requestIdleCallback, as in Safari), in
 * slices of SLICE_MS: the rest waits for the next idle period.
 */
export function whenIdle(fn: () => void): void {
  if (idle.push(fn) === 1) requestIdle(idleSlice);
}
