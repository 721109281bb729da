import type { ScoringSettings } from '../scoring/factors';

/** The shipped config/matching.yml scoring values, fixed here so unit tables do not move with the file. */
export const SCORING_SETTINGS: ScoringSettings = {
  weights: { text: 1, item: 3, proximity: 2, hardship: 2, waiting: 1.5, fairness: 1, capacity: 0.5 },
  sameCategory: 0.5,
  proximity: { district: 1, city: 0.6, province: 0.3, elsewhere: 0, online: 0.5 },
  hardship: {
    category: { dibao: 1, marginal: 0.7, accident: 0.8 },
    cause: {
      illness: 1,
      disability: 1,
      disaster: 0.9,
      accident: 0.9,
      schooling: 0.8,
      single_parent: 0.8,
      unemployment: 0.7,
      low_income: 0.6,
      other: 0.4,
    },
    urgency: { emergency: 1, urgent: 0.7, normal: 0.3 },
  },
  waitingSaturationDays: 60,
  fairnessReferenceFen: 200_000,
};
