import { GrammyError } from "grammy";
import { describe, expect, it } from "vitest";
import { refusalOf } from "../../src/lessons/push-refusals.js";
import { isRefusedFileId } from "../../src/shared/telegram-errors.js";

const refusal = (description: string, code = 400) =>
  new GrammyError("Call failed!", { ok: false, error_code: code, description }, "sendVideo", {});

describe("reading a media send's refusal", () => {
  it("no right to send photos, and no right to send other media, are two refusals a push works around", () => {
    expect(refusalOf(refusal("Bad Request: not enough rights to send photos to the chat"))).toBe("photo-rights");
    expect(refusalOf(refusal("Bad Request: not enough rights to send videos to the chat"))).toBe("media-rights");
    expect(refusalOf(refusal("Bad Request: not enough rights to send documents to the chat"))).toBe("media-rights");
    expect(refusalOf(refusal("Bad Request: not enough rights to send voice notes to the chat"))).toBe("media-rights");
    expect(refusalOf(refusal("Bad Request: not enough rights to send text messages to the chat"))).toBe("other");
  });

  it("a file_id Telegram will not send is told apart from other refusals", () => {
    expect(isRefusedFileId(refusal("Bad Request: wrong file identifier/HTTP URL specified"))).toBe(true);
    expect(isRefusedFileId(refusal("Bad Request: wrong remote file identifier specified: Wrong padding length"))).toBe(true);
    expect(isRefusedFileId(refusal("Bad Request: can't use file of type Photo as Video"))).toBe(true);
    expect(isRefusedFileId(refusal("Bad Request: FILE_REFERENCE_EXPIRED"))).toBe(true);
    expect(isRefusedFileId(refusal("Bad Request: message thread not found"))).toBe(false);
    expect(isRefusedFileId(refusal("Too Many Requests: retry after 5", 429))).toBe(false);
  });
});
