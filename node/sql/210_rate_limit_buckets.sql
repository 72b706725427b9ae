-- The public rate limits shared by every node process on this database (issue 13, point 3;
-- node/service/shared_rate_limiter.h): one token bucket per limit and client address, in
-- the units of http/rate_limiter.h's TokenBucket (tokens left, and the clock's milliseconds
-- when they were counted). UNLOGGED: a crash of PostgreSQL empties the table, which gives
-- every client a full bucket again, and a standby holds none of it; nothing else is lost.
-- Buckets idle long enough to be full again are deleted by the limiters as they run.
CREATE UNLOGGED TABLE rate_limit_bucket (
  limit_name      text             NOT NULL,
  client_address  text             NOT NULL,
  tokens          double precision NOT NULL,
  updated_ms      bigint           NOT NULL,
  PRIMARY KEY (limit_name, client_address)
);
CREATE INDEX rate_limit_bucket_by_time ON rate_limit_bucket (limit_name, updated_ms);
