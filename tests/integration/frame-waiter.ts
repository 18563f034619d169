/**
 * Waiting for a stream's frames in the integration tests: `wait` resolves on
 * the first frame (from the start) that matches, or rejects after `ms` with the
 * last frames; the stream's handler calls `notify` after pushing each frame.
 */
export interface FrameWaiter<F> {
  wait(match: (f: F) => boolean, ms?: number): Promise<F>;
  notify(): void;
}

export function frameWaiter<F>(frames: F[]): FrameWaiter<F> {
  const waiters = new Set<() => void>();
  return {
    notify: () => {
      for (const w of [...waiters]) w();
    },
    wait(match, ms = 15_000) {
      return new Promise((resolve, reject) => {
        let from = 0;
        const check = () => {
          for (; from < frames.length; from++) {
            if (match(frames[from]!)) {
              clearTimeout(timer);
              waiters.delete(check);
              return resolve(frames[from]!);
            }
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching frame within ${ms} ms; last frames: ${JSON.stringify(frames.slice(-5)).slice(0, 800)}`));
        }, ms);
        waiters.add(check);
        check();
      });
    },
  };
}
