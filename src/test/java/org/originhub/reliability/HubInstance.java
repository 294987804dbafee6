package org.originhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.originhub.signature.DemoKeys;
import org.originhub.support.ExternalHubBroker;
import org.originhub.support.PartnerBroker;

/**
 * One hub instance on an external broker and a shared database: the packaged jar as its own process, in a folder of
 * its own (copies of {@code routes/} and {@code scale-out/hub.yml}), started, killed with SIGKILL or stopped.
 */
final class HubInstance {
    static final Path JAR = Path.of("target/origin-hub.jar").toAbsolutePath();
    static final String OPERATOR_PASSWORD = "operator-scale-out-password";

    final String name;
    final Path folder;
    final Path keys;
    final int httpPort = PartnerBroker.freePort();
    final String database;
    final String brokerUrl;
    final String partnerAmqpUrl;
    final List<String> extraArgs = new ArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();
    Process process;

    /** {@code partnerAmqpUrl}: where both partners' brokers are (the hubs' own broker in the loop configuration). */
    HubInstance(String name, Path dir, Path keys, String database, String brokerUrl, String partnerAmqpUrl) {
        this.name = name;
        this.folder = dir.resolve("hub-" + name);
        this.keys = keys;
        this.database = database;
        this.brokerUrl = brokerUrl;
        this.partnerAmqpUrl = partnerAmqpUrl;
    }

    HubInstance with(String... args) {
        extraArgs.addAll(List.of(args));
        return this;
    }

    void start() throws IOException {
        Files.createDirectories(folder.resolve("routes"));
        Files.createDirectories(folder.resolve("config"));
        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            for (Path r : routes.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Files.copy(r, folder.resolve("routes").resolve(r.getFileName()));
            }
        }
        Files.copy(Path.of("src/test/resources/scale-out/hub.yml"), folder.resolve("config/hub.yml"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-jar", JAR.toString(),
                "--spring.config.location=classpath:/application.yml,file:config/hub.yml",
                "--server.port=" + httpPort,
                "--camel.main.name=hub-" + name,
                "--spring.datasource.url=" + database,
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                "--TEST_KEYS=" + keys,
                "--TEST_BROKER_CORE=" + brokerUrl,
                "--TEST_BROKER_AMQP=" + partnerAmqpUrl,
                "--logging.level.root=WARN",
                "--logging.level.org.originhub=INFO"));
        command.addAll(extraArgs);
        process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true)
                .redirectOutput(folder.resolve("hub.log").toFile()).start();
    }

    void awaitUp() {
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/actuator/health")).build();
        await("hub instance " + name + " health UP (log: " + folder.resolve("hub.log") + ")").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("hub instance " + name + " exited: " + Files.readString(folder.resolve("hub.log")));
                    }
                    HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
                    return r.statusCode() == 200 && r.body().contains("\"UP\"");
                });
    }

    /** What this instance signed (COs and acknowledgements), from its own metrics. */
    double signed() throws Exception {
        HttpRequest prometheus = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/actuator/prometheus"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("operator:" + OPERATOR_PASSWORD).getBytes(StandardCharsets.UTF_8))).build();
        HttpResponse<String> r = http.send(prometheus, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("metrics of instance " + name).isEqualTo(200);
        return r.body().lines().filter(l -> l.startsWith("originhub_messages_total{") && l.contains("state=\"SIGNED\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    void kill() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * A scale-out test's folder under {@code target/reliability} with the demo keys of parties AR and BR in its
     * {@code keys/} (what {@code scale-out/hub.yml} reads as {@code TEST_KEYS}); checks the jar is built.
     */
    static Path testFolder(String prefix) throws IOException {
        assertThat(JAR).as("run after package: ./mvnw -B verify").exists();
        Files.createDirectories(Path.of("target/reliability"));
        Path dir = Files.createTempDirectory(Path.of("target/reliability").toAbsolutePath(), prefix);
        Path keys = Files.createDirectories(dir.resolve("keys"));
        DemoKeys.ensure("AR", keys.resolve("AR.p12"), "origin-hub-ar", "ar-key-test-password".toCharArray());
        DemoKeys.ensure("BR", keys.resolve("BR.p12"), "origin-hub-br", "br-key-test-password".toCharArray());
        return dir;
    }

    /** The broker accounts of {@code scale-out/hub.yml}, with the roles the hub's layout names. */
    static ExternalHubBroker accounts(ExternalHubBroker broker) {
        return broker.account("hub", "hub-scale-out-password", "hub")
                .account("partner-ar", "partner-ar-scale-out-password", "partner-account-partner-ar")
                .account("partner-br", "partner-br-scale-out-password", "partner-account-partner-br")
                .account("sw-ar", "sw-ar-scale-out-password", "single-window-AR")
                .account("sw-br", "sw-br-scale-out-password", "single-window-BR");
    }

    /** Brazil's single window sends the whole stream at once, over one connection, each with its messageId as duplicate id. */
    static void sendAtOnce(jakarta.jms.ConnectionFactory cf, CcdStream stream) throws jakarta.jms.JMSException {
        try (jakarta.jms.Connection c = cf.createConnection()) {
            jakarta.jms.Session s = c.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
            jakarta.jms.MessageProducer p = s.createProducer(s.createQueue("BR.sw.outbox"));
            for (CcdStream.Item item : stream.items()) {
                jakarta.jms.TextMessage m = s.createTextMessage(stream.document(item));
                m.setStringProperty(org.originhub.exchange.HubHeaders.DUPLICATE_ID, item.messageId());
                p.send(m);
            }
        }
    }
}
