package org.originhub.reliability;

import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.originhub.OriginHubApplication;
import org.originhub.exchange.HubHeaders;
import org.originhub.signature.DemoKeys;
import org.originhub.support.HubProperties;
import org.originhub.support.RabbitMq;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * RabbitMQ as a partner's broker between two Origin Hubs, for the reliability runs with a broker that has no
 * duplicate detection. The sending hub (party BR, whose single window sends ccd) forwards to partner AR, whose broker
 * is a RabbitMQ node ({@link RabbitMq}, durable queue {@code hub.inbound}, address {@code /amq/queue/hub.inbound}).
 * Behind that broker stands partner AR's Origin Hub (the receiving hub, party AR, ALADI COD): after the run a relay
 * reads RabbitMQ's queue, counts every copy by {@code OriginHubMessageId}, and hands each to the receiving hub's
 * {@code hub.inbound} over AMQP as the partner account bound to BR, as read (same text, the same application properties
 * but {@code _AMQ_DUPL_ID}, see {@link #relayIntoReceivingHub}). The receiving hub acknowledges to the sending hub, which trusts its AR certificate: the whole round trip
 * of a real pair of hubs.
 */
final class RabbitMqBetweenHubs implements AutoCloseable {
    static final String OUTBOX = "BR.sw.outbox";
    static final String PARTNER_QUEUE = "partner.AR.out";
    static final String PARTNER_DLQ = "DLQ.partner.AR.out";
    static final String RABBIT_QUEUE = "hub.inbound";
    /** RabbitMQ 3.x's address of an existing queue (see RabbitMqPartnerTest for why not /queue/NAME). */
    static final String RABBIT_ADDRESS = "/amq/queue/" + RABBIT_QUEUE;
    static final String INBOX = "AR.sw.inbox";

    final Path dir;
    final RabbitMq rabbit;
    final HubProperties sending;
    final HubProperties receiving;
    /** Counts what reaches the receiving hub's hub.inbound, and what its broker's duplicate detection drops. */
    final BrokerCounter receivingBroker = new BrokerCounter("hub.inbound");
    ConfigurableApplicationContext sendingHub;
    ConfigurableApplicationContext receivingHub;
    /** SHA-256 of each relayed body by messageId: a copy must be the very message, not a second signing. */
    private final Map<String, Set<String>> bodies = new HashMap<>();

    RabbitMqBetweenHubs(String name, int sendingInVmId, int receivingInVmId) throws Exception {
        Files.createDirectories(Path.of("target/reliability"));
        dir = Files.createTempDirectory(Path.of("target/reliability").toAbsolutePath(), name + "-");
        rabbit = new RabbitMq(dir.resolve("rabbitmq"));
        sending = new HubProperties(dir.resolve("hub-br"), "hub-br-" + name, sendingInVmId);
        receiving = new HubProperties(dir.resolve("hub-ar"), "hub-ar-" + name, receivingInVmId);
        sending.put("originhub.partners.AR.amqp-url", rabbit.amqpUrl())
                .put("originhub.partners.AR.address", RABBIT_ADDRESS)
                .put("originhub.partners.AR.username", RabbitMq.USER)
                .put("originhub.partners.AR.password", RabbitMq.PASSWORD)
                .put("originhub.partners.AR.retry.initial-delay", "100ms")
                .put("originhub.partners.AR.retry.max-delay", "1s")
                // Acknowledgements from the receiving hub are signed with its AR key.
                .put("originhub.partners.AR.certificates[0]", "file:" + receiving.certificate("AR"))
                .put("camel.main.name", "hub-br-" + name);
        // The receiving hub's partner BR is the sending hub (its acknowledgements go there, as partner-ar, the account
        // the sending hub's default configuration binds to AR); it verifies BR's messages with the sending hub's key.
        receiving.put("originhub.partners.BR.amqp-url", sending.amqpUrl())
                .put("originhub.partners.BR.certificates[0]", "file:" + sending.certificate("BR"))
                .put("originhub.partners.BR.retry.initial-delay", "100ms")
                .put("originhub.partners.BR.retry.max-delay", "1s")
                .put("camel.main.name", "hub-ar-" + name);
        for (HubProperties hub : List.of(sending, receiving)) {
            hub.put("logging.level.root", "WARN").put("logging.level.org.originhub", "INFO");
        }
    }

    /**
     * Starts the RabbitMQ node (and declares partner AR's durable queue, as the partner's administrator would) and both
     * hubs. The node boots in its own process meanwhile: that saves its 10 to 20 s of start-up per run. The receiving
     * hub is idle until {@link #relayIntoReceivingHub}.
     */
    void start() throws Exception {
        java.util.concurrent.CompletableFuture<Void> rabbitUp = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                rabbit.start();
                rabbit.declareDurableQueue(RABBIT_QUEUE);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // Each hub must trust the other's certificate before either starts: make the two keys first (demo mode would
        // make them at start, with the same alias and password).
        DemoKeys.ensure("BR", sending.keystore("BR"), "origin-hub-br", "br-key-test-password".toCharArray());
        DemoKeys.ensure("AR", receiving.keystore("AR"), "origin-hub-ar", "ar-key-test-password".toCharArray());
        sendingHub = new SpringApplicationBuilder(OriginHubApplication.class).run(sending.asArgs());
        receivingHub = new SpringApplicationBuilder(OriginHubApplication.class).run(receiving.asArgs());
        receivingHub.getBean(EmbeddedActiveMQ.class).getActiveMQServer().registerBrokerPlugin(receivingBroker);
        rabbitUp.get(3, java.util.concurrent.TimeUnit.MINUTES);
    }

    /** Sends the items to BR.sw.outbox as BR's single window, in order. */
    void send(CcdStream stream, List<CcdStream.Item> items) throws JMSException {
        try (Connection c = sending.connectionFactory("sw-br", HubProperties.SW_BR_PASSWORD).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(OUTBOX));
            for (CcdStream.Item item : items) {
                p.send(s.createTextMessage(stream.document(item)));
            }
        }
    }

    /** A signed message as the sending hub holds it for partner AR: its text and identity properties. */
    record Held(String messageId, String body, Map<String, String> properties) {
    }

    /** The first message waiting in partner.AR.out, browsed (left where it is) as the hub's account. */
    Held browseFirstForPartner() throws JMSException {
        try (Connection c = sending.hubConnectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try (jakarta.jms.QueueBrowser b = s.createBrowser(s.createQueue(PARTNER_QUEUE))) {
                java.util.Enumeration<?> e = b.getEnumeration();
                if (!e.hasMoreElements()) throw new IllegalStateException(PARTNER_QUEUE + " is empty");
                Message m = (Message) e.nextElement();
                Map<String, String> properties = new java.util.LinkedHashMap<>();
                for (String name : List.of(HubHeaders.MESSAGE_ID, HubHeaders.SENDER, HubHeaders.RECEIVER, HubHeaders.DOCUMENT_NUMBER,
                        HubHeaders.MESSAGE_TYPE, HubHeaders.PARTY, HubHeaders.GROUP_ID)) {
                    properties.put(name, m.getStringProperty(name));
                }
                return new Held(m.getStringProperty(HubHeaders.MESSAGE_ID), org.originhub.support.PartnerBroker.Jms.body(m), properties);
            }
        }
    }

    /**
     * Puts a signed message the sending hub already forwarded back on partner.AR.out, as its broker redelivers it when
     * the hub crashed between the partner's {@code accepted} and its own commit: the forwarder sends it again, with the
     * same messageId. The local duplicate-detection id is new, or the hub's own broker would drop it.
     */
    void resend(Held held) throws JMSException {
        try (Connection c = sending.hubConnectionFactory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage again = s.createTextMessage(held.body());
            for (Map.Entry<String, String> p : held.properties().entrySet()) {
                again.setStringProperty(p.getKey(), p.getValue());
            }
            again.setStringProperty(HubHeaders.DUPLICATE_ID, held.messageId() + ":resent");
            s.createProducer(s.createQueue(PARTNER_QUEUE)).send(again);
        }
    }

    /** Messages in a queue of the sending hub's broker (including those a consumer holds). */
    long sendingQueueCount(String queue) {
        return queueCount(sendingHub, queue);
    }

    /**
     * How many messages the sending hub's forwarder has taken off partner.AR.out, i.e. committed after RabbitMQ's
     * {@code accepted}. Read from the hub's own broker, so it costs RabbitMQ nothing while it is being flapped.
     */
    long forwarded() {
        var q = sendingHub.getBean(EmbeddedActiveMQ.class).getActiveMQServer().locateQueue(PARTNER_QUEUE);
        return q == null ? 0 : q.getMessagesAcknowledged();
    }

    /** Failed attempts of the sending hub's forwarder to partner AR (its failure counter, all kinds). */
    double failedAttempts() {
        MeterRegistry registry = sendingHub.getBeanProvider(MeterRegistry.class).getIfAvailable();
        if (registry == null) return -1;
        return registry.find("originhub.partner.send.failures").tag("partner", "AR").counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    /**
     * Moves everything from RabbitMQ's queue into its {@code hub.inbound}, counting each
     * message by messageId into {@code atRabbit} (copies included). The relay stands for partner AR's hub reading its
     * own broker: it takes a message off RabbitMQ only after the receiving hub's broker accepted it.
     *
     * <p>It copies the text and every application property, except {@code _AMQ_DUPL_ID}: that is an instruction to an
     * Artemis broker, which RabbitMQ ignores and which a hub reading RabbitMQ directly never meets; passed on here, the
     * receiving hub's embedded Artemis (a hop of this test only) would drop the copies before the hub's messageId
     * check, the layer that absorbs them behind a broker without duplicate detection. {@link #receivingBroker} shows
     * that it dropped none.
     *
     * @return how many messages were relayed
     */
    int relayIntoReceivingHub(Tally atRabbit) throws Exception {
        long expected = rabbit.messages(RABBIT_QUEUE);
        // receiveLocalOnly: a timed receive must not drain the link (RabbitMQ 3.10's AMQP 1.0 plugin fails on drain).
        JmsConnectionFactory fromRabbit = new JmsConnectionFactory(RabbitMq.USER, RabbitMq.PASSWORD,
                rabbit.amqpUrl() + "?jms.requestTimeout=15000&jms.connectTimeout=15000&jms.receiveLocalOnly=true");
        JmsConnectionFactory toHub = new JmsConnectionFactory("partner-br", HubProperties.PARTNER_BR_PASSWORD,
                receiving.amqpUrl() + "?jms.requestTimeout=15000&jms.connectTimeout=15000");
        int relayed = 0;
        try (Connection in = fromRabbit.createConnection(); Connection out = toHub.createConnection()) {
            in.start();
            Session inSession = in.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = inSession.createConsumer(inSession.createQueue(RABBIT_ADDRESS));
            Session outSession = out.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = outSession.createProducer(outSession.createQueue("hub.inbound"));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (long i = 0; ; i++) {
                Message m = consumer.receive(i < expected ? 30_000 : 2_000);
                if (m == null) break;
                String messageId = m.getStringProperty(HubHeaders.MESSAGE_ID);
                atRabbit.arrived(messageId);
                byte[] body = body(m);
                bodies.computeIfAbsent(String.valueOf(messageId), k -> new TreeSet<>()).add(sha256(body));
                producer.send(copy(m, outSession, body)); // persistent: returns on the receiving broker's accepted
                m.acknowledge();
                relayed++;
            }
        }
        return relayed;
    }

    /** The messageIds whose copies at RabbitMQ were not all the very same bytes (must be none). */
    Map<String, Set<String>> copiesThatDiffer() {
        Map<String, Set<String>> out = new HashMap<>();
        bodies.forEach((id, hashes) -> {
            if (hashes.size() > 1) out.put(id, hashes);
        });
        return out;
    }

    private static Message copy(Message m, Session session, byte[] body) throws JMSException {
        Message copy;
        if (m instanceof TextMessage t) {
            copy = session.createTextMessage(t.getText());
        } else {
            BytesMessage b = session.createBytesMessage();
            b.writeBytes(body);
            copy = b;
        }
        for (String name : Collections.list((java.util.Enumeration<String>) m.getPropertyNames())) {
            if (name.equals(HubHeaders.DUPLICATE_ID) || name.startsWith("JMS_AMQP")
                    || (name.startsWith("JMSX") && !name.equals(HubHeaders.GROUP_ID))) {
                continue; // see relayIntoReceivingHub; JMSX*/JMS_AMQP*: facts of this delivery, set by the client
            }
            copy.setObjectProperty(name, m.getObjectProperty(name));
        }
        return copy;
    }

    private static byte[] body(Message m) throws JMSException {
        if (m instanceof TextMessage t) return t.getText().getBytes(StandardCharsets.UTF_8);
        if (m instanceof BytesMessage b) {
            byte[] data = new byte[(int) b.getBodyLength()];
            b.readBytes(data);
            b.reset();
            return data;
        }
        throw new IllegalStateException("unexpected message type from RabbitMQ: " + m.getClass());
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    /**
     * Waits until the receiving hub has handled everything relayed to it (its inbound, verified and outbound queues
     * and the acknowledgements' way back to the sending hub empty), then reads AR's single-window inbox into
     * {@code inbox} as AR's single window would.
     */
    void drainReceivingInbox(Tally inbox, long expectedInInbox) throws Exception {
        await("the receiving hub done with what was relayed").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> queueCount(receivingHub, "hub.inbound") + queueCount(receivingHub, "hub.verified")
                        + queueCount(receivingHub, "hub.outbound") + queueCount(receivingHub, "partner.BR.out") == 0
                        && queueCount(receivingHub, INBOX) >= expectedInInbox);
        try (Connection c = receiving.connectionFactory("sw-ar", HubProperties.SW_AR_PASSWORD).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(INBOX), "OriginHubMessageType = 'CertificateOfOrigin'");
            for (long i = 0; ; i++) {
                Message m = consumer.receive(i < expectedInInbox ? 10_000 : 1_000);
                if (m == null) break;
                inbox.arrived(m.getStringProperty(HubHeaders.MESSAGE_ID));
            }
        }
    }

    /** What the far end got: RabbitMQ's queue, and behind it the receiving hub and its single window. */
    record FarEnd(Tally atRabbit, int relayed, Tally inbox, Duration behindRabbit, Map<String, Integer> received,
                  Map<String, Integer> delivered, Map<String, Integer> duplicates, Map<String, Integer> acknowledged) {
        /** Copies the receiving hub recorded as DUPLICATE (acknowledged again, not delivered). */
        int absorbed() {
            return duplicates.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /**
     * After the run: relays RabbitMQ's queue into the receiving hub, reads AR's single-window inbox, and waits until the
     * sending hub has recorded an acknowledgement for every copy the receiving hub got (one per copy: the first
     * Accepted, each repeat Accepted again as DUPLICATE).
     */
    FarEnd farEnd(CcdStream stream) throws Exception {
        Tally atRabbit = new Tally(stream);
        long begun = System.nanoTime();
        int relayed = relayIntoReceivingHub(atRabbit);
        Tally inbox = new Tally(stream);
        drainReceivingInbox(inbox, stream.size());
        Duration behind = Duration.ofNanos(System.nanoTime() - begun);
        Set<String> ids = new java.util.HashSet<>();
        stream.items().forEach(i -> ids.add(i.messageId()));
        await("the sending hub's record of every acknowledgement").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> ofStream(transitions(sendingHub, "ACKNOWLEDGED"), ids).values().stream().mapToInt(Integer::intValue).sum()
                        >= atRabbit.total());
        return new FarEnd(atRabbit, relayed, inbox, behind, ofStream(transitions(receivingHub, "RECEIVED"), ids),
                ofStream(transitions(receivingHub, "DELIVERED"), ids), ofStream(transitions(receivingHub, "DUPLICATE"), ids),
                ofStream(transitions(sendingHub, "ACKNOWLEDGED"), ids));
    }

    /**
     * Records the two results lines (RabbitMQ's queue; the receiving hub's single window) and asserts what the issue
     * asks: nothing lost; any copy at RabbitMQ is a copy (same messageId, same bytes), counted; behind RabbitMQ the
     * receiving hub's single window gets each CO once, in per-CO order, each copy recorded as DUPLICATE and
     * acknowledged again; no dead letter anywhere.
     */
    void recordAndCheck(String scenario, CcdStream stream, FarEnd far, Duration drain, String howDown) {
        Tally atRabbit = far.atRabbit();
        Results.record(scenario + ", at RabbitMQ's queue", stream.size(), atRabbit, drain, String.format(
                "%s; RabbitMQ has no duplicate detection: %d copies (same messageId, same bytes) of %d message(s) held; "
                        + "the forwarder failed %.0f attempt(s); drain measured from RabbitMQ accepting again",
                howDown, atRabbit.duplicates(), atRabbit.duplicated().size(), failedAttempts()));
        Results.record(scenario + ", receiving hub's single window behind RabbitMQ", stream.size(), far.inbox(), far.behindRabbit(),
                String.format("relayed %d from RabbitMQ; the receiving hub's messageId check absorbed %d copies (DUPLICATE, "
                                + "acknowledged again: %d acknowledgements recorded by the sending hub); its broker dropped %d by "
                                + "_AMQ_DUPL_ID; time = relay start to inbox complete",
                        far.relayed(), far.absorbed(), far.acknowledged().values().stream().mapToInt(Integer::intValue).sum(),
                        receivingBroker.droppedAsDuplicate()));

        org.assertj.core.api.SoftAssertions soft = new org.assertj.core.api.SoftAssertions();
        // At RabbitMQ's queue: nothing lost, nothing unknown; copies allowed but only true copies.
        soft.assertThat(atRabbit.unknown()).as("messages at RabbitMQ without a messageId of the stream").isEmpty();
        soft.assertThat(atRabbit.lost()).as("lost at RabbitMQ").isZero();
        soft.assertThat(atRabbit.orderViolations()).as("per-CO order at RabbitMQ").isEmpty();
        soft.assertThat(copiesThatDiffer()).as("copies at RabbitMQ that are not the same bytes").isEmpty();
        soft.assertThat(far.relayed()).as("relayed = every copy at RabbitMQ").isEqualTo(atRabbit.total());
        // Behind RabbitMQ: the receiving hub's single window gets each CO once.
        soft.assertThat(far.inbox().unknown()).as("unknown in AR's inbox").isEmpty();
        soft.assertThat(far.inbox().lost()).as("lost behind RabbitMQ").isZero();
        soft.assertThat(far.inbox().duplicated()).as("duplicates in AR's inbox").isEmpty();
        soft.assertThat(far.inbox().orderViolations()).as("per-CO order in AR's inbox").isEmpty();
        // Every copy absorbed by the receiving hub's messageId check, none by its broker (the relay sets no _AMQ_DUPL_ID).
        Map<String, Integer> expectedRepeats = new HashMap<>();
        atRabbit.duplicated().forEach((id, n) -> expectedRepeats.put(id, n - 1));
        soft.assertThat(far.duplicates()).as("DUPLICATE records of the receiving hub = copies at RabbitMQ").isEqualTo(expectedRepeats);
        soft.assertThat(far.received().values()).as("RECEIVED once each").hasSize(stream.size()).containsOnly(1);
        soft.assertThat(far.delivered().values()).as("DELIVERED once each").hasSize(stream.size()).containsOnly(1);
        Map<String, Integer> expectedAcks = new HashMap<>();
        stream.items().forEach(i -> expectedAcks.put(i.messageId(), 1 + expectedRepeats.getOrDefault(i.messageId(), 0)));
        soft.assertThat(far.acknowledged()).as("acknowledged once per copy received").isEqualTo(expectedAcks);
        soft.assertThat(receivingBroker.droppedAsDuplicate()).as("dropped by the receiving hub's broker").isZero();
        // Nothing dead-lettered on either hub.
        for (String dlq : List.of("DLQ.BR.sw.outbox", "DLQ.hub.outbound", PARTNER_DLQ, "DLQ.hub.inbound", "DLQ.hub.verified")) {
            soft.assertThat(queueCount(sendingHub, dlq)).as("sending hub %s", dlq).isZero();
        }
        for (String dlq : List.of("DLQ.hub.inbound", "DLQ.hub.verified", "DLQ.hub.outbound", "DLQ.partner.BR.out", "DLQ." + INBOX)) {
            soft.assertThat(queueCount(receivingHub, dlq)).as("receiving hub %s", dlq).isZero();
        }
        soft.assertAll();
    }

    private static Map<String, Integer> ofStream(Map<String, Integer> all, Set<String> ids) {
        Map<String, Integer> out = new HashMap<>(all);
        out.keySet().retainAll(ids);
        return out;
    }

    /** Per messageId, how many transitions to {@code state} a hub's history recorded. */
    static Map<String, Integer> transitions(ConfigurableApplicationContext hub, String state) {
        Map<String, Integer> out = new HashMap<>();
        hub.getBean(JdbcTemplate.class).query("SELECT message_id, COUNT(*) FROM message_transition WHERE state = ? GROUP BY message_id",
                rs -> {
                    out.put(rs.getString(1), rs.getInt(2));
                }, state);
        return out;
    }

    static long queueCount(ConfigurableApplicationContext hub, String queue) {
        var q = hub.getBean(EmbeddedActiveMQ.class).getActiveMQServer().locateQueue(queue);
        return q == null ? 0 : q.getMessageCount();
    }

    @Override
    public void close() throws Exception {
        try {
            if (receivingHub != null) receivingHub.close();
        } finally {
            try {
                if (sendingHub != null) sendingHub.close();
            } finally {
                rabbit.close();
            }
        }
    }
}
