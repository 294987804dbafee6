package org.originhub.support;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule;

/**
 * A second, separate ActiveMQ Artemis broker standing for a partner administration's broker: its own ports (CORE and
 * AMQP acceptors), its own journal, authentication on. Tests send to it over AMQP through the hub and read what
 * arrived over CORE.
 */
public class PartnerBroker implements AutoCloseable {
    public static final String USER = "hub-of-partner";
    public static final String PASSWORD = "partner-secret-for-tests";
    private static final String ADMIN = "partner-admin";
    private static final String ADMIN_PASSWORD = "partner-admin-secret";

    private final String name;
    private final int corePort;
    private final int amqpPort;
    private final String dataDir;
    private final List<String> queues;
    private final List<org.apache.activemq.artemis.core.server.plugin.ActiveMQServerBasePlugin> plugins = new ArrayList<>();
    private EmbeddedActiveMQ server;

    public PartnerBroker(String name, String dataDir, String... queues) {
        this.name = name;
        this.corePort = freePort();
        this.amqpPort = freePort();
        this.dataDir = dataDir;
        this.queues = List.of(queues);
    }

    /** A broker plugin registered on every start (e.g. to count or refuse what arrives). */
    public PartnerBroker withPlugin(org.apache.activemq.artemis.core.server.plugin.ActiveMQServerBasePlugin plugin) {
        plugins.add(plugin);
        return this;
    }

    public PartnerBroker start() throws Exception {
        Configuration config = new ConfigurationImpl();
        config.setName(name);
        config.setPersistenceEnabled(true);
        config.setJournalDirectory(dataDir + "/journal");
        config.setBindingsDirectory(dataDir + "/bindings");
        config.setLargeMessagesDirectory(dataDir + "/large");
        config.setPagingDirectory(dataDir + "/paging");
        config.setNodeManagerLockDirectory(dataDir);
        config.setSecurityEnabled(true);
        config.setJMXManagementEnabled(false);
        config.setPersistIDCache(true);
        config.addAcceptorConfiguration("core", "tcp://127.0.0.1:" + corePort + "?protocols=CORE");
        config.addAcceptorConfiguration("amqp", "tcp://127.0.0.1:" + amqpPort + "?protocols=AMQP");
        for (String q : queues) {
            config.addQueueConfiguration(QueueConfiguration.of(q).setAddress(q).setRoutingType(RoutingType.ANYCAST));
        }
        SecurityConfiguration security = new SecurityConfiguration();
        security.addUser(USER, PASSWORD);
        security.addRole(USER, "sender");
        security.addUser(ADMIN, ADMIN_PASSWORD);
        security.addRole(ADMIN, "admin");
        config.putSecurityRoles("#", Set.of(
                new Role("sender", true, false, false, false, false, false, false, false, false, false, false, false),
                new Role("admin", true, true, true, true, true, true, true, true, true, true, true, true)));
        plugins.forEach(config::registerBrokerPlugin);
        server = new EmbeddedActiveMQ();
        server.setConfiguration(config);
        server.setSecurityManager(new ActiveMQJAASSecurityManager(InVMLoginModule.class.getName(), security));
        server.start();
        return this;
    }

    public void stop() throws Exception {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    public String amqpUrl() {
        return "amqp://127.0.0.1:" + amqpPort;
    }

    public ActiveMQConnectionFactory adminConnectionFactory() {
        return new ActiveMQConnectionFactory("tcp://127.0.0.1:" + corePort, ADMIN, ADMIN_PASSWORD);
    }

    /** Receives up to {@code count} messages, waiting at most {@code timeoutMillis} for each. */
    public List<Message> receive(String queue, int count, long timeoutMillis) throws JMSException {
        return Jms.receive(adminConnectionFactory(), queue, count, timeoutMillis);
    }

    public long messageCount(String queue) throws Exception {
        return server.getActiveMQServer().locateQueue(queue).getMessageCount();
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Small JMS helpers over any connection factory. */
    public static final class Jms {
        private Jms() {
        }

        public static List<Message> receive(jakarta.jms.ConnectionFactory cf, String queue, int count, long timeoutMillis) throws JMSException {
            List<Message> out = new ArrayList<>();
            try (Connection c = cf.createConnection()) {
                c.start();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
                for (int i = 0; i < count; i++) {
                    Message m = consumer.receive(timeoutMillis);
                    if (m == null) break;
                    out.add(m);
                }
            }
            return out;
        }

        /** Receives the first message matching a JMS selector, or null after the timeout. */
        public static Message receiveSelected(jakarta.jms.ConnectionFactory cf, String queue, String selector, long timeoutMillis) throws JMSException {
            List<Message> all = receiveSelected(cf, queue, selector, 1, timeoutMillis);
            return all.isEmpty() ? null : all.get(0);
        }

        public static List<Message> receiveSelected(jakarta.jms.ConnectionFactory cf, String queue, String selector, int count,
                                                    long timeoutMillis) throws JMSException {
            List<Message> out = new ArrayList<>();
            try (Connection c = cf.createConnection()) {
                c.start();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = s.createConsumer(s.createQueue(queue), selector);
                for (int i = 0; i < count; i++) {
                    Message m = consumer.receive(timeoutMillis);
                    if (m == null) break;
                    out.add(m);
                }
            }
            return out;
        }

        public static void sendText(jakarta.jms.ConnectionFactory cf, String queue, String body) throws JMSException {
            try (Connection c = cf.createConnection()) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                s.createProducer(s.createQueue(queue)).send(s.createTextMessage(body));
            }
        }

        public static void sendBytes(jakarta.jms.ConnectionFactory cf, String queue, byte[] body) throws JMSException {
            try (Connection c = cf.createConnection()) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                jakarta.jms.BytesMessage m = s.createBytesMessage();
                m.writeBytes(body);
                s.createProducer(s.createQueue(queue)).send(m);
            }
        }

        public static String body(Message m) throws JMSException {
            if (m instanceof jakarta.jms.TextMessage t) return t.getText();
            if (m instanceof jakarta.jms.BytesMessage b) {
                byte[] data = new byte[(int) b.getBodyLength()];
                b.readBytes(data);
                return new String(data, java.nio.charset.StandardCharsets.UTF_8);
            }
            throw new IllegalArgumentException("unexpected message type " + m.getClass());
        }
    }
}
