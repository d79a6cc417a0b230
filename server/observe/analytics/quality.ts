// Quality of a target, 0..1: its success rate, blended with the callers' average score
// (POST /v1/feedback) once there is feedback. The score's weight grows with the number of
// scores, up to an even blend at FULL_WEIGHT_SCORES, so one score cannot outweigh a thousand
// answered requests:
//   w = 0.5 × min(1, scoreCount / FULL_WEIGHT_SCORES)
//   quality = (1 − w) × successRate + w × averageScore
import type { Summary } from './types.ts';

export const FULL_WEIGHT_SCORES = 20;

export function quality(s: Pick<Summary, 'successRate' | 'score' | 'scoreCount'>): number | null {
  if (s.successRate === null) return s.score;
  if (s.score === null || s.scoreCount === 0) return s.successRate;
  const w = 0.5 * Math.min(1, s.scoreCount / FULL_WEIGHT_SCORES);
  return Math.round(((1 - w) * s.successRate + w * s.score) * 10_000) / 10_000;
}

/** Cost of one request on average (6 significant digits: cheap models cost millionths), null without requests. */
export function costPerRequest(s: Pick<Summary, 'requests' | 'cost'>): number | null {
  return s.requests > 0 ? Number((s.cost / s.requests).toPrecision(6)) : null;
}
