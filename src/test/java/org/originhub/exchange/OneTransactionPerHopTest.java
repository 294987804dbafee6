package org.originhub.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.jms.Connection;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.originhub.OriginHubApplication;
import org.originhub.history.MessageHistory;
import org.originhub.history.MessageState;
import org.originhub.support.HubProperties;
import org.originhub.support.PartnerBroker.Jms;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A hop takes its message and sends the next one in <em>one</em> JMS transaction: if the send cannot commit, the
 * message it came from is not consumed either. Proven without a crash by a send the broker refuses at commit: a
 * message whose messageId the next queue's duplicate detection already holds (the broker marks the hop's transaction
 * rollback-only). The source message must then still be in its queue (redelivered) or in its dead-letter queue, never
 * gone.
 *
 * <p>Why this test exists: with the listener container caching its consumer session ({@code CACHE_CONSUMER}) and an
 * external JmsTransactionManager, Spring receives on the cached session and sends on the transaction manager's
 * session, and commits the receive first: a crash, or a send refused at commit, between the two commits lost the
 * message silently (found by HubKilledRecordsIT: a CO whose history stopped at the intake, in no queue). The hub
 * therefore runs its JMS consumers with {@code CACHE_NONE}, so that receive and send share the transaction's session.
 */
class OneTransactionPerHopTest {
    static Path dir;
    static HubProperties hub;
    static ConfigurableApplicationContext context;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "one-transaction-");
        hub = new HubProperties(dir.resolve("hub"), "hub-one-transaction-test", 69);
        context = new SpringApplicationBuilder(OriginHubApplication.class).run(hub.asArgs());
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
    }

    static long count(String queue) {
        var q = context.getBean(EmbeddedActiveMQ.class).getActiveMQServer().locateQueue(queue);
        return q == null ? 0 : q.getMessageCount();
    }

    @Test
    void aSendRefusedAtCommitLeavesTheSourceMessageInItsQueue() throws Exception {
        String messageId = UUID.randomUUID().toString();
        // hub.outbound's duplicate detection learns the messageId first (this stray message is dead-lettered).
        try (Connection c = hub.hubConnectionFactory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage stray = s.createTextMessage("<not-an-envelope/>");
            stray.setStringProperty(HubHeaders.DUPLICATE_ID, messageId);
            s.createProducer(s.createQueue("hub.outbound")).send(stray);
        }
        await("the stray message dead-lettered").atMost(Duration.ofSeconds(30)).until(() -> count("DLQ.hub.outbound") == 1);

        // Brazil's single window sends a CO with that messageId: the intake maps it and sends it to hub.outbound, and
        // the broker refuses that send when the hop commits.
        String coo = Files.readString(Path.of("samples/ccd/coo-br-ar-a18.xml"), StandardCharsets.UTF_8)
                .replace("<Header>", "<Header><MessageId>" + messageId + "</MessageId>");
        Jms.sendBytes(hub.connectionFactory("sw-br", HubProperties.SW_BR_PASSWORD), "BR.sw.outbox", coo.getBytes(StandardCharsets.UTF_8));
        MessageHistory history = context.getBean(MessageHistory.class);
        await("the intake tried the hop").atMost(Duration.ofSeconds(30))
                .until(() -> history.lastState(messageId).filter(st -> st == MessageState.MAPPED).isPresent());

        // The hop rolled back as a whole: the document is back in the outbox (redelivered with back-off) or, once the
        // broker gives up, in its dead-letter queue; it never reached hub.outbound's consumer.
        await("the document stays in the outbox or its DLQ, never lost").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> count("BR.sw.outbox") + count("DLQ.BR.sw.outbox") == 1);
        assertThat(history.lastState(messageId)).as("nothing got past the intake").hasValue(MessageState.MAPPED);
    }
}
