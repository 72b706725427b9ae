-- Run once by the postgres image when its data volume is empty (docker-entrypoint-initdb.d):
-- the hub's database is POSTGRES_DB (ess_hub); one database per region node beside it. Each
-- service applies its own schema migrations at start. One role (ess, the image's
-- POSTGRES_USER) owns them all, as suits one machine; on Kubernetes each service has its own
-- cluster and owner (deploy/k8s/). A region added later needs its CREATE DATABASE by hand:
--   docker-compose exec postgres psql -U ess -d ess_hub -c 'CREATE DATABASE ess_node_52 OWNER ess'
CREATE DATABASE ess_node_93 OWNER ess;
CREATE DATABASE ess_node_76 OWNER ess;
