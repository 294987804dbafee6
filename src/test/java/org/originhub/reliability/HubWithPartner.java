package org.originhub.reliability;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.originhub.OriginHubApplication;
import org.originhub.exchange.HubHeaders;
import org.originhub.support.HubProperties;
import org.originhub.support.PartnerBroker;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One hub in the test JVM (config/application.yml with test ports, journal and secrets) whose partner AR is a
 * separate Artemis broker ({@link PartnerBroker}) with a {@link BrokerCounter} on its inbound address. Brazil's single
 * window (ccd) sends to BR.sw.outbox; the hub maps, signs and forwards to partner AR. The far end is the partner
 * broker's {@code hub.inbound} queue, read after the run: what a single window behind it would see.
 */
final class HubWithPartner implements AutoCloseable {
    static final String OUTBOX = "BR.sw.outbox";
    static final String PARTNER_QUEUE = "partner.AR.out";
    static final String PARTNER_DLQ = "DLQ.partner.AR.out";
    static final String FAR_QUEUE = "hub.inbound";

    final Path dir;
    final PartnerBroker partner;
    final BrokerCounter counter = new BrokerCounter(FAR_QUEUE);
    final HubProperties hub;
    ConfigurableApplicationContext context;

    HubWithPartner(String name, int inVmId, Map<String, String> overrides) throws Exception {
        Files.createDirectories(Path.of("target/reliability"));
        dir = Files.createTempDirectory(Path.of("target/reliability").toAbsolutePath(), name + "-");
        partner = new PartnerBroker("partner-ar-" + name, dir.resolve("partner-ar").toString(), FAR_QUEUE).withPlugin(counter);
        hub = new HubProperties(dir.resolve("hub"), "hub-" + name, inVmId)
                .put("originhub.partners.AR.amqp-url", partner.amqpUrl())
                .put("originhub.partners.AR.username", PartnerBroker.USER)
                .put("originhub.partners.AR.password", PartnerBroker.PASSWORD)
                .put("originhub.partners.AR.retry.initial-delay", "100ms")
                .put("originhub.partners.AR.retry.max-delay", "1s")
                .put("camel.main.name", "hub-" + name)
                .put("logging.level.root", "WARN")
                .put("logging.level.org.originhub", "INFO");
        overrides.forEach(hub::put);
    }

    HubWithPartner startHub() {
        context = new SpringApplicationBuilder(OriginHubApplication.class).run(hub.asArgs());
        return this;
    }

    ActiveMQConnectionFactory singleWindow() {
        return hub.connectionFactory("sw-br", HubProperties.SW_BR_PASSWORD);
    }

    /** Sends the items to BR.sw.outbox as BR's single window, in order. */
    void send(CcdStream stream, List<CcdStream.Item> items) throws JMSException {
        try (Connection c = singleWindow().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(OUTBOX));
            for (CcdStream.Item item : items) {
                p.send(s.createTextMessage(stream.document(item)));
            }
        }
    }

    /** Messages in a queue of the hub's own broker (including those a consumer holds). */
    long hubQueueCount(String queue) {
        var q = context.getBean(EmbeddedActiveMQ.class).getActiveMQServer().locateQueue(queue);
        return q == null ? 0 : q.getMessageCount();
    }

    /** Reads everything in the partner broker's inbound queue into the tally (what a single window would get). */
    void drainPartnerInto(Tally tally) throws Exception {
        long expected = partner.messageCount(FAR_QUEUE);
        try (Connection c = partner.adminConnectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(FAR_QUEUE));
            for (long i = 0; ; i++) {
                Message m = consumer.receive(i < expected ? 10_000 : 1_000);
                if (m == null) break;
                tally.arrived(m.getStringProperty(HubHeaders.MESSAGE_ID));
            }
        }
    }

    /** Browses a queue of the hub as the hub's account, leaving the messages where they are. */
    List<Message> browseHub(String queue) throws JMSException {
        List<Message> out = new ArrayList<>();
        try (Connection c = hub.hubConnectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(queue);
            try (QueueBrowser b = s.createBrowser(q)) {
                for (Object m : Collections.list(b.getEnumeration())) out.add((Message) m);
            }
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        if (context != null) context.close();
        partner.close();
    }
}
