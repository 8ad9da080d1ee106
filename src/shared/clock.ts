/** Time as the app sees it; tests and the scheduler's maths take it as a parameter. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
