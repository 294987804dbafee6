package org.originhub.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL server for the tests, as its own process on a loopback port: Debian's {@code postgresql} binaries
 * ({@code initdb}, {@code pg_ctl}), a throw-away cluster in a temporary folder (trust authentication on 127.0.0.1
 * only, fsync off: the tests check SQL and transactions, not the disk), started once per test JVM and stopped at its
 * end. PostgreSQL refuses to run as root: as root, the cluster belongs to the {@code postgres} account the package
 * creates and its commands run through {@code runuser}. Each caller gets a database of its own
 * ({@link #newDatabase}). Missing binaries abort the test, and fail it under CI ({@code src/test/sh/run-tests.sh}
 * installs the package).
 */
public final class Postgres {
    private static Postgres server;
    private static final AtomicInteger databases = new AtomicInteger();

    private final Path dir;
    private final int port;
    private final boolean asPostgresUser;

    private Postgres(Path dir, int port, boolean asPostgresUser) {
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** The server of this test JVM, started on first use. */
    public static synchronized Postgres server() {
        if (server == null) {
            server = start();
        }
        return server;
    }

    /** A new, empty database on the server; returns its JDBC URL (user {@code postgres}, no password). */
    public String newDatabase(String prefix) {
        String name = (prefix + "_" + databases.incrementAndGet()).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", "")) {
            c.createStatement().execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return url(name);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private static Postgres start() {
        Path bin = binaries();
        try {
            boolean root = "root".equals(System.getProperty("user.name"));
            Path dir = Files.createTempDirectory("originhub-postgres-");
            int port = PartnerBroker.freePort();
            Postgres pg = new Postgres(dir, port, root);
            if (root) {
                pg.run(List.of("chown", "postgres:postgres", dir.toString()), false);
            }
            pg.run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres",
                    "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"), root);
            pg.run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-t", "60",
                    "-l", dir.resolve("server.log").toString(), "-o",
                    "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
                            + " -c full_page_writes=off -c max_connections=100",
                    "start"), root);
            Runtime.getRuntime().addShutdownHook(new Thread(pg::stop, "postgres-stop"));
            return pg;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start PostgreSQL: " + e.getMessage(), e);
        }
    }

    private void stop() {
        try {
            Path pgCtl = binaries().resolve("pg_ctl");
            run(List.of(pgCtl.toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"), asPostgresUser);
        } catch (RuntimeException | IOException e) {
            System.err.println("PostgreSQL test server did not stop: " + e);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder; the next boot clears it
        }
    }

    private void run(List<String> command, boolean asPostgres) throws IOException {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Path log = dir.resolve("commands.log");
        Process p = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", full) + " failed: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", full), e);
        }
    }

    /** The newest installed PostgreSQL's binaries (Debian: /usr/lib/postgresql/VERSION/bin). */
    private static Path binaries() {
        Path base = Path.of("/usr/lib/postgresql");
        List<Path> versions = new ArrayList<>();
        if (Files.isDirectory(base)) {
            try (Stream<Path> s = Files.list(base)) {
                s.filter(p -> Files.isExecutable(p.resolve("bin/initdb"))).forEach(versions::add);
            } catch (IOException ignored) {
                // treated as not installed
            }
        }
        if (versions.isEmpty()) {
            String why = "PostgreSQL is not installed (apt-get install -y postgresql)";
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(why);
            }
            Assumptions.abort(why);
        }
        versions.sort(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().replaceAll("\\D", "0"))));
        return versions.get(versions.size() - 1).resolve("bin");
    }
}
