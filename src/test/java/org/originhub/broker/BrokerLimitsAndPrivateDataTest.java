package org.originhub.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.originhub.support.HubProperties;
import org.originhub.support.HubSpringBootTest;
import org.originhub.support.PartnerBroker.Jms;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole hub with a small document limit: the broker's data folders and the history database's folder are
 * owner-only; a message above the limit is refused at send, over AMQP (a partner to {@code hub.inbound}) and over CORE
 * (a single window to its outbox), as a plain and as a streamed large message, and reaches no queue; a CO below the
 * limit still goes all the way through.
 */
@HubSpringBootTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokerLimitsAndPrivateDataTest {
    static final int MAX_DOCUMENT = 40_000;
    /** Above the broker's limit (document limit + margin), below Artemis' 100 KiB large-message threshold. */
    static final int OVERSIZE = 80_000;
    /** Above the large-message threshold: CORE and AMQP stream it to the large-messages folder. */
    static final int OVERSIZE_LARGE = 300_000;

    static HubProperties hub;
    static Path dir;

    @DynamicPropertySource
    static void hubProperties(DynamicPropertyRegistry registry) throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "broker-limits").resolve("hub");
        hub = new HubProperties(dir, "hub-limits-test", 59)
                .put("originhub.limits.max-message-bytes", String.valueOf(MAX_DOCUMENT));
        hub.asMap().forEach((k, v) -> registry.add(k, () -> v));
    }

    @Autowired
    EmbeddedActiveMQ broker;

    @Test
    @Order(1)
    void brokerJournalHistoryAndMessageIdFoldersAreOwnerOnly() throws Exception {
        for (String folder : new String[] {"broker", "broker/journal", "broker/bindings", "broker/paging",
                "broker/large-messages", "history", "keys", "demo", "."}) {
            Path p = dir.resolve(folder);
            if (folder.equals("demo") && !Files.exists(p)) {
                continue; // every secret is given in tests, so demo mode may write no secrets file
            }
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as(folder).isEqualTo("rwx------");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(hub.keystore("AR")))).isEqualTo("rw-------");
    }

    @Test
    @Order(2)
    void aPartnerCannotSendAnOversizeMessageOverAmqp() throws Exception {
        Map<String, Long> before = added();
        ConnectionFactory partner = new JmsConnectionFactory("partner-br", HubProperties.PARTNER_BR_PASSWORD, hub.amqpUrl());

        for (int size : new int[] {OVERSIZE, OVERSIZE_LARGE}) {
            assertThatThrownBy(() -> send(partner, "hub.inbound", size)).as("%d bytes over AMQP", size)
                    .isInstanceOf(JMSException.class);
        }

        assertThat(added()).as("nothing reached any queue").isEqualTo(before);
        assertNoLargeMessageLeft();
    }

    @Test
    @Order(3)
    void aSingleWindowCannotSendAnOversizeMessageOverCore() throws Exception {
        Map<String, Long> before = added();
        ConnectionFactory singleWindow = hub.connectionFactory("sw-ar", HubProperties.SW_AR_PASSWORD);

        for (int size : new int[] {OVERSIZE, OVERSIZE_LARGE}) {
            assertThatThrownBy(() -> send(singleWindow, "AR.sw.outbox", size)).as("%d bytes over CORE", size)
                    .isInstanceOf(JMSException.class).hasMessageContaining("refused");
        }

        assertThat(added()).as("nothing reached any queue").isEqualTo(before);
        assertNoLargeMessageLeft();
    }

    @Test
    @Order(4)
    void aCertificateBelowTheLimitStillGoesThroughBothProtocols() throws Exception {
        byte[] cod = Files.readAllBytes(Path.of("samples/aladi-cod/cod-4.1.0-FormA18-AR-BR.xml"));
        // CORE from AR's single window; the signed envelope then crosses the AMQP acceptor as partner AR's account.
        Jms.sendBytes(hub.connectionFactory("sw-ar", HubProperties.SW_AR_PASSWORD), "AR.sw.outbox", cod);

        Message delivered = Jms.receiveSelected(hub.hubConnectionFactory(), "BR.sw.inbox",
                "OriginHubMessageType = 'CertificateOfOrigin'", 40_000);
        assertThat(delivered).as("CO delivered after the oversize messages were refused").isNotNull();
    }

    /** Sends a bytes message of {@code size} bytes, persistent, so the send waits for the broker's answer. */
    static void send(ConnectionFactory cf, String queue, int size) throws JMSException {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'x');
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            BytesMessage m = s.createBytesMessage();
            m.writeBytes(body);
            s.createProducer(s.createQueue(queue)).send(m);
        }
    }

    /** Messages ever added to each queue of the broker. */
    Map<String, Long> added() {
        Map<String, Long> counts = new TreeMap<>();
        for (var binding : broker.getActiveMQServer().getPostOffice().getAllBindings().toList()) {
            if (binding.getBindable() instanceof Queue q && !q.getName().toString().startsWith("$")) {
                counts.put(q.getName().toString(), q.getMessagesAdded());
            }
        }
        assertThat(counts).containsKey("hub.inbound").containsKey("AR.sw.outbox");
        return counts;
    }

    void assertNoLargeMessageLeft() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (Stream<Path> files = Files.list(dir.resolve("broker/large-messages"))) {
                assertThat(files).as("refused large messages are deleted").isEmpty();
            }
        });
    }
}
