-- Inbound messageId memory (org.originhub.inbound.InboundMessageIds): the partner messages this hub delivered, so a
-- repeat is acknowledged again but not delivered again. V200 so that it never clashes with the message-history
-- (V1..V99) and lifecycle (V100..V199) migrations. Plain SQL valid on H2 2.x and PostgreSQL 12+.
--
-- Kept by time, never by count: a row is purged once it is older than originhub.inbound.max-message-age plus a
-- margin. A message older than that window is refused anyway (STALE_MESSAGE), so the table covers every message that
-- could still be accepted.

CREATE TABLE inbound_message_id (
    idempotency_key VARCHAR(200)             NOT NULL,  -- sender country + ':' + the partner's MessageId
    received_at     TIMESTAMP WITH TIME ZONE NOT NULL,  -- when this hub remembered it (its delivery committed)
    CONSTRAINT pk_inbound_message_id PRIMARY KEY (idempotency_key)
);

CREATE INDEX ix_inbound_message_id_received_at ON inbound_message_id (received_at);
