package org.originhub.history;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The same repository tests on PostgreSQL, when one is given:
 * {@code ./mvnw test -Dtest=JdbcMessageHistoryPostgresTest -Doriginhub.test.postgres-url=jdbc:postgresql://127.0.0.1:5432/originhub}
 * (optionally {@code -Doriginhub.test.postgres-user=... -Doriginhub.test.postgres-password=...}). The database is
 * emptied (Flyway clean) before each test.
 */
@EnabledIfSystemProperty(named = "originhub.test.postgres-url", matches = "jdbc:postgresql:.+")
class JdbcMessageHistoryPostgresTest extends JdbcMessageHistoryTest {

    @Override
    protected void configure(HikariDataSource ds) {
        ds.setJdbcUrl(System.getProperty("originhub.test.postgres-url"));
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
