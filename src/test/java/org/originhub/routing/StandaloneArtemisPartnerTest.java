package org.originhub.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.originhub.OriginHubApplication;
import org.originhub.exchange.HubHeaders;
import org.originhub.support.HubProperties;
import org.originhub.support.PartnerBroker.Jms;
import org.originhub.support.StandaloneArtemis;
import org.originhub.support.Xmlsec1;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A standalone ActiveMQ Artemis (the {@code apache-artemis} distribution, its own process, made by
 * {@code artemis create}: {@link StandaloneArtemis}) as partner BR, reached over its AMQP acceptor with an account
 * that may only send to {@code hub.inbound}. The hub runs its default configuration otherwise. CODs from AR's single
 * window arrive once each, signed, verifiable by xmlsec1, with the messageId as the broker's duplicate-detection id;
 * and a resend of a message the broker already holds is dropped by the broker's own duplicate detection while the
 * hub carries on. Read back over CORE as the broker's admin.
 *
 * <p>A surefire test, not a failsafe IT: the broker starts in about 2 s and the whole class runs in about 20 s, like
 * {@link RabbitMqPartnerTest}; it needs no packaged jar.
 */
class StandaloneArtemisPartnerTest {
    static final Path COD = Path.of("samples/aladi-cod/cod-4.1.0-FormA14-AR-BR.xml");
    static final String COD_NUMBER = "ARCACA00142600073105";
    static final String QUEUE = StandaloneArtemis.QUEUE;
    static final String PARTNER_QUEUE = "partner.BR.out";

    static Path dir;
    static StandaloneArtemis artemis;
    static HubProperties hub;
    static ConfigurableApplicationContext context;
    static String source;

