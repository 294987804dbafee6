package org.originhub.tools;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * Command-line stand-in for a reader of a queue: takes one message (waiting up to 10 s), prints its properties to
 * stderr and its body to stdout. Usage: {@code ReceiveFromQueue <broker-url> <user> <password> <queue>}
 */
public final class ReceiveFromQueue {
    private ReceiveFromQueue() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: ReceiveFromQueue <broker-url> <user> <password> <queue>");
            System.exit(2);
        }
        try (ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(args[0], args[1], args[2]);
             Connection c = cf.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message m = s.createConsumer(s.createQueue(args[3])).receive(10_000);
            if (m == null) {
                System.err.println("no message on " + args[3] + " within 10 s");
                System.exit(1);
            }
            for (Object name : Collections.list(m.getPropertyNames())) {
                System.err.println(name + ": " + m.getObjectProperty((String) name));
            }
            if (m instanceof TextMessage t) {
                System.out.print(t.getText());
            } else if (m instanceof BytesMessage b) {
                byte[] data = new byte[(int) b.getBodyLength()];
                b.readBytes(data);
                System.out.print(new String(data, StandardCharsets.UTF_8));
            }
        }
    }
}
