-- fleetward schema, version 5: which daemon runs a deployment.
-- Same rules as V1: types and names both H2 2.x and PostgreSQL 15 accept.

-- The instance id (fleetward.instance.id, or the one kept in <data-dir>/instance-id) of the daemon
-- that started the deployment. A daemon that starts, or stops, only marks its own RUNNING rows
-- INTERRUPTED: with several daemons on one PostgreSQL another daemon's running deployment is not
-- its to end. Null for rows written before this version, which only one daemon can have written:
-- any daemon may close those.
ALTER TABLE deployment ADD COLUMN owner VARCHAR(128);

-- Start-up looks for its own RUNNING rows.
CREATE INDEX deployment_by_outcome_owner ON deployment (outcome, owner);
