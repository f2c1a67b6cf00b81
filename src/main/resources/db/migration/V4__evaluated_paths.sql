-- fleetward schema, version 4: exact mode's evaluated desired paths, per revision and target.
-- Same rules as V1: types and names both H2 2.x and PostgreSQL 15 accept.

-- A revision is evaluated once per target, also across restarts. Only successful evaluations are
-- kept (a failed one waits for the next revision, and a restart tries it again). A row never changes.
CREATE TABLE evaluated_path (
    revision     VARCHAR(64)  NOT NULL,
    target       VARCHAR(255) NOT NULL,
    path         VARCHAR      NOT NULL,
    evaluated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (revision, target)
);
