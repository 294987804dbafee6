package org.originhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.originhub.OriginHubApplication;
import org.originhub.exchange.HubHeaders;
import org.originhub.inbound.Acknowledgements;
import org.originhub.signature.DemoKeys;
import org.originhub.support.PartnerBroker;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Hub killed: hub BR runs as a separate process ({@code java -jar target/origin-hub.jar} from its own working
 * directory holding copies of routes/ and its configuration, own ports and data). Brazil's single window streams 1,000
 * certificates (100 COs x 10) to its outbox; hub BR maps, signs and forwards them over AMQP to hub AR (in the test
 * JVM, two-hubs configuration), which verifies them and delivers them to AR's single-window inbox. In the middle of
 * the stream hub BR is killed with SIGKILL and started again. AR's inbox must hold each of the 1,000 exactly once.
 * The single window resends a send that failed when the hub died, with its messageId as {@code _AMQ_DUPL_ID}.
 */
class HubKilledIT {
    static final int COS = 100;
    static final int PER_CO = 10;
    static final Path JAR = Path.of("target/origin-hub.jar").toAbsolutePath();

    final Path dir;
    final Path keys;
    final Path procDir;
    final int procCore = PartnerBroker.freePort();
    final int procAmqp = PartnerBroker.freePort();
    final int farCore = PartnerBroker.freePort();
    final int farAmqp = PartnerBroker.freePort();
    final List<Path> processLogs = new ArrayList<>();

    HubKilledIT() throws IOException {
        Files.createDirectories(Path.of("target/reliability"));
        dir = Files.createTempDirectory(Path.of("target/reliability").toAbsolutePath(), "hub-killed-");
        keys = dir.resolve("keys");
        procDir = dir.resolve("hub-br-process");
    }

    @Test
    void hubKilledWithSigkillDuringAStreamOf1000AndRestartedDeliversEachExactlyOnce() throws Exception {
        assertThat(JAR).as("run after package: ./mvnw -B verify").exists();
        CcdStream stream = new CcdStream("KILL", COS, PER_CO);
        Tally tally = new Tally(stream);
        Files.createDirectories(keys);
        DemoKeys.ensure("AR", keys.resolve("AR.p12"), "origin-hub-ar", "ar-key-test-password".toCharArray());
        DemoKeys.ensure("BR", keys.resolve("BR.p12"), "origin-hub-br", "br-key-test-password".toCharArray());
        DemoKeys.ensure("CL", keys.resolve("CL.p12"), "origin-hub-cl", "cl-key-test-password".toCharArray());
        prepareProcessDirectory();

        BrokerCounter farBroker = new BrokerCounter("hub.inbound");
        ListAppender<ILoggingEvent> farDuplicates = new ListAppender<>();
        ConfigurableApplicationContext far = startFarHub();
        Process hub = null;
        AtomicBoolean receiving = new AtomicBoolean(true);
        try {
            far.getBean(EmbeddedActiveMQ.class).getActiveMQServer().registerBrokerPlugin(farBroker);
            Logger ackLog = (Logger) LoggerFactory.getLogger(Acknowledgements.class);
            ackLog.setLevel(Level.INFO);
            farDuplicates.start();
            ackLog.addAppender(farDuplicates);

            CompletableFuture<Void> receiver = CompletableFuture.runAsync(() -> receive(tally, receiving));
            hub = startProcess(1);
            awaitAccepting();

            AtomicInteger sent = new AtomicInteger();
            AtomicInteger resends = new AtomicInteger();
            java.util.Set<String> resent = java.util.concurrent.ConcurrentHashMap.newKeySet();
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> sendStream(stream, sent, resends, resent));

            await("the stream under way").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(20))
                    .until(() -> tally.distinct() >= 150 || sent.get() >= 400 || sender.isDone());
            assertThat(sender).as("still streaming when killed").isNotDone();
            int sentAtKill = sent.get();
            int deliveredAtKill = tally.distinct();
            hub.destroyForcibly(); // SIGKILL
            assertThat(hub.waitFor(30, TimeUnit.SECONDS)).isTrue();
            int exit = hub.exitValue();

