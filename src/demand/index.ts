import type { FeatureDefinition } from "../shared/feature.js";
import { createDemandComposer } from "./demand.composer.js";
import { createDemandRepository } from "./demand.repository.js";
import { createDemandService, type DemandService } from "./demand.service.js";
import { countySection, scheduleSection } from "./demand.texts.js";

/**
 * Training by demand: after a group's needs survey closes, its elective tracks follow what its members
 * asked for. For the console and /report: `services.demand.needsAcrossGroups()` returns, per active group
 * with a closed needs survey, `{ groupId, title, survey, closedAt, voters, topics: [{ topic, votes, pushed,
 * studied }] }` (topics most wanted first; pushed and studied count lessons on the topic since the close).
 */
export { createDemandRepository, type DemandRepository, type GroupNeeds } from "./demand.repository.js";
export { createDemandService, electiveTracks, type DemandService, type DemandView, type GroupNeedsRow, type TopicNeed } from "./demand.service.js";
export { orderRemaining, rankedTopics, topicVotes, type DemandPrefs } from "./demand-order.js";

declare module "../shared/feature.js" {
  interface FeatureApis {
    demand: DemandService;
  }
}

export const demandFeature: FeatureDefinition = {
  name: "demand",
  create({ redis, curriculum, clock, logger, config }, { groups, lessons }) {
    const demand = createDemandService({ repo: createDemandRepository(redis), groups, lessons, curriculum, clock, logger });
    return {
      api: { demand },
      composer: createDemandComposer(demand, groups),
      hooks: {
        lessonOrder: demand.order,
        surveyClosed: demand.surveyClosed,
        scheduleSection: async (group, t, organiser) => scheduleSection(t, await demand.view(group), group.timeZone, organiser),
        countySection: async (t) => [countySection(t, await demand.needsAcrossGroups(), config.defaultTimezone)],
      },
    };
  },
};
