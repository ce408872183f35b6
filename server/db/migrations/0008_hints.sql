-- The cause a failing check diagnosed (graders/causes.ts), kept with its result so the
-- portal can head the hint with it and instructors can count causes. NULL for passes,
-- errors, skips, fails without a diagnosis, and every row written before this column.
ALTER TABLE check_results ADD COLUMN cause TEXT CHECK (cause IS NULL OR (length(cause) BETWEEN 1 AND 64));
