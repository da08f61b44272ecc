// Polling for a condition that settles on its own (a log line, a file the worker writes), shared by the
// sandbox and server tests.

/** Resolves once `check()` holds; throws naming `what` when it has not within `ms`. */
export async function until(check: () => boolean, ms = 2_000, what = 'the condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
