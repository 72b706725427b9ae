-- Run once by the postgres image when its data volume is empty (docker-entrypoint-initdb.d):
-- the hub's database is POSTGRES_DB (ess_hub); one database per region node beside it. Each
-- service applies its own schema migrations at start.
CREATE DATABASE ess_node_93 OWNER ess;
CREATE DATABASE ess_node_76 OWNER ess;
