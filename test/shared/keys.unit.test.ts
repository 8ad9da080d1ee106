import { describe, expect, it } from "vitest";
import { globalKey, groupKey, userKey } from "../../src/shared/keys.js";

describe("keys", () => {
  it("join the group's or user's hash tag and the parts with colons", () => {
    expect(groupKey(-100123, "signins", "s", 7)).toBe("sx:{g-100123}:signins:s:7");
    expect(groupKey(-5)).toBe("sx:{g-5}");
    expect(userKey(42, "groups")).toBe("sx:{u42}:groups");
    expect(globalKey("groups", "all")).toBe("sx:groups:all");
  });
});
