import type { MediaKind } from "../content/types.js";
import { globalKey } from "../shared/keys.js";
import type { Redis } from "../shared/redis.js";
import { defineScript } from "../shared/redis-scripts.js";

/**
 * Telegram's file_id of each lesson medium, by kind and the file's sha256, shared by every group and
 * instance: a file is uploaded once per deployment, and a changed file (a new hash) once more.
 * Beside each id, a short claim so that of many sends of a new file only one uploads it.
 */
const idKey = (kind: MediaKind, sha: string) => globalKey("media", kind, sha);
const claimKey = (kind: MediaKind, sha: string) => globalKey("media", kind, sha, "upload");

/** Deletes KEYS[1] only while it still holds ARGV[1] (a refused file id, or this sender's own claim). */
const DELETE_IF = defineScript("media.delete-if", 1, `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

export function createMediaUploadsRepository(redis: Redis) {
  return {
    fileId: (kind: MediaKind, sha: string): Promise<string | null> => redis.get(idKey(kind, sha)),

    remember: async (kind: MediaKind, sha: string, fileId: string): Promise<void> => {
      await redis.set(idKey(kind, sha), fileId);
    },

    /** Forgets a file id Telegram refused, unless another sender already stored a new one. */
    forget: async (kind: MediaKind, sha: string, fileId: string): Promise<void> => {
      await DELETE_IF.run(redis, 1, idKey(kind, sha), fileId);
    },

    /** Takes the right to upload this file for `ttlMs` (a crashed uploader's claim runs out); false if someone holds it. */
    claimUpload: async (kind: MediaKind, sha: string, owner: string, ttlMs: number): Promise<boolean> =>
      (await redis.set(claimKey(kind, sha), owner, "PX", ttlMs, "NX")) === "OK",

    releaseUpload: async (kind: MediaKind, sha: string, owner: string): Promise<void> => {
      await DELETE_IF.run(redis, 1, claimKey(kind, sha), owner);
    },
  };
}

export type MediaUploadsRepository = ReturnType<typeof createMediaUploadsRepository>;
