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
 * stderr and its body to the output file (or stdout). Usage:
 * {@code ReceiveFromQueue <broker-url> <user> <password> <queue> [<output-file>]}
 */
public final class ReceiveFromQueue {
    private ReceiveFromQueue() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4 && args.length != 5) {
            System.err.println("usage: ReceiveFromQueue <broker-url> <user> <password> <queue> [<output-file>]");
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
            byte[] data;
            if (m instanceof TextMessage t) {
                data = t.getText().getBytes(StandardCharsets.UTF_8);
            } else if (m instanceof BytesMessage b) {
                data = new byte[(int) b.getBodyLength()];
                b.readBytes(data);
            } else {
                data = new byte[0];
            }
            if (args.length == 5) {
                java.nio.file.Files.write(java.nio.file.Path.of(args[4]), data);
                System.err.println("body written to " + args[4]);
            } else {
                System.out.write(data);
                System.out.flush();
            }
        }
    }
}
