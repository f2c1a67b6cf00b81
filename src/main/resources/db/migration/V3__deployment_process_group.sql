-- fleetward schema, version 3: the process group of a deploy command run on the controller.
-- Same rules as V1: types and names both H2 2.x and PostgreSQL 15 accept.

-- Set once the command started (setsid makes it lead its own group); null for commands run over SSH
-- and for rows written before this version. A start of fleetward that finds a RUNNING row ends the
-- group if it is still alive before anything is deployed.
ALTER TABLE deployment ADD COLUMN process_group BIGINT;
