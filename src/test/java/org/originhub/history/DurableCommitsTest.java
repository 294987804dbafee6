package org.originhub.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit of the hub's H2 database survives {@code kill -9} once {@link DurableCommits} ran: a separate JVM commits
 * rows one by one and prints each id after its commit returned; it is killed with SIGKILL mid-stream; every id it
 * printed is in the database afterwards. (Without the setting, H2 lost about half a second of commits here.)
 */
class DurableCommitsTest {
    @TempDir
    Path dir;

    @Test
    void anH2UrlGetsDurableCommitsUnlessItSaysOtherwise() {
        assertThat(DurableCommits.durableUrl("jdbc:h2:file:./data/history/origin-hub;DB_CLOSE_ON_EXIT=FALSE"))
                .isEqualTo("jdbc:h2:file:./data/history/origin-hub;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        assertThat(DurableCommits.durableUrl("jdbc:h2:file:x;write_delay=100")).isEqualTo("jdbc:h2:file:x;write_delay=100");
        assertThat(DurableCommits.durableUrl("jdbc:postgresql://db/originhub")).isEqualTo("jdbc:postgresql://db/originhub");
    }

    @Test
    void everyCommitThatReturnedSurvivesSigkill() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Committer.class.getName(), url)
                .redirectErrorStream(true).start();
        int lastPrinted = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.matches("\\d+")) {
                    lastPrinted = Integer.parseInt(line);
                    if (lastPrinted >= 2000) {
                        child.destroyForcibly(); // SIGKILL while it keeps committing
                        break;
                    }
                }
            }
        }
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(lastPrinted).as("the child committed").isGreaterThanOrEqualTo(2000);

        try (Connection c = DriverManager.getConnection(url, "sa", "");
             ResultSet r = c.createStatement().executeQuery("SELECT COUNT(*), MAX(id) FROM t")) {
            r.next();
            assertThat(r.getInt(2)).as("the last committed id is on disk").isGreaterThanOrEqualTo(lastPrinted);
            assertThat(r.getInt(1)).as("no committed row is missing").isEqualTo(r.getInt(2) + 1);
        }
    }

    /** The child: makes its commits durable as the hub does, then commits one row at a time, printing each id. */
    public static final class Committer {
        public static void main(String[] args) throws Exception {
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL(DurableCommits.durableUrl(args[0]));
            ds.setUser("sa");
            try (Connection c = ds.getConnection()) {
                c.createStatement().execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(200))");
                c.setAutoCommit(false);
                PreparedStatement p = c.prepareStatement("INSERT INTO t VALUES (?, ?)");
                for (int i = 0; ; i++) {
                    p.setInt(1, i);
                    p.setString(2, "x".repeat(100));
                    p.executeUpdate();
                    c.commit();
                    System.out.println(i);
                    System.out.flush();
                }
            }
        }
    }
}
