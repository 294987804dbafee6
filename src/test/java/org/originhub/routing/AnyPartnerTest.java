package org.originhub.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.camel.component.amqp.AMQPComponent;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.originhub.OriginHubApplication;
import org.originhub.exchange.HubHeaders;
import org.originhub.exchange.RejectionReason;
import org.originhub.support.HubProperties;
import org.originhub.support.PartnerBroker;
import org.originhub.support.PartnerBroker.Jms;
import org.originhub.support.ProtonReceiver;
import org.originhub.support.Xmlsec1;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The hub delivering to a partner that is no Artemis and supports no AMQP transactions: a Qpid Proton (Python) AMQP
 * 1.0 server as partner BR ({@link ProtonReceiver}), restarted on the same port in another mode for each test. ALADI
 * CODs go to {@code AR.sw.outbox} (AR's single window) and are forwarded to BR. Proves: accepted messages arrive once
 * each, durable, sent unsettled, without a transaction coordinator, signed and verifiable by xmlsec1; a rejection
 * dead-letters with the partner's condition and description; released and modified are retried until accepted; a
 * partner that never settles is retried (bounded by the send timeout, counted in the metrics, nothing dead-lettered)
 * and the hub still stops within the stated bound.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AnyPartnerTest {
    static final Path COD = Path.of("samples/aladi-cod/cod-4.1.0-FormA14-AR-BR.xml");
    static final String COD_ID = "ARCACA00142600073105";
    /** README, "Reliability": a hub stop waits for no partner; 10 s covers the hub's own shutdown and a 1 s close-timeout. */
    static final Duration SHUTDOWN_BOUND = Duration.ofSeconds(10);

    static Path dir;
    static int port;
    static HubProperties hub;
    static ConfigurableApplicationContext context;
    static ProtonReceiver receiver;
    static int cods;

    @BeforeAll
    static void startHub() throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "any-partner");
        port = PartnerBroker.freePort();
        receiver = ProtonReceiver.start(port, "accept", dir.resolve("rx-accept"));
        hub = new HubProperties(dir.resolve("hub"), "hub-any-partner-test", 60)
                .put("originhub.partners.BR.amqp-url", "amqp://127.0.0.1:" + port)
                .put("originhub.partners.BR.username", "")
                .put("originhub.partners.BR.retry.initial-delay", "200ms")
                .put("originhub.partners.BR.retry.max-delay", "500ms")
                .put("originhub.partners.BR.connect-timeout", "2s")
                .put("originhub.partners.BR.send-timeout", "2s")
                .put("originhub.partners.BR.close-timeout", "1s");
        context = new SpringApplicationBuilder(OriginHubApplication.class).run(hub.asArgs());
    }

    @AfterAll
    static void stop() throws Exception {
        if (context != null) {
            context.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    static void switchReceiver(String mode) throws Exception {
        receiver.close();
        receiver = ProtonReceiver.start(port, mode, dir.resolve("rx-" + mode));
    }

    /** A COD of its own (its own certificate number, so that the CO lifecycle takes each as a new CO). */
    static String sendCod() throws Exception {
        String id = String.format("ARCACA0014260%07d", ++cods);
        String xml = Files.readString(COD, StandardCharsets.UTF_8).replace(COD_ID, id);
        Jms.sendBytes(hub.connectionFactory("sw-ar", HubProperties.SW_AR_PASSWORD), "AR.sw.outbox", xml.getBytes(StandardCharsets.UTF_8));
        return id;
    }

    static int browse(String queue) throws Exception {
        try (Connection c = hub.hubConnectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try (QueueBrowser b = s.createBrowser(s.createQueue(queue))) {
                return Collections.list(b.getEnumeration()).size();
            }
        }
    }

    static double failures(String kind) {
        var counter = context.getBean(MeterRegistry.class).find("originhub.partner.send.failures")
                .tags("partner", "BR", "kind", kind).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    @Order(0)
    void rootCauseACamelAmqpComponentInheritsTheHubsJmsTransactionSettings() {
        // Why the old forwarder used an AMQP transaction: Camel Spring Boot's camel.component.jms.* customizer applies
        // to every JmsComponent, and AMQPComponent is one, so a partner's component came out transacted (and with the
        // hub's transaction settings): its JmsTemplate opened a transacted session (a coordinator link) on the partner.
        // The hub's customizers, applied as Camel applies them to a component it adds (done explicitly here, so the
        // proof does not depend on when the running context applies them).
        AMQPComponent probe = new AMQPComponent(new JmsConnectionFactory("amqp://127.0.0.1:1"));
        probe.setCamelContext(context.getBean(org.apache.camel.CamelContext.class));
        List<String> applied = new java.util.ArrayList<>();
        context.getBeansOfType(ComponentCustomizer.class).forEach((name, customizer) -> {
            if (customizer.isEnabled("amqp-br", probe)) {
                customizer.configure("amqp-br", probe);
                applied.add(name);
            }
        });
        assertThat(applied).as("customizers that apply to an AMQPComponent").contains("configureJmsComponent");
        assertThat(probe.getConfiguration().isTransacted()).isTrue();
        assertThat(probe.getConfiguration().isLazyCreateTransactionManager()).isFalse();
    }

    @Test
    @Order(1)
    void acceptedCodsArriveOnceEachDurableUnsettledWithoutTransactionAndVerifiableByXmlsec1() throws Exception {
        for (int i = 0; i < 3; i++) {
            sendCod();
        }
        await("3 CODs accepted by the Proton receiver").atMost(Duration.ofSeconds(60))
                .until(() -> receiver.acceptedBodies().size() >= 3 && browse("partner.BR.out") == 0);
        List<String> messages = receiver.messages();
        assertThat(messages).hasSize(3).allMatch(l -> l.endsWith(" accepted"))
                .allMatch(l -> l.contains("durable=True")).allMatch(l -> l.contains("settled=False"));
        // Each carries the hub's messageId as _AMQ_DUPL_ID (for Artemis partners): 3 distinct, each its body's.
        assertThat(messages.stream().map(l -> l.split(" ")[2]).distinct()).hasSize(3);
        for (String l : messages) {
            Path body = receiver.acceptedBodies().get(0).resolveSibling("msg-" + l.split(" ")[1] + ".xml");
            assertThat(Files.readString(body)).contains(">" + l.split(" ")[2] + "<");
        }
        assertThat(receiver.events()).as("no AMQP transaction coordinator on the partner's connection")
                .doesNotContain("coordinator");
        Xmlsec1.assumeAvailable();
        for (Path body : receiver.acceptedBodies()) {
            Xmlsec1.Result ok = Xmlsec1.verify(body, hub.certificate("AR"));
            assertThat(ok.exitCode()).as(ok.output()).isZero();
        }
    }

    @Test
    @Order(2)
    void aRejectionDeadLettersWithThePartnersConditionAndDescription() throws Exception {
        switchReceiver("reject");
        String id = sendCod();
        List<Message> dead = Jms.receive(hub.hubConnectionFactory(), "DLQ.partner.BR.out", 1, 60_000);
        assertThat(dead).hasSize(1);
        Message m = dead.get(0);
        assertThat(m.getStringProperty(HubHeaders.FAILURE_REASON)).isEqualTo(RejectionReason.PARTNER_REJECTED.name());
        assertThat(m.getStringProperty(HubHeaders.FAILURE_DETAIL))
                .contains("amqp:precondition-failed").contains("CO refused by partner test: unknown certificate series");
        assertThat(Jms.body(m)).contains(id);
        assertThat(receiver.messages()).as("not retried").hasSize(1).allMatch(l -> l.endsWith(" rejected"));
    }

    @Test
    @Order(3)
    void releasedIsRetriedUntilAccepted() throws Exception {
        retriedUntilAccepted("release-once", "released");
    }

    @Test
    @Order(4)
    void modifiedIsRetriedUntilAccepted() throws Exception {
        retriedUntilAccepted("modify-once", "modified");
    }

    private void retriedUntilAccepted(String mode, String outcome) throws Exception {
        switchReceiver(mode);
        double before = failures("released");
        sendCod();
        await(outcome + ", then accepted").atMost(Duration.ofSeconds(60))
                .until(() -> receiver.acceptedBodies().size() == 1 && browse("partner.BR.out") == 0);
        List<String> messages = receiver.messages();
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0)).endsWith(" " + outcome);
        assertThat(messages.get(1)).endsWith(" accepted");
        assertThat(messages.get(0).split(" ")[2]).isEqualTo(messages.get(1).split(" ")[2]);
        assertThat(browse("DLQ.partner.BR.out")).isZero();
        assertThat(failures("released")).isEqualTo(before + 1);
    }

    @Test
    @Order(5)
    void aPartnerThatNeverSettlesIsRetriedAndDoesNotHoldUpShutdown() throws Exception {
        switchReceiver("never-settle");
        sendCod();
        // send-timeout 2 s: each attempt gives up after it and the retry schedule tries again.
        await("three unsettled attempts").atMost(Duration.ofSeconds(60)).until(() -> receiver.messages().size() >= 3);
        assertThat(receiver.messages()).allMatch(l -> l.endsWith(" unsettled"));
        assertThat(failures("timeout")).isGreaterThanOrEqualTo(2);
        assertThat(browse("DLQ.partner.BR.out")).as("nothing dead-lettered while retrying").isZero();
        // The connection probe alone would say UP: the receiver takes connections. The sends say otherwise.
        var health = ((org.springframework.boot.actuate.health.HealthIndicator) context.getBean("partners",
                org.springframework.boot.actuate.health.CompositeHealthContributor.class).getContributor("BR")).health();
        assertThat(health.getStatus()).isEqualTo(org.springframework.boot.actuate.health.Status.DOWN);
        assertThat(health.getDetails()).containsKey("connectMillis").containsEntry("lastFailureKind", "timeout")
                .containsKey("sendsFailingSince").containsEntry("lastAnswerOutcome", "accepted");

        long start = System.nanoTime();
        context.close();
        Duration closing = Duration.ofNanos(System.nanoTime() - start);
        context = null;
        System.out.println("ANY-PARTNER: hub closed in " + closing.toMillis() + " ms while partner BR never settles");
        assertThat(closing).isLessThan(SHUTDOWN_BOUND);
    }
}