    @BeforeAll
    static void start() throws Exception {
        // Under target/, so that a clean removes it (journals and history take tens of MB per run).
        dir = Files.createTempDirectory(Files.createDirectories(Path.of("target/partner-tests")), "standalone-artemis-");
        source = Files.readString(COD, StandardCharsets.UTF_8);
        artemis = new StandaloneArtemis(dir.resolve("artemis")).start();
        hub = new HubProperties(dir.resolve("hub"), "hub-standalone-artemis-test", 67)
                .put("originhub.partners.BR.amqp-url", artemis.amqpUrl())
                .put("originhub.partners.BR.address", QUEUE)
                .put("originhub.partners.BR.username", StandaloneArtemis.SENDER)
                .put("originhub.partners.BR.password", StandaloneArtemis.SENDER_PASSWORD)
                .put("originhub.partners.BR.retry.initial-delay", "200ms")
                .put("originhub.partners.BR.retry.max-delay", "1s");
        context = new SpringApplicationBuilder(OriginHubApplication.class).run(hub.asArgs());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (context != null) {
                context.close();
            }
        } finally {
            if (artemis != null) {
                artemis.close();
            }
        }
    }

    @Test
    @Timeout(300)
    void threeCodsArriveOnceEachInTheStandaloneBrokerSignedWithTheirIdForDuplicateDetection() throws Exception {
        long addedBefore = messagesAdded();
        Set<String> numbers = new HashSet<>();
        for (int i = 1; i <= 3; i++) {
            numbers.add(sendCod(200 + i));
        }
        // Three within the wait, then none more: each arrived once.
        List<Message> received = artemis.receive(QUEUE, 3, 60_000);
        received.addAll(artemis.receive(QUEUE, 1, 3_000));
        assertThat(received).hasSize(3);
        assertThat(messagesAdded() - addedBefore).as("messages the broker routed to " + QUEUE).isEqualTo(3);

        Xmlsec1.assumeAvailable();
        Set<String> ids = new HashSet<>();
        Set<String> arrived = new HashSet<>();
        for (Message m : received) {
            String xml = Jms.body(m);
            String id = m.getStringProperty(HubHeaders.MESSAGE_ID);
            ids.add(id);
            assertThat(m.getStringProperty(HubHeaders.DUPLICATE_ID)).as("duplicate-detection id").isEqualTo(id);
            assertThat(m.getJMSDeliveryMode()).isEqualTo(jakarta.jms.DeliveryMode.PERSISTENT);
            assertThat(xml).contains(">" + id + "<");
            numbers.stream().filter(xml::contains).forEach(arrived::add);
            Path file = Files.writeString(dir.resolve(id + ".xml"), xml);
            Xmlsec1.Result ok = Xmlsec1.verify(file, hub.certificate("AR"));
            assertThat(ok.exitCode()).as(ok.output()).isZero();
        }
        assertThat(ids).hasSize(3).doesNotContainNull();
        assertThat(arrived).isEqualTo(numbers);
    }

    /**
     * The hub sends again a message the broker already holds (as after an acknowledgement lost on the way back): put
     * back on {@code partner.BR.out} the way {@code PartnerFlappingIT} does for the in-JVM partner. The broker drops it
     * by its duplicate-detection id and says so; the hub takes that as delivered, and the next message goes through.
     */
    @Test
    @Timeout(300)
    void resendOfAMessageTheBrokerHoldsIsDroppedByItsDuplicateDetectionAndTheNextOneArrives() throws Exception {
        sendCod(301);
        List<Message> first = artemis.receive(QUEUE, 1, 60_000);
        assertThat(first).as("the first message at the broker").hasSize(1);
        Message held = first.get(0);
        String heldId = held.getStringProperty(HubHeaders.MESSAGE_ID);
        long addedBefore = messagesAdded();

        try (Connection c = hub.hubConnectionFactory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage again = s.createTextMessage(Jms.body(held));
            for (String name : List.of(HubHeaders.MESSAGE_ID, HubHeaders.SENDER, HubHeaders.RECEIVER,
                    HubHeaders.DOCUMENT_NUMBER, HubHeaders.MESSAGE_TYPE, "JMSXGroupID")) {
                again.setStringProperty(name, held.getStringProperty(name));
            }
            // Its own id on the hub's broker (the plain id is taken there); the hub sends it with the plain messageId.
            again.setStringProperty(HubHeaders.DUPLICATE_ID, heldId + ":resent");
            s.createProducer(s.createQueue(PARTNER_QUEUE)).send(again);
        }
        // Behind the resend in the same queue (one consumer, in order): when it arrives, the resend was handled.
        String next = sendCod(302);

        List<Message> after = artemis.receive(QUEUE, 1, 60_000);
        after.addAll(artemis.receive(QUEUE, 1, 3_000));
        assertThat(after).as("only the next message arrived").hasSize(1);
        assertThat(Jms.body(after.get(0))).contains(next);
        assertThat(after.get(0).getStringProperty(HubHeaders.MESSAGE_ID)).isNotEqualTo(heldId);
        assertThat(messagesAdded() - addedBefore).as("the broker routed the next message only").isEqualTo(1);
        await("partner.BR.out empty").atMost(Duration.ofSeconds(30)).until(() -> hubQueueCount(PARTNER_QUEUE) == 0);
        assertThat(hubQueueCount("DLQ." + PARTNER_QUEUE)).as("nothing dead-lettered").isZero();
        // The broker itself refused the resend (not the hub skipping it): it logs each duplicate it drops.
        assertThat(artemis.log()).contains("Duplicate message detected").contains(heldId);
    }

    /** The account the hub was given is a sender's only: it may not read the queue it sends to. */
    @Test
    void thePartnerAccountMaySendButNotRead() throws Exception {
        JmsConnectionFactory partner = new JmsConnectionFactory(StandaloneArtemis.SENDER, StandaloneArtemis.SENDER_PASSWORD,
                artemis.amqpUrl() + "?jms.requestTimeout=15000&jms.connectTimeout=15000");
        try (Connection c = partner.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> s.createConsumer(s.createQueue(QUEUE))).isInstanceOf(JMSSecurityException.class);
        }
    }

    /** Sends the sample COD with another certificate number to AR's single-window outbox; returns the number. */
    private static String sendCod(int n) throws Exception {
        String number = String.format("ARCACA0014260%07d", n);
        Jms.sendBytes(hub.connectionFactory("sw-ar", HubProperties.SW_AR_PASSWORD), "AR.sw.outbox",
                source.replace(COD_NUMBER, number).getBytes(StandardCharsets.UTF_8));
        return number;
    }

    private static long messagesAdded() throws Exception {
        return ((Number) artemis.queueAttribute(QUEUE, "messagesAdded")).longValue();
    }

    private static long hubQueueCount(String queue) {
        var q = context.getBean(EmbeddedActiveMQ.class).getActiveMQServer().locateQueue(queue);
        return q == null ? 0 : q.getMessageCount();
    }
}
