import type { Logger } from "../shared/logger.js";
import type { GroupMoveRepository } from "./group-move.repository.js";
import type { GroupsRepository } from "./groups.repository.js";

/** A feature's part of a group's move: rewrites what it keeps outside the group's own keys. Idempotent. */
export type GroupMoveHook = (from: number, to: number) => Promise<void>;

export interface GroupMover {
  /** Moves everything of group `from` to supergroup `to`, once; safe to call again and from many places. */
  move(from: number, to: number): Promise<void>;
}

const WAIT_STEP_MS = 100;

export function createGroupMover(deps: {
  repo: GroupMoveRepository;
  groups: GroupsRepository;
  hooks: readonly GroupMoveHook[];
  logger: Logger;
  onMoved: () => void;
  /** How long a second caller waits for the mover holding the lock (ms). */
  waitMs?: number;
}): GroupMover {
  const { repo, logger } = deps;

  async function waitForOther(from: number): Promise<void> {
    const until = Date.now() + (deps.waitMs ?? 60_000);
    while (Date.now() < until) {
      if ((await repo.movedTo(from)) !== undefined) return;
      await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
    }
    throw new Error(`group ${from}: another instance's move did not finish in time`);
  }

  return {
    async move(from, to) {
      if (from === to) return;
      const token = await repo.lock(from);
      if (!token) return waitForOther(from);
      try {
        const done = await repo.movedTo(from);
        if (done === undefined) {
          // Copy, point everything at the new id, and only then say "done": a crash anywhere before
          // leaves the old keys in place and the next attempt resumes.
          const copied = await repo.copyKeys(from, to);
          await deps.groups.adoptMoved(from, to);
          for (const hook of deps.hooks) await hook(from, to);
          await repo.markMoved(from, to);
          logger.info({ from, to, keys: copied }, "group moved to its supergroup");
        }
        await repo.dropKeys(from);
      } finally {
        await repo.unlock(from, token);
      }
      deps.onMoved();
    },
  };
}
