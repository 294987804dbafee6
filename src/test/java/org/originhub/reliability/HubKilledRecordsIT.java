package org.originhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.originhub.OriginHubApplication;
import org.originhub.dataset.EnvelopeCodec;
import org.originhub.dataset.v1.AcknowledgementType;
import org.originhub.exchange.HubHeaders;
import org.originhub.format.FormatContext;
import org.originhub.format.aladi.AladiCodFormat;
import org.originhub.signature.DemoKeys;
import org.originhub.support.PartnerBroker;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The hub's own records survive crashes (issue 16): hub AR runs as a separate process; Argentina's single window
 * streams real-data ALADI CODs without a MessageId (the common case) and common-dataset certificates with one, plus a
 * cancellation of one CO; hub AR is killed with SIGKILL four times mid-stream and restarted each time. Then every CO
 * reached Brazil's single window once, and hub AR's history and CO lifecycle (read from its H2 file after a clean
 * stop) hold every delivered CO once, with RECEIVED, SENT, ACKNOWLEDGED in that order, and no message that was not
 * delivered; every CO is ISSUED but the cancelled one, and a utilisation notice Brazil sends afterwards for the
 * cancelled CO is still flagged CERTIFICATE_CANCELLED.
 *
 * <p>What makes the records true (RELIABILITY.md, "The hub's own records after a crash"): H2 commits on disk when they
 * return ({@code DurableCommits}); a document without MessageId is known by an id derived from its outbox message, so
 * a redelivery after a kill continues the same history; the broker persists delivery counts, so the intake tells a
 * redelivery of its own rolled-back hop from a single window's repeat; each step is written once per message.
 */
class HubKilledRecordsIT {
    static final int CODS = 120;
    static final int CCDS = 60;
    static final int KILLS = 4;
    static final Path JAR = Path.of("target/origin-hub.jar").toAbsolutePath();
    static final EnvelopeCodec codec = new EnvelopeCodec();

    final Path dir;
    final Path keys;
    final Path procDir;
    final int procCore = PartnerBroker.freePort();
    final int procAmqp = PartnerBroker.freePort();
    final int farCore = PartnerBroker.freePort();
    final int farAmqp = PartnerBroker.freePort();
    /** Hub AR's HTTP port, the same in every run: the test reads its history API before the clean stop. */
    final int procHttp = PartnerBroker.freePort();

