package org.originhub.inbound;

import com.zaxxer.hikari.HikariDataSource;
import org.originhub.support.Postgres;

/**
 * The inbound messageId memory's tests again on PostgreSQL (a real server as its own process, {@link Postgres}), each
 * test on a new database: racing adds of one key, where PostgreSQL aborts the losing transaction, must still never fail.
 */
class InboundMessageIdsPostgresTest extends InboundMessageIdsTest {
    private String url;

    @Override
    protected void configure(HikariDataSource ds) {
        if (url == null) url = Postgres.server().newDatabase("inbound_ids");
        ds.setJdbcUrl(url);
        ds.setUsername("postgres");
        ds.setPassword("");
        ds.setMaximumPoolSize(4);
    }
}
