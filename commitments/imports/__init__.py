"""Spreadsheet imports: analysts' updates, editors' commitments.

One path for every door (the workspace, the admin, the commands, the worker):

    reading.read_table(filename, data)       the file → a Table of rows, or ImportFileError
    <kind>.Planner(batch).plan(table, ...)   each row → a RowPlan: what it will do, problems
    <kind>.Planner(batch).apply(plans, ...)  write what the plans say (inside one transaction)
    batches.check(batch) / batches.apply(batch)
                                             run the above for a stored ImportBatch, keeping its
                                             state, counts and progress; the worker's tasks
                                             (commitments/tasks.py) call these two.

Nothing is written before the person who uploaded the file confirms; applying is all or
nothing; an import never publishes anything (updates arrive as drafts or submitted)."""
