import { InlineKeyboard } from "grammy";
import { TRACKS } from "../content/types.js";
import { escapeHtml } from "../content/index.js";
import type { GroupInfo } from "../groups/index.js";
import { encodeCallback } from "../shared/callback-data.js";
import { LOCALES } from "../shared/i18n.js";
import type { T } from "./cron-words.js";
import { TIME_ZONES } from "./settings.service.js";

export const SETTINGS_PREFIX = "st";

const trackName = (t: T, track: string) => t(`lessons-track-${track}`);

/** The settings message: current values in words. `threadId` is the topic the message lives in. */
export function settingsText(t: T, group: GroupInfo): string {
  const tracks = TRACKS.map((tr) => t(group.tracksOff.includes(tr) ? "settings-track-off" : "settings-track-on", { track: trackName(t, tr) }));
  const lines = [
    t("settings-title", { group: escapeHtml(group.title) }),
    "",
    t("settings-language", { value: t(`settings-language-${group.locale}`) }),
    t("settings-timezone", { value: escapeHtml(group.timeZone) }),
    t("settings-town", { value: group.town ? escapeHtml(group.town) : t("settings-town-none") }),
    t("settings-tracks", { value: tracks.join(" ") }),
  ];
  if (group.isForum) {
    const topic = group.topicId ? t("settings-topic-id", { id: group.topicId }) : t("settings-topic-none");
    lines.push(t("settings-topic", { value: topic }));
  }
  lines.push("", t("settings-hint"));
  return lines.join("\n");
}

/** Buttons for every setting; the current choice carries a ✓. */
export function settingsKeyboard(t: T, group: GroupInfo, threadId?: number): InlineKeyboard {
  const kb = new InlineKeyboard();
  const mark = (on: boolean, label: string) => (on ? `✓ ${label}` : label);
  for (const locale of LOCALES) {
    kb.text(mark(group.locale === locale, t(`settings-language-${locale}`)), encodeCallback(SETTINGS_PREFIX, group.id, "l", locale));
  }
  kb.row();
  TIME_ZONES.forEach((zone, i) => {
    const label = zone.split("/").at(-1)?.replace(/_/g, " ") ?? zone;
    kb.text(mark(group.timeZone === zone, label), encodeCallback(SETTINGS_PREFIX, group.id, "z", i));
    if (i % 3 === 2) kb.row();
  });
  kb.row();
  for (const track of TRACKS) {
    const key = group.tracksOff.includes(track) ? "settings-track-off" : "settings-track-on";
    kb.text(t(key, { track: trackName(t, track) }), encodeCallback(SETTINGS_PREFIX, group.id, "t", track));
  }
  if (group.isForum && threadId !== undefined) {
    kb.row();
    const here = group.topicId === threadId;
    kb.text(t(here ? "settings-topic-here" : "settings-topic-button"), encodeCallback(SETTINGS_PREFIX, group.id, "p", threadId));
  }
  return kb;
}
