import { InlineKeyboard } from "grammy";
import { TRACKS } from "../content/types.js";
import type { GroupInfo } from "../groups/index.js";
import { encodeCallback } from "../shared/callback-data.js";
import type { T } from "./cron-words.js";
import { dayList } from "./cron-words.js";
import { MINUTES, type Flow } from "./schedule-flow.js";

export const SCHEDULE_PREFIX = "sc";

const data = (group: GroupInfo, action: string, arg: string | number = "-") => encodeCallback(SCHEDULE_PREFIX, group.id, action, arg);

/** Under the schedule: one button to start changing it. */
export function scheduleKeyboard(t: T, group: GroupInfo): InlineKeyboard {
  return new InlineKeyboard().text(t("settings-schedule-edit"), data(group, "e"));
}

/** The prompt of the flow's current step. */
export function flowText(t: T, flow: Flow): string {
  if (flow.step === "track") return t("settings-schedule-pick-track");
  const track = t(`lessons-track-${flow.track}`);
  if (flow.step === "days") return t("settings-schedule-pick-days", { track });
  const days = dayList(t, flow.days);
  if (flow.step === "hour") return t("settings-schedule-pick-hour", { track, days });
  return t("settings-schedule-pick-minute", { track, days, hour: String(flow.hour).padStart(2, "0") });
}

/** The buttons of the flow's current step, always with a cancel button. */
export function flowKeyboard(t: T, group: GroupInfo, flow: Flow): InlineKeyboard {
  const kb = new InlineKeyboard();
  switch (flow.step) {
    case "track":
      for (const track of TRACKS) kb.text(t(`lessons-track-${track}`), data(group, "t", track)).row();
      break;
    case "days":
      for (let d = 1; d <= 7; d++) {
        const name = t(`settings-weekday-${d}`);
        kb.text(flow.days.includes(d) ? `✓ ${name}` : name, data(group, "d", d));
        if (d === 4) kb.row();
      }
      kb.row().text(t("settings-schedule-next-step"), data(group, "n"));
      break;
    case "hour":
      for (let h = 0; h < 24; h++) {
        kb.text(String(h).padStart(2, "0"), data(group, "h", h));
        if (h % 6 === 5) kb.row();
      }
      break;
    case "minute":
      for (const m of MINUTES) kb.text(`${String(flow.hour).padStart(2, "0")}:${String(m).padStart(2, "0")}`, data(group, "m", m));
      break;
  }
  return kb.row().text(t("settings-schedule-cancel"), data(group, "x"));
}
