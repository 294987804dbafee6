package org.originhub.benchmark;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.originhub.support.HubProperties;
import org.originhub.support.PartnerBroker;

/**
 * The packaged hub ({@code target/origin-hub.jar}) as its own process, started as HubKilledIT starts it: from its own
 * working directory holding copies of {@code routes/} and {@code config/application.yml}, its own ports, keys under
 * {@code data/keys}, secrets by environment variables. Measures its start-up (process start to {@code /actuator/health}
 * UP, which the web server answers only once the context, with the Camel routes, has started), its peak RSS
 * ({@code VmHWM} of {@code /proc/<pid>/status}) and its peak heap (the largest heap occupancy before a collection in
 * the JVM's own GC log, {@code -Xlog:gc}: the exact peak, at no cost to the hub, unlike polling).
 */
final class HubProcess implements AutoCloseable {
    static final Path JAR = Path.of("target/origin-hub.jar").toAbsolutePath();
    private static final Pattern GC_LINE = Pattern.compile("\\) (\\d+)M->(\\d+)M\\((\\d+)M\\)");

    final Path dir;
    final int httpPort = PartnerBroker.freePort();
    final int corePort = PartnerBroker.freePort();
    final int amqpPort = PartnerBroker.freePort();
    private final Process process;
    private final long startedNanos;
    private long healthUpNanos;

    /**
     * Starts the hub; {@code partnerArgs} are Spring Boot arguments on top of the default configuration, or null for
     * the default loop (both partners are this hub's own AMQP acceptor, on the port chosen here rather than 5672).
     */
    HubProcess(Path dir, List<String> jvmArgs, List<String> partnerArgs) throws IOException {
        this(dir, JAR, jvmArgs, partnerArgs);
    }

    /** As above, running {@code jar} (the packaged jar, or the one extracted by Spring Boot's jar tools). */
    HubProcess(Path dir, Path jar, List<String> jvmArgs, List<String> partnerArgs) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir.resolve("routes"));
        Files.createDirectories(dir.resolve("config"));
        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            for (Path r : routes.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Files.copy(r, dir.resolve("routes").resolve(r.getFileName()));
            }
        }
        // Spring Boot reads ./config/application.yml from the working directory: the default deployment configuration.
        Files.copy(Path.of("config/application.yml"), dir.resolve("config/application.yml"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmArgs);
        command.add("-Xlog:gc:file=gc.log");
        command.addAll(List.of("-jar", jar.toString(),
                "--server.port=" + httpPort,
                "--originhub.broker.core-port=" + corePort,
                "--originhub.broker.amqp-port=" + amqpPort,
                "--logging.level.root=WARN",
                "--logging.level.org.originhub=INFO"));
        if (partnerArgs != null) {
            command.addAll(partnerArgs);
        } else {
            command.add("--originhub.partners.AR.amqp-url=" + amqpUrl());
            command.add("--originhub.partners.BR.amqp-url=" + amqpUrl());
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("hub.log").toFile()));
        Map<String, String> env = pb.environment();
        for (String secret : HubProperties.SECRETS) {
            int eq = secret.indexOf('=');
            env.put(secret.substring(0, eq), secret.substring(eq + 1));
        }
        startedNanos = System.nanoTime();
        process = pb.start();
    }

    /** Waits for health UP and returns the start-up time in seconds. */
    double awaitUp() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/actuator/health"))
                .timeout(Duration.ofSeconds(5)).build();
        await("hub health UP (log: " + dir.resolve("hub.log") + ")").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
                    if (!process.isAlive()) throw new IllegalStateException("hub exited: " + process.exitValue());
                    HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
                    return r.statusCode() == 200 && r.body().contains("\"UP\"");
                });
        healthUpNanos = System.nanoTime();
        return (healthUpNanos - startedNanos) / 1e9;
    }

    /** Waits for the process to end by itself (a training run); returns its exit code. */
    int awaitExit(Duration atMost) throws InterruptedException {
        if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the hub did not exit within " + atMost + " (log: " + dir.resolve("hub.log") + ")");
        }
        return process.exitValue();
    }

    ActiveMQConnectionFactory connectionFactory(String user, String password) {
        return new ActiveMQConnectionFactory("tcp://127.0.0.1:" + corePort, user, password);
    }

    String amqpUrl() {
        return "amqp://127.0.0.1:" + amqpPort;
    }

    /** Peak resident set size since the process started (VmHWM), in MB. */
    double peakRssMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    /** The largest heap occupancy before any collection so far (the GC log's "before" figure), in MB. */
    double peakHeapMb() throws IOException {
        Path log = dir.resolve("gc.log");
        if (!Files.exists(log)) return Double.NaN;
        double peak = 0;
        for (String line : Files.readAllLines(log)) {
            Matcher m = GC_LINE.matcher(line);
            if (m.find()) peak = Math.max(peak, Double.parseDouble(m.group(1)));
        }
        return peak;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