            long restarted = System.nanoTime();
            hub = startProcess(2);
            sender.get(4, TimeUnit.MINUTES);
            await("all 1,000 in AR's single-window inbox").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(100))
                    .until(() -> tally.distinct() == stream.size());
            Duration drain = Duration.ofNanos(tally.lastNewArrivalNanos() - restarted);
            // Anything late (a duplicate) would come now: wait until the inbox has been quiet for 5 s.
            await("AR's inbox quiet").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                    .until(() -> System.nanoTime() - tally.lastArrivalNanos() > TimeUnit.SECONDS.toNanos(5));
            receiving.set(false);
            receiver.get(30, TimeUnit.SECONDS);

            // Nothing left behind on hub BR (restarted process) or in a dead-letter queue of either hub.
            ActiveMQConnectionFactory procHub = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + procCore, "hub", "hub-br-test-password");
            await("hub BR's queues empty").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .until(() -> browseCount(procHub, "BR.sw.outbox") + browseCount(procHub, "hub.outbound")
                            + browseCount(procHub, "partner.AR.out") == 0);
            for (String dlq : List.of("DLQ.BR.sw.outbox", "DLQ.hub.outbound", "DLQ.partner.AR.out", "DLQ.hub.inbound", "DLQ.hub.verified")) {
                assertThat(browseCount(procHub, dlq)).as("hub BR %s", dlq).isZero();
            }
            var farServer = far.getBean(EmbeddedActiveMQ.class).getActiveMQServer();
            for (String dlq : List.of("DLQ.hub.inbound", "DLQ.hub.verified", "DLQ.AR.sw.inbox")) {
                assertThat(farServer.locateQueue(dlq).getMessageCount()).as("hub AR %s", dlq).isZero();
            }

            long outboxDuplicates = countInLogs("AMQ222059");
            long receivingHubDuplicates = farDuplicates.list.stream()
                    .filter(e -> e.getFormattedMessage().contains("was received before")).count();
            Results.record("hub killed (SIGKILL, restart)", stream.size(), tally, drain, String.format(
                    "killed after %d sent / %d delivered (exit %d); the single window's send failed %d time(s) while the hub was down and it resent %d message(s); hub BR's broker dropped %d "
                            + "duplicate(s) by _AMQ_DUPL_ID; hub AR's broker dropped %d resend(s) by _AMQ_DUPL_ID; hub AR's "
                            + "messageId check stopped %d; drain measured from the restart",
                    sentAtKill, deliveredAtKill, exit, resends.get(), resent.size(), outboxDuplicates, farBroker.droppedAsDuplicate(),
                    receivingHubDuplicates));
            assertThat(tally.unknown()).isEmpty();
            assertThat(tally.duplicated()).as("duplicates in AR's inbox").isEmpty();
            assertThat(tally.lost()).as("lost").isZero();
            assertThat(tally.orderViolations()).as("per-CO order").isEmpty();
        } finally {
            receiving.set(false);
            if (hub != null) {
                hub.destroy();
                if (!hub.waitFor(30, TimeUnit.SECONDS)) hub.destroyForcibly();
            }
            far.close();
            ((Logger) LoggerFactory.getLogger(Acknowledgements.class)).detachAppender(farDuplicates);
        }
    }

    private void prepareProcessDirectory() throws IOException {
        Files.createDirectories(procDir.resolve("routes"));
        Files.createDirectories(procDir.resolve("config"));
        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            for (Path r : routes.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Files.copy(r, procDir.resolve("routes").resolve(r.getFileName()));
            }
        }
        Files.copy(Path.of("src/test/resources/two-hubs/hub-br.yml"), procDir.resolve("config/hub-br.yml"));
    }

    private Process startProcess(int run) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("hub-br-process-run" + run + ".log");
        processLogs.add(log);
        List<String> command = List.of(java, "-Xmx512m", "-jar", JAR.toString(),
                "--spring.config.location=classpath:/application.yml,file:config/hub-br.yml",
                "--camel.main.routes-include-pattern=file:routes/*.yaml",
                "--server.port=0",
                "--camel.main.name=hub-br",
                "--originhub.broker.name=hub-br-process",
                "--originhub.broker.core-port=" + procCore,
                "--originhub.broker.amqp-port=" + procAmqp,
                "--originhub.broker.data-directory=data/broker",
                "--spring.datasource.url=jdbc:h2:file:./data/history/origin-hub;DB_CLOSE_ON_EXIT=FALSE",
                "--TEST_KEYS=" + keys,
                "--TEST_AR_AMQP=amqp://127.0.0.1:" + farAmqp,
                "--logging.level.root=WARN",
                "--logging.level.org.originhub=INFO");
        return new ProcessBuilder(command).directory(procDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    private ConfigurableApplicationContext startFarHub() {
        Path hubDir = dir.resolve("hub-ar");
        return new SpringApplicationBuilder(OriginHubApplication.class).run(
                "--spring.config.location=classpath:/application.yml,classpath:/two-hubs/hub-ar.yml",
                "--server.port=0",
                "--camel.main.name=hub-ar-far",
                "--camel.main.jmx-management-name-pattern=hub-ar-far-#name#",
                "--originhub.broker.name=hub-ar-far",
                "--originhub.broker.in-vm-id=61",
                "--originhub.broker.core-port=" + farCore,
                "--originhub.broker.amqp-port=" + farAmqp,
                "--originhub.broker.data-directory=" + hubDir.resolve("broker"),
                "--spring.datasource.url=jdbc:h2:file:" + hubDir.resolve("history/origin-hub") + ";DB_CLOSE_ON_EXIT=FALSE",
                "--TEST_KEYS=" + keys,
                "--TEST_BR_AMQP=amqp://127.0.0.1:" + procAmqp,
                "--TEST_CL_AMQP=amqp://127.0.0.1:" + PartnerBroker.freePort(),
                "--logging.level.root=WARN",
                "--logging.level.org.originhub=INFO");
    }

    private ActiveMQConnectionFactory singleWindowBr() {
        return new ActiveMQConnectionFactory("tcp://127.0.0.1:" + procCore, "sw-br", "sw-br-test-password");
    }

    private void awaitAccepting() {
        await("hub BR process accepting").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().until(() -> {
                    try (Connection c = singleWindowBr().createConnection()) {
                        return true;
                    }
                });
    }

    /** Brazil's single window: a steady stream (one message every 20 ms), resending any send that failed. */
    private void sendStream(CcdStream stream, AtomicInteger sent, AtomicInteger resends, java.util.Set<String> resent) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        Connection c = null;
        try {
            for (CcdStream.Item item : stream.items()) {
                while (true) {
                    try {
                        if (c == null) c = singleWindowBr().createConnection();
                        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                        MessageProducer p = s.createProducer(s.createQueue("BR.sw.outbox"));
                        TextMessage m = s.createTextMessage(stream.document(item));
                        m.setStringProperty(HubHeaders.DUPLICATE_ID, item.messageId());
                        p.send(m);
                        s.close();
                        break;
                    } catch (JMSException e) {
                        // The hub is gone (killed): resend the same message once it is back.
                        resends.incrementAndGet();
                        resent.add(item.messageId());
                        closeQuietly(c);
                        c = null;
                        if (System.nanoTime() > deadline) throw new IllegalStateException("hub BR did not come back", e);
                        TimeUnit.MILLISECONDS.sleep(250);
                    }
                }
                sent.incrementAndGet();
                TimeUnit.MILLISECONDS.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(c);
        }
    }

    /** AR's single window: takes every certificate from its inbox and counts it by messageId. */
    private void receive(Tally tally, AtomicBoolean receiving) {
        ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + farCore, "sw-ar", "sw-ar-test-password");
        try (Connection c = cf.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("AR.sw.inbox"), "OriginHubMessageType = 'CertificateOfOrigin'");
            while (receiving.get()) {
                Message m = consumer.receive(200);
                if (m != null) tally.arrived(m.getStringProperty(HubHeaders.MESSAGE_ID));
            }
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int browseCount(ActiveMQConnectionFactory cf, String queue) throws JMSException {
        try (Connection c = cf.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try (QueueBrowser b = s.createBrowser(s.createQueue(queue))) {
                return Collections.list(b.getEnumeration()).size();
            }
        }
    }

    private long countInLogs(String text) throws IOException {
        long n = 0;
        for (Path log : processLogs) {
            try (Stream<String> lines = Files.lines(log)) {
                n += lines.filter(l -> l.contains(text)).count();
            }
        }
        return n;
    }

    private static void closeQuietly(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (JMSException ignored) {
            // already broken
        }
    }
}
