package org.originhub.routing;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Message;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.originhub.OriginHubApplication;
import org.originhub.exchange.HubHeaders;
import org.originhub.support.HubProperties;
import org.originhub.support.PartnerBroker.Jms;
import org.originhub.support.RabbitMq;
import org.originhub.support.Xmlsec1;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * RabbitMQ 3.x with its AMQP 1.0 plugin (no AMQP transactions) as partner BR, address {@code /amq/queue/hub.inbound}
 * (a durable queue declared beforehand): three CODs from AR's single window arrive once each in RabbitMQ's queue,
 * signed, and verify with xmlsec1. Read back over AMQP 1.0 with Qpid JMS.
 */
class RabbitMqPartnerTest {
    static final Path COD = Path.of("samples/aladi-cod/cod-4.1.0-FormA14-AR-BR.xml");
    static final String QUEUE = "hub.inbound";
    /**
     * RabbitMQ 3.x's address of an existing queue. {@code /queue/NAME} would declare the queue on attach with the
     * link's durability (not durable for Qpid JMS), which RabbitMQ refuses for an existing durable queue
     * (precondition-failed: inequivalent arg 'durable') by ending the session: the attach is never answered.
     */
    static final String ADDRESS = "/amq/queue/" + QUEUE;

    static Path dir;
    static RabbitMq rabbit;
    static HubProperties hub;
    static ConfigurableApplicationContext context;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "rabbitmq-partner");
        rabbit = new RabbitMq(dir.resolve("rabbitmq")).start();
        rabbit.declareDurableQueue(QUEUE);
        hub = new HubProperties(dir.resolve("hub"), "hub-rabbitmq-partner-test", 62)
                .put("originhub.partners.BR.amqp-url", rabbit.amqpUrl())
                .put("originhub.partners.BR.address", ADDRESS)
                .put("originhub.partners.BR.username", RabbitMq.USER)
                .put("originhub.partners.BR.password", RabbitMq.PASSWORD)
                .put("originhub.partners.BR.retry.initial-delay", "200ms")
                .put("originhub.partners.BR.retry.max-delay", "1s");
        context = new SpringApplicationBuilder(OriginHubApplication.class).run(hub.asArgs());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (context != null) {
                context.close();
            }
        } finally {
            if (rabbit != null) {
                rabbit.close();
            }
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(300)
    void threeCodsArriveOnceEachInRabbitMqsQueueSignedAndVerifiableByXmlsec1() throws Exception {
        String source = Files.readString(COD, StandardCharsets.UTF_8);
        Set<String> numbers = new HashSet<>();
        for (int i = 1; i <= 3; i++) {
            String number = String.format("ARCACA0014260%07d", 100 + i);
            numbers.add(number);
            Jms.sendBytes(hub.connectionFactory("sw-ar", HubProperties.SW_AR_PASSWORD), "AR.sw.outbox",
                    source.replace("ARCACA00142600073105", number).getBytes(StandardCharsets.UTF_8));
        }
        // receiveLocalOnly: a timed receive must not drain the link, which RabbitMQ 3.10's AMQP 1.0 plugin answers
        // with an internal error (function_clause in rabbit_classic_queue:handle_event send_drained).
        JmsConnectionFactory partner = new JmsConnectionFactory(RabbitMq.USER, RabbitMq.PASSWORD,
                rabbit.amqpUrl() + "?jms.requestTimeout=15000&jms.connectTimeout=15000&jms.receiveLocalOnly=true");
        // Three within the wait, then none more: each arrived once.
        List<Message> received = new ArrayList<>(Jms.receive(partner, ADDRESS, 3, 60_000));
        received.addAll(Jms.receive(partner, ADDRESS, 1, 3_000));
        assertThat(received).hasSize(3);

        Xmlsec1.assumeAvailable();
        Set<String> ids = new HashSet<>();
        Set<String> arrived = new HashSet<>();
        for (Message m : received) {
            String xml = Jms.body(m);
            String id = m.getStringProperty(HubHeaders.DUPLICATE_ID);
            ids.add(id);
            assertThat(xml).contains(">" + id + "<");
            numbers.stream().filter(xml::contains).forEach(arrived::add);
            Path file = Files.writeString(dir.resolve(id + ".xml"), xml);
            Xmlsec1.Result ok = Xmlsec1.verify(file, hub.certificate("AR"));
            assertThat(ok.exitCode()).as(ok.output()).isZero();
        }
        assertThat(ids).hasSize(3);
        assertThat(arrived).isEqualTo(numbers);
        assertThat(rabbit.ctl("list_queues", "name", "durable", "messages")).containsPattern(QUEUE + "\\s+true\\s+0");
    }
}
