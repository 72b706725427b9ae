-- CSV imports committed in the background (node/service/import_jobs.h). The row is the job's
-- state for every node instance behind a load balancer: the instance that runs it writes its
-- progress here; any instance answers GET /api/admin/import/{job} from it. The file itself
-- is never stored (it holds private contacts). The outcome (succeeded, with the report) is
-- written in the import's own transaction: all or nothing, job row included.

CREATE TABLE import_job (
  job_id         uuid        PRIMARY KEY,
  created_by     text        NOT NULL,
  created_at     timestamptz NOT NULL,
  target_status  text        NOT NULL CHECK (target_status IN ('pending', 'admitted')),
  state          text        NOT NULL CHECK (state IN ('queued', 'validating', 'committing',
                                                       'succeeded', 'rejected', 'failed')),
  rows           integer     NOT NULL CHECK (rows >= 0),
  checked        integer     NOT NULL DEFAULT 0,  -- rows validated so far
  saved          integer     NOT NULL DEFAULT 0,  -- rows written inside the commit so far
  report         jsonb,                           -- once validated: the import report
  error_code     text,
  error_message  text,
  heartbeat_at   timestamptz NOT NULL,            -- last sign of life of the running instance
  finished_at    timestamptz
);
CREATE INDEX import_job_by_end ON import_job (finished_at);
