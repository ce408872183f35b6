// The exercise resource as the API shows it: what a learner may see before starting
// (never setup, solution, variants or mistakes).
import { z } from 'zod';
import { NextCursor } from '../pagination/cursor.ts';
import { exerciseId } from '../../catalog/schema.ts';

export const ExerciseParams = z.object({ id: exerciseId });

export const ExerciseSummary = z.object({
  id: z.string(),
  title: z.string(),
  summary: z.string(),
  order: z.number().int(),
  minutes: z.number().int(),
  images: z.array(z.string()),
  checkCount: z.number().int(),
  totalPoints: z.number(),
});

export const ExerciseList = z.object({ exercises: z.array(ExerciseSummary), nextCursor: NextCursor });

export const CheckSummary = z.object({
  id: z.string(),
  title: z.string(),
  points: z.number(),
  needs: z.array(z.string()),
  hint: z.string(),
});

export const ExerciseDetail = ExerciseSummary.extend({
  checks: z.array(CheckSummary),
  instructions: z.object({
    markdown: z.string(),
    /** Rendered with raw HTML escaped; safe to insert into a page. */
    html: z.string(),
  }),
});
