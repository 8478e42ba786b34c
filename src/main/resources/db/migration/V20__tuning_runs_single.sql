-- One tuning run at a time, kept by the database: two runs posted at the same instant cannot both start
-- (the second insert fails on this index and is answered 409). Runs that ran side by side before are ended.
UPDATE tuning_runs SET state = 'failed', message = 'another tuning run was running at the same time', finished_at = now()
 WHERE state IN ('running', 'cancelling')
   AND id <> (SELECT id FROM tuning_runs WHERE state IN ('running', 'cancelling') ORDER BY created_at, id LIMIT 1);
CREATE UNIQUE INDEX tuning_runs_one_running ON tuning_runs ((true)) WHERE state IN ('running', 'cancelling');