    /** What AR's single window sends: key (its own resend id) → document; in stream order. */
    final Map<String, byte[]> documents = new LinkedHashMap<>();
    /** The CO number of each key. */
    final Map<String, String> numbers = new LinkedHashMap<>();
    String cancelledIssueDate;
    final AtomicInteger kills = new AtomicInteger();
    final java.util.concurrent.atomic.AtomicLong lastArrival = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());

    HubKilledRecordsIT() throws IOException {
        Files.createDirectories(Path.of("target/reliability"));
        dir = Files.createTempDirectory(Path.of("target/reliability").toAbsolutePath(), "hub-killed-records-");
        keys = dir.resolve("keys");
        procDir = dir.resolve("hub-ar-process");
    }

    @Test
    void fourKillsDuringAStreamLeaveCompleteAndTrueRecords() throws Exception {
        assertThat(JAR).as("run after package: ./mvnw -B verify").exists();
        Files.createDirectories(keys);
        DemoKeys.ensure("AR", keys.resolve("AR.p12"), "origin-hub-ar", "ar-key-test-password".toCharArray());
        DemoKeys.ensure("BR", keys.resolve("BR.p12"), "origin-hub-br", "br-key-test-password".toCharArray());
        DemoKeys.ensure("CL", keys.resolve("CL.p12"), "origin-hub-cl", "cl-key-test-password".toCharArray());
        prepareProcessDirectory();
        String cancelled = buildStream();

        ConfigurableApplicationContext far = startFarHub();
        Process hub = null;
        AtomicBoolean receiving = new AtomicBoolean(true);
        Map<String, AtomicInteger> arrived = new ConcurrentHashMap<>();
        try {
            CompletableFuture<Void> receiver = CompletableFuture.runAsync(() -> receive(arrived, receiving));
            hub = startProcess(0);
            awaitAccepting();
            AtomicInteger sent = new AtomicInteger();
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> sendStream(sent));

            int total = documents.size() - 1; // the cancellation is no certificate
            for (int kill = 1; kill <= KILLS; kill++) {
                // Each kill hits a hub that is running its routes and moving certificates, not one still starting.
                int run = kill - 1;
                await("hub AR run " + run + " started").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                        .until(() -> started(run));
                int atStart = arrived.size();
                await("15 more delivered before kill " + kill).atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(20))
                        .until(() -> arrived.size() >= Math.min(total, atStart + 15) || sender.isDone());
                hub.destroyForcibly(); // SIGKILL
                assertThat(hub.waitFor(30, TimeUnit.SECONDS)).isTrue();
                kills.incrementAndGet();
                hub = startProcess(kill);
                awaitAccepting();
            }
            sender.get(5, TimeUnit.MINUTES);
            try {
                await("every CO in BR's single-window inbox").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200))
                        .until(() -> arrived.size() == total);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                Set<String> missing = new java.util.TreeSet<>(numbers.values());
                missing.removeAll(arrived.keySet());
                String queues = queueReport(far);
                hub.destroy();
                hub.waitFor(60, TimeUnit.SECONDS);
                hub = null;
                throw new AssertionError("not delivered: " + missing + "; " + queues + "; " + recordsOf(missing, far), e);
            }

            // Anything late (a duplicate) would come now: wait until BR's inbox has been quiet for 5 s.
            await("BR's inbox quiet").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                    .until(() -> System.nanoTime() - lastArrival.get() > TimeUnit.SECONDS.toNanos(5));
            receiving.set(false);
            receiver.get(30, TimeUnit.SECONDS);
            assertThat(arrived.values()).as("each CO delivered once").allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
            // The receiver is closed by now: it held the CO groups (JMSXGroupID) it consumed, and the acknowledgement below
            // belongs to the cancelled CO's group.
            // After the kills, Brazil reports the use of the cancelled CO: hub AR must still know it was cancelled.
            String utilisation = Files.readString(Path.of("samples/ccd/utilisation-br-ar-a18.xml"), StandardCharsets.UTF_8)
                    .replace("ARCACA00182600074388", cancelled).replace("2026-11-20", cancelledIssueDate);
            send(new ActiveMQConnectionFactory("tcp://127.0.0.1:" + farCore, "sw-br", "sw-br-test-password"), "BR.sw.outbox",
                    utilisation.getBytes(StandardCharsets.UTF_8), null);
            AcknowledgementType a = utilisationAcknowledgement();
            if (a == null) {
                throw new AssertionError("hub AR did not acknowledge the utilisation notice; " + queueReport(far)
                        + "; BR.sw.inbox: " + browseTypes(new ActiveMQConnectionFactory("tcp://127.0.0.1:" + farCore,
                        "hub", "hub-br-test-password"), "BR.sw.inbox"));
            }
            assertThat(a.getReason()).extracting(r -> r.getCode()).contains("CERTIFICATE_CANCELLED");
            // Acknowledgements travel on their own (BR's forwarder retries them on its schedule while hub AR is down):
            // let the exchange come to rest before the records are judged, and say what was still moving if it does not.
            awaitAcknowledgementsRecorded(total, far);
        } finally {
            receiving.set(false);
            if (hub != null) {
                hub.destroy(); // a clean stop, so the test can open hub AR's database file
                if (!hub.waitFor(60, TimeUnit.SECONDS)) hub.destroyForcibly();
            }
            far.close();
        }
        String records;
        try {
            records = checkRecords(cancelled);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + restDiagnosis, e);
        }
        System.out.println("RELIABILITY hub's records after " + kills.get() + " kills (SIGKILL, restart): " + records);
    }

    /** What the exchange looked like when the acknowledgements did not all arrive (empty when they did). */
    String restDiagnosis = "";

    /**
     * Waits (at most 2 minutes) until hub AR's history API counts every CO as ACKNOWLEDGED; if that does not happen,
     * keeps what was still in flight (hub AR's queues, hub BR's queues, both histories of the COs not acknowledged, hub
     * AR's log lines about them) for the failure message of the records check, which is the test's verdict.
     */
    private void awaitAcknowledgementsRecorded(int total, ConfigurableApplicationContext far) throws Exception {
        long start = System.nanoTime();
        try {
            await("hub AR's history: every CO acknowledged").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().until(() -> acknowledgedInHistory().size() == total);
            System.out.printf("hub AR's history API: all %d COs ACKNOWLEDGED %.1f s after the utilisation notice's answer%n",
                    total, (System.nanoTime() - start) / 1e9);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            Set<String> missing = new java.util.TreeSet<>(numbers.values());
            missing.removeAll(acknowledgedInHistory());
            StringBuilder d = new StringBuilder("not ACKNOWLEDGED after 2 min: " + missing + "; " + queueReport(far));
            var jdbc = new org.springframework.jdbc.core.JdbcTemplate(far.getBean(javax.sql.DataSource.class));
            Set<String> wanted = new java.util.HashSet<>(missing);
            for (String n : missing) {
                String summaries = api("/api/messages?party=AR&documentNumber=" + n);
                d.append("\nhub AR history of ").append(n).append(": ").append(summaries);
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(summaries).get("items").forEach(i -> {
                    String id = i.get("messageId").asText();
                    wanted.add(id);
                    try {
                        d.append("\n  ").append(api("/api/messages/" + id));
                    } catch (Exception x) {
                        d.append("\n  ").append(id).append(": ").append(x);
                    }
                });
                d.append("\nhub BR history of ").append(n).append(": ").append(jdbc.queryForList(
                        "SELECT m.message_id, m.message_type, t.state, t.route, t.reason, t.at FROM message m JOIN "
                                + "message_transition t ON t.message_id = m.message_id WHERE m.document_number = ? "
                                + "ORDER BY t.at, t.id", n));
            }
            int lines = 0;
            try (Stream<Path> logs = Files.list(dir)) {
                for (Path log : logs.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList()) {
                    for (String line : Files.readAllLines(log)) {
                        if ((wanted.stream().anyMatch(line::contains) || line.contains(" ERROR ")) && lines++ < 300) {
                            d.append("\n").append(log.getFileName()).append(": ").append(line);
                        }
                    }
                }
            }
            restDiagnosis = d.toString();
        }
    }

    /** The CO numbers hub AR's history API shows as ACKNOWLEDGED (every page). */
    private Set<String> acknowledgedInHistory() throws Exception {
        Set<String> out = new java.util.TreeSet<>();
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (int page = 0; ; page++) {
            var tree = json.readTree(api("/api/messages?party=AR&messageType=CertificateOfOrigin&state=ACKNOWLEDGED&size=200&page=" + page));
            tree.get("items").forEach(i -> out.add(i.get("documentNumber").asText()));
            if (page + 1 >= tree.get("totalPages").asInt()) return out;
        }
    }

    /** A GET on hub AR's API as its operator. */
    private String api(String path) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + procHttp + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        "operator:operator-test-password".getBytes(StandardCharsets.UTF_8))).GET().build();
        var response = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) throw new IllegalStateException(path + ": HTTP " + response.statusCode());
        return response.body();
    }

    /** Hub AR's history and lifecycle, read from its database file. */
    private String checkRecords(String cancelled) throws Exception {
        String url = "jdbc:h2:file:" + procDir.resolve("data/history/origin-hub").toAbsolutePath();
        Set<String> coNumbers = new java.util.TreeSet<>(numbers.values());
        try (var c = DriverManager.getConnection(url, "originhub", "")) {
            Map<String, List<String>> messagesByNumber = new LinkedHashMap<>();
            try (ResultSet r = c.createStatement().executeQuery("SELECT message_id, document_number FROM message "
                    + "WHERE message_type = 'CertificateOfOrigin' AND party = 'AR'")) {
                while (r.next()) {
                    messagesByNumber.computeIfAbsent(r.getString(2), k -> new ArrayList<>()).add(r.getString(1));
                }
            }
            assertThat(messagesByNumber.keySet()).as("the history knows every delivered CO, and no other").isEqualTo(coNumbers);
            PreparedStatement transitions = c.prepareStatement(
                    "SELECT state FROM message_transition WHERE message_id = ? ORDER BY at, id");
            for (Map.Entry<String, List<String>> e : messagesByNumber.entrySet()) {
                assertThat(e.getValue()).as("one message for CO %s (no phantom per attempt)", e.getKey()).hasSize(1);
                transitions.setString(1, e.getValue().get(0));
                List<String> states = new ArrayList<>();
                try (ResultSet r = transitions.executeQuery()) {
                    while (r.next()) states.add(r.getString(1));
                }
                assertThat(states).as("CO %s", e.getKey()).containsSubsequence("RECEIVED", "SENT", "ACKNOWLEDGED")
                        .doesNotContain("REJECTED", "FAILED", "DUPLICATE");
                // No phantom: each step of the way once, however often a crash made a hop redo it. (A partner may
                // truly acknowledge twice, when a resend reached its messageId check: each is its own acknowledgement.)
                assertThat(states.stream().filter(s -> !s.equals("ACKNOWLEDGED")).toList()).as("CO %s", e.getKey())
                        .doesNotHaveDuplicates();
                assertThat(states.indexOf("ACKNOWLEDGED")).as("CO %s: acknowledged after it was sent", e.getKey())
                        .isGreaterThan(states.indexOf("SENT"));
            }
            Map<String, String> lifecycle = new LinkedHashMap<>();
            try (ResultSet r = c.createStatement().executeQuery("SELECT co_number, state FROM co_certificate WHERE party = 'AR'")) {
                while (r.next()) lifecycle.put(r.getString(1), r.getString(2));
            }
            assertThat(lifecycle.keySet()).isEqualTo(coNumbers);
            lifecycle.forEach((number, state) -> assertThat(state).as("CO %s", number)
                    .isEqualTo(number.equals(cancelled) ? "CANCELLED" : "ISSUED"));
            return coNumbers.size() + " COs (" + CODS + " CODs without MessageId, " + CCDS + " ccd with one) delivered once; "
                    + "hub AR's history holds " + messagesByNumber.size() + " of them, each one message with RECEIVED, SENT, "
                    + "ACKNOWLEDGED in order and no step twice; lifecycle " + lifecycle.size() + " COs (1 CANCELLED, the rest "
                    + "ISSUED); the cancelled CO's later utilisation notice answered CERTIFICATE_CANCELLED";
        }
    }

    /** CODs without MessageId and common-dataset COs with one, interleaved, and the cancellation of the 10th COD. */
    private String buildStream() throws IOException {
        String cod = Files.readString(Path.of("samples/aladi-cod/cod-4.1.0-FormA18-AR-BR.xml"), StandardCharsets.UTF_8);
        String ccd = Files.readString(Path.of("samples/ccd/coo-br-ar-a18.xml"), StandardCharsets.UTF_8)
                .replaceAll("(Country>)AR<", "$1XX<").replaceAll("(Country>)BR<", "$1AR<").replaceAll("(Country>)XX<", "$1BR<");
        String cancelled = null;
        for (int i = 0; i < Math.max(CODS, CCDS); i++) {
            if (i < CODS) {
                String number = "ARCACA001826" + String.format("%08d", 90_000_000 + i);
                String doc = cod.replace("ARCACA00182600074211", number);
                put("cod-" + i, number, doc);
                if (i == 10) {
                    cancelled = number;
                    var issue = new AladiCodFormat().parse(doc.getBytes(StandardCharsets.UTF_8), FormatContext.of("AR")).getHeader().getDocumentIssueDate();
                    String cancel = Files.readString(Path.of("samples/ccd/status-cancel-ar-br-a18.xml"), StandardCharsets.UTF_8)
                            .replace("ARCACA00182600074388", number).replace("2026-11-20", issue.toString());
                    cancelledIssueDate = issue.toString();
                    documents.put("cancel-" + i, cancel.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (i < CCDS) {
                String number = "AR-A18-KILL-" + String.format("%05d", i);
                String id = java.util.UUID.randomUUID().toString();
                String doc = ccd.replace("BR-A18-2025-004522", number)
                        .replace("<Header>", "<Header><MessageId>" + id + "</MessageId>");
                put("ccd-" + i, number, doc);
            }
        }
        return cancelled;
    }

    private void put(String key, String number, String document) {
        documents.put(key, document.getBytes(StandardCharsets.UTF_8));
        numbers.put(key, number);
    }

    private void prepareProcessDirectory() throws IOException {
        Files.createDirectories(procDir.resolve("routes"));
        Files.createDirectories(procDir.resolve("config"));
        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            for (Path r : routes.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Files.copy(r, procDir.resolve("routes").resolve(r.getFileName()));
            }
        }
        Files.copy(Path.of("src/test/resources/two-hubs/hub-ar.yml"), procDir.resolve("config/hub-ar.yml"));
    }

    private Process startProcess(int run) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("hub-ar-process-run" + run + ".log");
        List<String> command = List.of(java, "-Xmx512m", "-jar", JAR.toString(),
                "--spring.config.location=classpath:/application.yml,file:config/hub-ar.yml",
                "--camel.main.routes-include-pattern=file:routes/*.yaml",
                "--server.port=" + procHttp,
                "--camel.main.name=hub-ar",
                "--originhub.broker.name=hub-ar-process",
                "--originhub.broker.core-port=" + procCore,
                "--originhub.broker.amqp-port=" + procAmqp,
                "--originhub.broker.data-directory=data/broker",
                "--spring.datasource.url=jdbc:h2:file:./data/history/origin-hub;DB_CLOSE_ON_EXIT=FALSE",
                "--TEST_KEYS=" + keys,
                "--TEST_BR_AMQP=amqp://127.0.0.1:" + farAmqp,
                "--TEST_CL_AMQP=amqp://127.0.0.1:" + PartnerBroker.freePort(),
                "--logging.level.root=WARN",
                "--logging.level.org.originhub=INFO");
        return new ProcessBuilder(command).directory(procDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    private ConfigurableApplicationContext startFarHub() {
        Path hubDir = dir.resolve("hub-br");
        return new SpringApplicationBuilder(OriginHubApplication.class).run(
                "--spring.config.location=classpath:/application.yml,classpath:/two-hubs/hub-br.yml",
                "--server.port=0",
                "--camel.main.name=hub-br-far",
                "--camel.main.jmx-management-name-pattern=hub-br-far-#name#",
                "--originhub.broker.name=hub-br-far",
                "--originhub.broker.in-vm-id=62",
                "--originhub.broker.core-port=" + farCore,
                "--originhub.broker.amqp-port=" + farAmqp,
                "--originhub.broker.data-directory=" + hubDir.resolve("broker"),
                "--spring.datasource.url=jdbc:h2:file:" + hubDir.resolve("history/origin-hub") + ";DB_CLOSE_ON_EXIT=FALSE",
                "--TEST_KEYS=" + keys,
                "--TEST_AR_AMQP=amqp://127.0.0.1:" + procAmqp,
                "--logging.level.root=WARN",
                "--logging.level.org.originhub=INFO");
    }

    /** Whether the process of run {@code run} has started (its routes run). */
    private boolean started(int run) throws IOException {
        Path log = dir.resolve("hub-ar-process-run" + run + ".log");
        return Files.exists(log) && Files.readString(log).contains("Started OriginHubApplication");
    }

    static final List<String> AR_QUEUES = List.of("AR.sw.outbox", "hub.outbound", "partner.BR.out", "partner.CL.out", "hub.inbound",
            "hub.verified", "AR.sw.inbox", "DLQ.AR.sw.outbox", "DLQ.hub.outbound", "DLQ.partner.BR.out", "DLQ.partner.CL.out",
            "DLQ.hub.inbound", "DLQ.hub.verified");
    static final List<String> BR_QUEUES = List.of("BR.sw.outbox", "hub.outbound", "partner.AR.out", "hub.inbound", "hub.verified",
            "BR.sw.inbox", "DLQ.BR.sw.outbox", "DLQ.hub.outbound", "DLQ.partner.AR.out", "DLQ.hub.inbound", "DLQ.hub.verified");

    /** For a failure message: every queue of hub AR (browsed: type, reason, detail) and hub BR (counts). */
    private String queueReport(ConfigurableApplicationContext far) {
        StringBuilder ar = new StringBuilder("hub AR's queues: ");
        ActiveMQConnectionFactory procHub = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + procCore, "hub", "hub-ar-test-password");
        for (String q : AR_QUEUES) {
            try {
                ar.append(q).append('=').append(browseTypes(procHub, q)).append(' ');
            } catch (Exception e) {
                ar.append(q).append("=? (").append(e).append(") ");
            }
        }
        var server = far.getBean(org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ.class).getActiveMQServer();
        ar.append("; hub BR's queues: ");
        for (String q : BR_QUEUES) {
            var queue = server.locateQueue(q);
            ar.append(q).append('=').append(queue == null ? "-" : queue.getMessageCount()).append(' ');
        }
        return ar.toString();
    }

    /** For a failure message: what both hubs' histories say of the given CO numbers (hub AR stopped first). */
    private String recordsOf(Set<String> coNumbers, ConfigurableApplicationContext far) {
        StringBuilder out = new StringBuilder();
        String sql = "SELECT m.message_id, m.message_type, t.state, t.route, t.reason, t.at FROM message m "
                + "JOIN message_transition t ON t.message_id = m.message_id WHERE m.document_number = ? ORDER BY t.at, t.id";
        try (var c = DriverManager.getConnection("jdbc:h2:file:" + procDir.resolve("data/history/origin-hub").toAbsolutePath(), "originhub", "")) {
            for (String n : coNumbers) {
                out.append("hub AR history of ").append(n).append(": ");
                try (PreparedStatement p = c.prepareStatement(sql)) {
                    p.setString(1, n);
                    try (ResultSet r = p.executeQuery()) {
                        while (r.next()) {
                            out.append(r.getString(1), 0, 8).append('/').append(r.getString(2)).append('/').append(r.getString(3))
                                    .append('/').append(r.getString(4)).append('/').append(r.getString(5)).append(' ');
                        }
                    }
                }
            }
        } catch (Exception e) {
            out.append("hub AR history unreadable: ").append(e);
        }
        var jdbc = new org.springframework.jdbc.core.JdbcTemplate(far.getBean(javax.sql.DataSource.class));
        for (String n : coNumbers) {
            out.append("; hub BR history of ").append(n).append(": ").append(jdbc.queryForList(sql, n));
        }
        return out.toString();
    }

    /** The message types (and failure reasons) on a queue, for a failure message. */
    private static List<String> browseTypes(ActiveMQConnectionFactory cf, String queue) throws JMSException {
        List<String> out = new ArrayList<>();
        try (Connection c = cf.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try (var b = s.createBrowser(s.createQueue(queue))) {
                for (Object o : java.util.Collections.list(b.getEnumeration())) {
                    Message m = (Message) o;
                    out.add(m.getStringProperty(HubHeaders.MESSAGE_TYPE) + "/" + m.getStringProperty(HubHeaders.FAILURE_REASON)
                            + "/" + m.getStringProperty(HubHeaders.FAILURE_DETAIL));
                }
            }
        }
        return out;
    }

    private ActiveMQConnectionFactory singleWindowAr() {
        return new ActiveMQConnectionFactory("tcp://127.0.0.1:" + procCore, "sw-ar", "sw-ar-test-password");
    }

    private void awaitAccepting() {
        await("hub AR process accepting").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().until(() -> {
                    try (Connection c = singleWindowAr().createConnection()) {
                        return true;
                    }
                });
    }

    /**
     * Argentina's single window: one document every 20 ms, each with its own resend id as {@code _AMQ_DUPL_ID} (the
     * README's advice), resending any send that failed while the hub was down.
     */
    private void sendStream(AtomicInteger sent) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        try {
            for (Map.Entry<String, byte[]> d : documents.entrySet()) {
                while (true) {
                    try {
                        send(singleWindowAr(), "AR.sw.outbox", d.getValue(), d.getKey());
                        break;
                    } catch (JMSException e) {
                        if (System.nanoTime() > deadline) throw new IllegalStateException("hub AR did not come back", e);
                        TimeUnit.MILLISECONDS.sleep(250); // pacing the resend while the hub restarts
                    }
                }
                sent.incrementAndGet();
                TimeUnit.MILLISECONDS.sleep(20); // the stream's pace, not a wait for a result
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(ActiveMQConnectionFactory cf, String queue, byte[] document, String resendId) throws JMSException {
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            BytesMessage m = s.createBytesMessage();
            m.writeBytes(document);
            if (resendId != null) m.setStringProperty(HubHeaders.DUPLICATE_ID, resendId);
            p.send(m);
        }
    }

    /** Brazil's single window: counts every certificate by CO number. */
    private void receive(Map<String, AtomicInteger> arrived, AtomicBoolean receiving) {
        ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + farCore, "sw-br", "sw-br-test-password");
        try (Connection c = cf.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("BR.sw.inbox"), "OriginHubMessageType = 'CertificateOfOrigin'");
            while (receiving.get()) {
                Message m = consumer.receive(200);
                if (m != null) {
                    arrived.computeIfAbsent(m.getStringProperty(HubHeaders.DOCUMENT_NUMBER), k -> new AtomicInteger()).incrementAndGet();
                    lastArrival.set(System.nanoTime());
                }
            }
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hub AR's acknowledgement of the utilisation notice, as Brazil's single window receives it (null after 60 s). */
    private AcknowledgementType utilisationAcknowledgement() throws JMSException {
        try (Connection c = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + farCore, "sw-br", "sw-br-test-password").createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("BR.sw.inbox"), "OriginHubMessageType = 'Acknowledgement'");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                Message m = consumer.receive(1000);
                if (m == null) continue;
                AcknowledgementType a = codec.read(body(m)).getBody().getAcknowledgement();
                if (a.getAcknowledgedMessageType() == org.originhub.dataset.v1.MessageTypeCode.UTILISATION_NOTICE) {
                    return a;
                }
            }
            return null;
        }
    }

    private static byte[] body(Message m) throws JMSException {
        return PartnerBroker.Jms.body(m).getBytes(StandardCharsets.UTF_8);
    }
}
