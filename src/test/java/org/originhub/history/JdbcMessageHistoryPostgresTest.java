package org.originhub.history;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.originhub.support.Postgres;

/**
 * The same repository tests on PostgreSQL: a real server as its own process ({@link Postgres}: Debian's
 * {@code postgresql}, a throw-away cluster on a loopback port), a fresh database per test class, migrated by the
 * project's Flyway scripts and emptied (Flyway clean) before each test. Another server can be given with
 * {@code -Doriginhub.test.postgres-url=jdbc:postgresql://HOST:PORT/DB} (and {@code -Doriginhub.test.postgres-user},
 * {@code -Doriginhub.test.postgres-password}).
 */
class JdbcMessageHistoryPostgresTest extends JdbcMessageHistoryTest {
    static String url;

    @Override
    protected void configure(HikariDataSource ds) {
        synchronized (JdbcMessageHistoryPostgresTest.class) {
            if (url == null) {
                url = System.getProperty("originhub.test.postgres-url");
                if (url == null) url = Postgres.server().newDatabase("history");
            }
        }
        ds.setJdbcUrl(url);
        ds.setUsername(System.getProperty("originhub.test.postgres-user", "postgres"));
        ds.setPassword(System.getProperty("originhub.test.postgres-password", ""));
    }

    @Override
    protected void migrate(HikariDataSource ds) {
        Flyway flyway = Flyway.configure().dataSource(ds).cleanDisabled(false).load();
        flyway.clean();
        flyway.migrate();
    }
}
