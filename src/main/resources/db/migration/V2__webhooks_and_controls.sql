-- fleetward schema, version 2: webhook deliveries and fleet-wide controls.
-- Same rules as V1: types and names both H2 2.x and PostgreSQL 15 accept.

-- Webhook deliveries already handled, so a redelivery triggers nothing. Pruned by age.
CREATE TABLE webhook_delivery (
    provider     VARCHAR(16)  NOT NULL,
    delivery_id  VARCHAR(128) NOT NULL,
    received_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (provider, delivery_id)
);

CREATE INDEX webhook_delivery_by_age ON webhook_delivery (received_at);

-- Fleet-wide switches kept across restarts (e.g. "paused"), with who set them and when.
CREATE TABLE fleet_control (
    name        VARCHAR(32)  PRIMARY KEY,
    enabled     BOOLEAN      NOT NULL,
    reason      TEXT,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
