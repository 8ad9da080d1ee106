import { GrammyError } from "grammy";
import { expect } from "vitest";

/** The GrammyError a Bot API call is refused with (fails the test if it succeeds or fails otherwise). */
export async function refusal(p: Promise<unknown>): Promise<GrammyError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(GrammyError);
  return err as GrammyError;
}
