import type { BotContext } from "../shared/context.js";
import { FLOOD_LUA, floodVerdict, type FloodVerdict } from "./floods.repository.js";
import type { PressToll } from "./press-toll.types.js";

export type { PressToll };
import { ROSTER_LUA } from "../groups/groups.repository.js";

/**
 * What a feature's script is told it owes: the toll's 7 keys and 9 arguments, placed after its own. The
 * repository that ran them sets `taken` (a service may answer without its script: then the toll is paid alone).
 */
export interface TollPart { keys: string[]; args: string[]; taken: boolean }
export const TOLL_KEYS = 7;

/**
 * `pay_toll_at(firstKey, firstArg)`: the toll whose keys and arguments start at those KEYS/ARGV indexes.
 * Returns 0 (let through; the roster touched) or the flood guard's code (1, 2, 3: over a limit; nothing written).
 */
export const PRESS_TOLL_LUA = `${FLOOD_LUA}${ROSTER_LUA}
local function pay_toll_at(ki, ai)
  if ARGV[ai] ~= '1' then
    local code = take_flood({KEYS[ki], KEYS[ki + 1], KEYS[ki + 2], KEYS[ki + 3]}, tonumber(ARGV[ai + 1]), tonumber(ARGV[ai + 2]), tonumber(ARGV[ai + 3]), ARGV[ai + 4])
    if code ~= 0 then return code end
  end
  if ARGV[ai + 5] == '1' then touch_roster({KEYS[ki + 4], KEYS[ki + 5], KEYS[ki + 6]}, ARGV[ai + 6], ARGV[ai + 7], ARGV[ai + 8]) end
  return 0
end
`;

/** The toll's keys and arguments for a feature's script (its flood part skipped when waived). */
export function tollPart(toll: PressToll): TollPart {
  const roster = toll.roster;
  return {
    // Without a roster touch its keys are unused: the flood's stand in (same slot).
    keys: [...toll.flood.keys, ...(roster?.keys ?? toll.flood.keys.slice(0, 3))],
    args: [toll.waived ? "1" : "0", ...toll.flood.args, roster ? "1" : "0", ...(roster?.args ?? ["", "", ""])],
    taken: false,
  };
}

/** A script's refusal for the toll: over a flood limit, nothing done. */
export interface TollRefused { kind: "flood"; verdict: FloodVerdict }
export const tollRefused = (code: unknown): TollRefused => ({ kind: "flood", verdict: floodVerdict(code) });

/**
 * Runs a press's effect with its toll inside (`run` gets the toll's part for its script, or undefined
 * when the press owes none). Over a flood limit the press is answered here ("slow down") and undefined
 * returned; an organiser's press runs again with the flood part waived.
 */
export async function payingToll<R extends { kind: string }>(ctx: BotContext, run: (toll: TollPart | undefined) => Promise<R | TollRefused>): Promise<R | undefined> {
  const toll = ctx.pressToll;
  if (!toll) return (await run(undefined)) as R;
  const part = tollPart(toll);
  let r = await run(part);
  toll.paid = part.taken;
  if (r.kind === "flood") {
    if (!(await toll.trusted())) {
      const verdict = (r as TollRefused).verdict;
      ctx.log.info({ kind: "press", chat: ctx.chat?.id, user: ctx.from?.id, verdict }, "over a flood limit");
      await ctx.answerCallbackQuery({ text: ctx.t("floods-press-slow") });
      return undefined;
    }
    toll.waived = true;
    const again = tollPart(toll);
    r = await run(again);
    toll.paid = again.taken;
  }
  return r as R;
}

/** The toll paid the old way, for a press whose handler ran no tolled script (its answer is already out). */
export async function payTollAlone(toll: PressToll): Promise<void> {
  toll.paid = true;
  await Promise.all([toll.waived ? undefined : toll.floodAlone(), toll.roster?.alone()]);
}
