package org.originhub.tools;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * Command-line stand-in for a single window: sends files to a queue of the hub's broker (CORE protocol).
 * Usage: {@code SendToQueue <broker-url> <user> <password> <queue> <file>...}
 */
public final class SendToQueue {
    private SendToQueue() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: SendToQueue <broker-url> <user> <password> <queue> <file>...");
            System.exit(2);
        }
        try (ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(args[0], args[1], args[2]);
             Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var producer = s.createProducer(s.createQueue(args[3]));
            for (int i = 4; i < args.length; i++) {
                BytesMessage m = s.createBytesMessage();
                m.writeBytes(Files.readAllBytes(Path.of(args[i])));
                producer.send(m);
                System.out.println("sent " + args[i] + " to " + args[3] + " as " + m.getJMSMessageID());
            }
        }
    }
}
