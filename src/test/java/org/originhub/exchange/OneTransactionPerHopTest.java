package org.originhub.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.ServerConsumer;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.server.impl.AckReason;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.apache.activemq.artemis.core.transaction.TransactionOperationAbstract;
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
 * A hop takes its message and sends the next one in <em>one</em> JMS transaction: the consumption and every send it
 * causes commit together, once, or not at all. Two ways of proving it, both on the real embedded broker:
 * <ul>
 * <li>seen from the broker: a broker plugin records, for every message the hub sends, the broker transaction it
 * committed in, and for every message a hop consumed, the transaction of its acknowledgement; each hop of a full
 * exchange (and a dead-lettering) must send in the transaction that consumes. This is the test that fails when the
 * hop's sends get a session of their own, which no exception-based test can see (both sessions roll back on an
 * exception; only a crash between the two commits shows it: HubKilledIT found it as a CO resent after a kill and
 * dead-lettered as a DUPLICATE of itself, issue 13);</li>
 * <li>by a send the broker refuses at commit: a message whose messageId the next queue's duplicate detection already
 * holds (the broker marks the hop's transaction rollback-only). The source message must then still be in its queue
 * (redelivered) or in its dead-letter queue, never gone.</li>
 * </ul>
 *
 * <p>What this rests on (application.yml, {@code camel.component.jms}): the listener is {@code transacted} with no
 * transaction manager of its own (with one, Spring receives on the listener's cached session and sends on the
 * manager's, and commits the receive first), and it exposes its session ({@code expose-listener-session}, false by
 * Camel's default: then the routes' {@code transacted} step opens a session of its own and the sends commit first).
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
        long before = count("BR.sw.outbox") + count("DLQ.BR.sw.outbox");
        long strayBefore = count("DLQ.hub.outbound");
        // hub.outbound's duplicate detection learns the messageId first (this stray message is dead-lettered).
        try (Connection c = hub.hubConnectionFactory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage stray = s.createTextMessage("<not-an-envelope/>");
            stray.setStringProperty(HubHeaders.DUPLICATE_ID, messageId);
            s.createProducer(s.createQueue("hub.outbound")).send(stray);
        }
        await("the stray message dead-lettered").atMost(Duration.ofSeconds(30)).until(() -> count("DLQ.hub.outbound") == strayBefore + 1);

        // Brazil's single window sends a CO with that messageId: the intake maps it and sends it to hub.outbound, and
        // the broker refuses that send when the hop commits.
        String coo = Files.readString(Path.of("samples/ccd/coo-br-ar-a18.xml"), StandardCharsets.UTF_8)
                .replace("<Header>", "<Header><MessageId>" + messageId + "</MessageId>");
        Jms.sendBytes(hub.connectionFactory("sw-br", HubProperties.SW_BR_PASSWORD), "BR.sw.outbox", coo.getBytes(StandardCharsets.UTF_8));
        MessageHistory history = context.getBean(MessageHistory.class);
        await("the intake tried the hop").atMost(Duration.ofSeconds(30))
                .until(() -> history.lastState(messageId).filter(st -> st == MessageState.MAPPED).isPresent());

        // The hop rolled back as a whole: the document is back in the outbox (the listener's commit failed; it recovers
        // and the broker redelivers) or, once the broker gives up, in its dead-letter queue; it never reached
        // hub.outbound's consumer.
        await("the document stays in the outbox or its DLQ, never lost").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> count("BR.sw.outbox") + count("DLQ.BR.sw.outbox") == before + 1);
        assertThat(history.lastState(messageId)).as("nothing got past the intake").hasValue(MessageState.MAPPED);
    }

    @Test
    void eachHopSendsInTheBrokerTransactionThatConsumesItsMessage() throws Exception {
        HopTransactions seen = new HopTransactions();
        var server = context.getBean(EmbeddedActiveMQ.class).getActiveMQServer();
        server.registerBrokerPlugin(seen);
        try {
            // A full exchange on the hub's loop (BR -> AR over its own AMQP acceptor, AR's acknowledgement back) ...
            String messageId = UUID.randomUUID().toString();
            String number = "BR-ONE-TX-" + messageId.substring(0, 8);
            String coo = Files.readString(Path.of("samples/ccd/coo-br-ar-a18.xml"), StandardCharsets.UTF_8)
                    .replace("BR-A18-2025-004522", number)
                    .replace("<Header>", "<Header><MessageId>" + messageId + "</MessageId>");
            Jms.sendBytes(hub.connectionFactory("sw-br", HubProperties.SW_BR_PASSWORD), "BR.sw.outbox", coo.getBytes(StandardCharsets.UTF_8));
            // ... and a document the intake cannot read, dead-lettered (known there by its JMSMessageID).
            String unreadable;
            try (Connection c = hub.connectionFactory("sw-br", HubProperties.SW_BR_PASSWORD).createConnection()) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                BytesMessage m = s.createBytesMessage();
                m.writeBytes("<not a document".getBytes(StandardCharsets.UTF_8));
                s.createProducer(s.createQueue("BR.sw.outbox")).send(m);
                unreadable = m.getJMSMessageID();
            }

            List<String> hops = List.of("hub.outbound", "partner.AR.out", "hub.verified", "AR.sw.inbox", "partner.BR.out", "BR.sw.inbox");
            await("every hop of the exchange and the dead-lettering committed").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(seen.committedSends(number).stream().map(Send::address).collect(Collectors.toSet())).containsAll(hops);
                assertThat(seen.committedSends(unreadable).stream().map(Send::address)).contains("DLQ.BR.sw.outbox");
            });
            // (The broker may tell the plugin of an acknowledgement after the commit's other work: hence the wait.)
            await("each send's transaction also consumed").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                for (String key : List.of(number, unreadable)) {
                    for (Send send : seen.committedSends(key)) {
                        assertThat(seen.acknowledgementsIn(send.transaction()))
                                .as("the hop that sent %s to %s consumed its message in that same broker transaction", key, send.address())
                                .singleElement()
                                .satisfies(ack -> assertThat(ack.session()).isEqualTo(send.session()));
                    }
                }
            });
        } finally {
            server.unRegisterBrokerPlugin(seen);
        }
    }

    /**
     * Work for after a hop's commit (the receiving hub remembering a partner's messageId as delivered) waits for the
     * broker's commit, not for the end of the route's {@code transacted} step: the broker refuses the commit of the hop
     * that verified a CO (as a crash at that instant would lose it), the partner's message is redelivered, and the
     * redelivery must be verified and delivered, not taken for a duplicate of itself. (With Spring's "after commit",
     * which fires when the joined step ends, the messageId was remembered first and the CO never reached the single
     * window: HubKilledRecordsIT saw it after a kill.)
     */
    @Test
    void aHopWhoseCommitFailsRemembersNothingForAfterTheCommit() throws Exception {
        String messageId = UUID.randomUUID().toString();
        String number = "BR-REFUSED-COMMIT-" + messageId.substring(0, 8);
        RefuseFirstCommit refuse = new RefuseFirstCommit("hub.verified", number);
        var server = context.getBean(EmbeddedActiveMQ.class).getActiveMQServer();
        server.registerBrokerPlugin(refuse);
        try {
            String coo = Files.readString(Path.of("samples/ccd/coo-br-ar-a18.xml"), StandardCharsets.UTF_8)
                    .replace("BR-A18-2025-004522", number)
                    .replace("<Header>", "<Header><MessageId>" + messageId + "</MessageId>");
            Jms.sendBytes(hub.connectionFactory("sw-br", HubProperties.SW_BR_PASSWORD), "BR.sw.outbox", coo.getBytes(StandardCharsets.UTF_8));

            jakarta.jms.Message delivered = Jms.receiveSelected(hub.connectionFactory("sw-ar", HubProperties.SW_AR_PASSWORD),
                    "AR.sw.inbox", HubHeaders.DOCUMENT_NUMBER + " = '" + number + "'", 60_000);
            assertThat(refuse.refused).as("the broker refused the verifying hop's first commit").hasValue(1);
            assertThat(delivered).as("the CO reached Argentina's single window after its hop was redone").isNotNull();
            assertThat(delivered.getStringProperty(HubHeaders.MESSAGE_TYPE)).isEqualTo("CertificateOfOrigin");
            var jdbc = new org.springframework.jdbc.core.JdbcTemplate(context.getBean(javax.sql.DataSource.class));
            await("Argentina's side recorded the delivery").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(jdbc.queryForList("SELECT state FROM message_transition WHERE message_id = ? AND party = 'AR'",
                            String.class, messageId)).contains("DELIVERED").doesNotContain("DUPLICATE", "REJECTED", "FAILED"));
        } finally {
            server.unRegisterBrokerPlugin(refuse);
        }
    }

    /** Marks the first broker transaction that sends the given CO to the given address rollback-only. */
    static final class RefuseFirstCommit implements ActiveMQServerMessagePlugin {
        final String address;
        final String number;
        final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();

        RefuseFirstCommit(String address, String number) {
            this.address = address;
            this.number = number;
        }

        @Override
        public void beforeSend(ServerSession session, Transaction tx, Message message, boolean direct, boolean noAutoCreateQueue) {
            if (tx != null && address.equals(message.getAddress())
                    && number.equals(String.valueOf(message.getObjectProperty(HubHeaders.DOCUMENT_NUMBER)))
                    && refused.compareAndSet(0, 1)) {
                tx.markAsRollbackOnly(new org.apache.activemq.artemis.api.core.ActiveMQException(
                        "test: the broker refuses this hop's commit"));
            }
        }
    }

    record Send(String address, String key, String session, long transaction) {}

    record Acknowledgement(String queue, String session, long transaction) {}

    /**
     * Sends by the hub's own account, recorded once their transaction has committed, and acknowledgements with the
     * transaction they were made in. A document is known by its CO number or, before the intake has read one, by the
     * messageId the dead letter carries.
     */
    static final class HopTransactions implements ActiveMQServerMessagePlugin {
        final List<Send> sends = new CopyOnWriteArrayList<>();
        final List<Acknowledgement> acknowledgements = new CopyOnWriteArrayList<>();

        @Override
        public void beforeSend(ServerSession session, Transaction tx, Message message, boolean direct, boolean noAutoCreateQueue) {
            if (!"hub".equals(session.getUsername())) return;
            Object number = message.getObjectProperty(HubHeaders.DOCUMENT_NUMBER);
            Object id = message.getObjectProperty(HubHeaders.MESSAGE_ID);
            String key = number != null ? number.toString() : id != null ? id.toString() : null;
            if (key == null) return;
            if (tx == null) {
                sends.add(new Send(message.getAddress(), key, session.getName(), -1));
                return;
            }
            tx.addOperation(new TransactionOperationAbstract() {
                @Override
                public void afterCommit(Transaction committed) {
                    sends.add(new Send(message.getAddress(), key, session.getName(), committed.getID()));
                }
            });
        }

        @Override
        public void messageAcknowledged(Transaction tx, MessageReference ref, AckReason reason, ServerConsumer consumer) {
            if (tx != null && consumer != null) {
                acknowledgements.add(new Acknowledgement(ref.getQueue().getName().toString(), consumer.getSessionID(), tx.getID()));
            }
        }

        List<Send> committedSends(String key) {
            return sends.stream().filter(s -> s.key().equals(key)).toList();
        }

        List<Acknowledgement> acknowledgementsIn(long transaction) {
            return acknowledgements.stream().filter(a -> a.transaction() == transaction).toList();
        }
    }
}
