package org.originhub.lifecycle;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.originhub.support.Postgres;

/**
 * Every lifecycle rule again on PostgreSQL (a real server as its own process, {@link Postgres}), each test on a new
 * database migrated by the project's Flyway scripts: the row locks ({@code SELECT ... FOR UPDATE}), generated keys and
 * the schema behave there as on the embedded H2.
 */
class CertificateLifecyclePostgresTest extends CertificateLifecycleTest {
    private HikariDataSource pool;

    @Override
    protected DataSource openDatabase() {
        pool = new HikariDataSource();
        pool.setJdbcUrl(Postgres.server().newDatabase("lifecycle"));
        pool.setUsername("postgres");
        pool.setPassword("");
        pool.setMaximumPoolSize(2);
        Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        return pool;
    }

    @AfterEach
    void closePool() {
        if (pool != null) pool.close();
    }
}
