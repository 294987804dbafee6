package org.originhub.benchmark;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.interfaces.ECKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.xml.XMLConstants;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.SignatureMethod;
import javax.xml.crypto.dsig.SignedInfo;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMSignContext;
import javax.xml.crypto.dsig.keyinfo.KeyInfoFactory;
import javax.xml.crypto.dsig.spec.C14NMethodParameterSpec;
import javax.xml.crypto.dsig.spec.TransformParameterSpec;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.originhub.signature.SigningKey;
import org.originhub.support.PartnerBroker;
import org.w3c.dom.Document;

/**
 * The machine's bounds, measured on the spot with nothing of the hub in the way: bare XML-DSig signing, a bare
 * transacted broker hop, a bare AMQP send. Each runs for a fixed time after a warm-up (the JIT compiles the hot paths
 * first, as it has in a hub that has been running), and returns operations per second.
 */
final class Bounds {
    private Bounds() {
    }

    /**
     * Parse + enveloped XML-DSig (exclusive C14N, SHA-256, RSA-SHA256 or ECDSA-SHA256 by key) + serialise of the
     * envelope, on {@code threads} threads each with its own parser and serialiser (they are not thread-safe; the
     * JSR 105 factory is): the best a hub can do per signature on this machine.
     */
    static double signingRate(byte[] envelope, SigningKey key, int threads, long warmupMillis, long measureMillis) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(warmupMillis);
            long end = start + TimeUnit.MILLISECONDS.toNanos(measureMillis);
            List<Future<Long>> counts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                counts.add(pool.submit(() -> {
                    DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
                    dbf.setNamespaceAware(true);
                    dbf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
                    dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
                    DocumentBuilder db = dbf.newDocumentBuilder();
                    Transformer tf = TransformerFactory.newInstance().newTransformer();
                    XMLSignatureFactory fac = XMLSignatureFactory.getInstance("DOM");
                    String method = key.privateKey() instanceof ECKey || "EC".equals(key.privateKey().getAlgorithm())
                            ? SignatureMethod.ECDSA_SHA256 : SignatureMethod.RSA_SHA256;
                    long n = 0;
                    while (true) {
                        long now = System.nanoTime();
                        if (now >= end) return n;
                        Document doc = db.parse(new ByteArrayInputStream(envelope));
                        Reference ref = fac.newReference("", fac.newDigestMethod("http://www.w3.org/2001/04/xmlenc#sha256", null),
                                List.of(fac.newTransform(Transform.ENVELOPED, (TransformParameterSpec) null),
                                        fac.newTransform(CanonicalizationMethod.EXCLUSIVE, (TransformParameterSpec) null)), null, null);
                        SignedInfo si = fac.newSignedInfo(fac.newCanonicalizationMethod(CanonicalizationMethod.EXCLUSIVE,
                                (C14NMethodParameterSpec) null), fac.newSignatureMethod(method, null), List.of(ref));
                        KeyInfoFactory kif = fac.getKeyInfoFactory();
                        DOMSignContext ctx = new DOMSignContext(key.privateKey(), doc.getDocumentElement());
                        ctx.setDefaultNamespacePrefix("ds");
                        fac.newXMLSignature(si, kif.newKeyInfo(List.of(kif.newX509Data(List.of(key.certificate()))))).sign(ctx);
                        ByteArrayOutputStream out = new ByteArrayOutputStream(envelope.length + 4096);
                        tf.transform(new DOMSource(doc), new StreamResult(out));
                        db.reset();
                        if (now >= start) n++;
                    }
                }));
            }
            long total = 0;
            for (Future<Long> f : counts) total += f.get();
            return total / (measureMillis / 1000.0);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A bare transacted hop: {@code consumers} threads each take a message from one queue and send it to another in
     * one local JMS transaction, on an Artemis broker in this JVM with the hub's persistence (file journal, default
     * journal type and sync on commit) reached in-VM as the hub's routes reach theirs. Messages are the envelope.
     */
    static double brokerHopRate(Path dataDir, byte[] body, int consumers, int preload, long measureMillis) throws Exception {
        Configuration config = new ConfigurationImpl();
        config.setName("benchmark-bare-broker");
        config.setPersistenceEnabled(true);
        config.setJournalDirectory(dataDir + "/journal");
        config.setBindingsDirectory(dataDir + "/bindings");
        config.setLargeMessagesDirectory(dataDir + "/large-messages");
        config.setPagingDirectory(dataDir + "/paging");
        config.setNodeManagerLockDirectory(dataDir.toString());
        config.setSecurityEnabled(false);
        config.setJMXManagementEnabled(false);
        // As the hub: delivery counts persisted before delivery (one more journal write per delivery).
        config.setPersistDeliveryCountBeforeDelivery(true);
        config.addAcceptorConfiguration("in-vm", "vm://77");
        EmbeddedActiveMQ server = new EmbeddedActiveMQ();
        server.setConfiguration(config);
        server.start();
        ExecutorService pool = Executors.newFixedThreadPool(consumers);
        try (ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory("vm://77");
             Connection c = cf.createConnection()) {
            c.start();
            // Preload in transacted batches: the measurement is of the hop, not of the loading.
            Session load = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer p = load.createProducer(load.createQueue("bench.a"));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < preload; i++) {
                BytesMessage m = load.createBytesMessage();
                m.writeBytes(body);
                p.send(m);
                if (i % 100 == 99) load.commit();
            }
            load.commit();
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(measureMillis);
            List<Callable<Long>> tasks = new ArrayList<>();
            for (int t = 0; t < consumers; t++) {
                tasks.add(() -> {
                    Session s = c.createSession(true, Session.SESSION_TRANSACTED);
                    MessageConsumer in = s.createConsumer(s.createQueue("bench.a"));
                    Queue next = s.createQueue("bench.b");
                    MessageProducer out = s.createProducer(next);
                    out.setDeliveryMode(DeliveryMode.PERSISTENT);
                    long n = 0;
                    while (System.nanoTime() < end) {
                        Message m = in.receive(1000);
                        if (m == null) break;
                        out.send(m);
                        s.commit();
                        n++;
                    }
                    s.close();
                    return n;
                });
            }
            long start = System.nanoTime();
            long total = 0;
            for (Future<Long> f : pool.invokeAll(tasks)) total += f.get();
            return total / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
            server.stop();
        }
    }

    /**
     * A bare AMQP send as the hub's forwarder does it: Qpid JMS, one connection, a non-transacted session, durable
     * messages sent synchronously (each send returns with the partner's outcome), to the partner broker's queue.
     */
    static double amqpSendRate(PartnerBroker partner, String queue, byte[] body, long warmupMillis, long measureMillis) throws Exception {
        JmsConnectionFactory cf = new JmsConnectionFactory(partner.amqpUrl());
        cf.setUsername(PartnerBroker.USER);
        cf.setPassword(PartnerBroker.PASSWORD);
        cf.setForceSyncSend(false);
        try (Connection c = cf.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(warmupMillis);
            long end = start + TimeUnit.MILLISECONDS.toNanos(measureMillis);
            long n = 0;
            while (true) {
                long now = System.nanoTime();
                if (now >= end) break;
                BytesMessage m = s.createBytesMessage();
                m.writeBytes(body);
                m.setStringProperty("OriginHubMessageType", "BenchmarkBound");
                p.send(m);
                if (now >= start) n++;
            }
            return n / (measureMillis / 1000.0);
        }
    }
}
