package org.originhub.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** One results line per scenario, printed and appended to {@code target/reliability/results.md}. */
final class Results {
    static final Path FILE = Path.of("target/reliability/results.md");

    private Results() {
    }

    static void record(String scenario, int sent, Tally tally, Duration drain, String layers) {
        String line = String.format("RELIABILITY %s: sent=%d delivered=%d duplicates=%d lost=%d drain=%.1fs order-violations=%d; %s",
                scenario, sent, tally.distinct(), tally.duplicates(), tally.lost(), drain.toMillis() / 1000.0,
                tally.orderViolations().size(), layers);
        System.out.println(line);
        try {
            Files.createDirectories(FILE.getParent());
            if (!Files.exists(FILE)) {
                Files.writeString(FILE, "| scenario | sent | delivered | duplicates | lost | time to drain | per-CO order violations | duplicates removed on the way | run at |\n"
                        + "|---|---|---|---|---|---|---|---|---|\n");
            }
            Files.writeString(FILE, String.format("| %s | %d | %d | %d | %d | %.1f s | %d | %s | %s |%n", scenario, sent,
                    tally.distinct(), tally.duplicates(), tally.lost(), drain.toMillis() / 1000.0, tally.orderViolations().size(),
                    layers, OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)), StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
