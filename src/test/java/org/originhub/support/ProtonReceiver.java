package org.originhub.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A partner that is no broker: {@code src/test/python/partner_receiver.py}, a Qpid Proton (Python, Debian's
 * {@code python3-qpid-proton}) AMQP 1.0 server run as its own process on a loopback port. It accepts, rejects,
 * releases or modifies once, or never settles, and writes each accepted body and one line per event into its folder.
 */
public final class ProtonReceiver implements AutoCloseable {
    public static final String PYTHON = "/usr/bin/python3";
    public static final Path SCRIPT = Path.of("src/test/python/partner_receiver.py");

    private final Process process;
    private final Path out;

    private ProtonReceiver(Process process, Path out) {
        this.process = process;
        this.out = out;
    }

    /** Starts the receiver and waits until it listens. */
    public static ProtonReceiver start(int port, String mode, Path out) throws IOException {
        Files.createDirectories(out);
        Process p = new ProcessBuilder(PYTHON, SCRIPT.toString(), "--port", String.valueOf(port), "--mode", mode,
                "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(out.resolve("stdout.log").toFile()).start();
        ProtonReceiver receiver = new ProtonReceiver(p, out);
        await("the Proton receiver listening on " + port).atMost(Duration.ofSeconds(20))
                .until(() -> {
                    if (!p.isAlive()) {
                        throw new IllegalStateException("partner_receiver.py exited: " + Files.readString(out.resolve("stdout.log")));
                    }
                    return receiver.events().contains("listening");
                });
        return receiver;
    }

    /** Every event line so far ("listening", "link ...", "coordinator", "message ..."). */
    public List<String> events() {
        Path log = out.resolve("events.log");
        try {
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The "message ..." lines. */
    public List<String> messages() {
        return events().stream().filter(l -> l.startsWith("message ")).toList();
    }

    /** The bodies of the accepted messages, as files. */
    public List<Path> acceptedBodies() throws IOException {
        try (Stream<Path> files = Files.list(out)) {
            return files.filter(f -> f.getFileName().toString().startsWith("msg-")).sorted().toList();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
