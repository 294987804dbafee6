package org.originhub.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;
import org.originhub.dataset.EnvelopeCodec;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.support.HubProperties;
import org.originhub.support.HubSpringBootTest;
import org.originhub.support.PartnerBroker.Jms;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A hop that rolls back on a transient fault keeps its CO's place: the first of ten utilisation notices about one CO
 * fails once at signing (an unexpected exception: the transaction rolls back and the message is tried again), and
 * Argentina's single window must still receive the ten in the order sent. With the back-off at the broker (a
 * redelivery delay on the queue) the failed notice was set aside for a second and #1 went first; the hub's queues have
 * no broker delay and the consumer holds the message for the back-off instead ({@code exchange.HopListenerContainer}).
 */
@HubSpringBootTest
// No prefetch, two consumers per route: the next notice is free for any consumer while the first one is retried.
@org.springframework.test.context.TestPropertySource(properties = {"originhub.queues.concurrent-consumers=2",
        "spring.artemis.broker-url=vm://80?consumerWindowSize=0"})
class RolledBackHopOrderTest {
    static final int NOTICES = 10;
    static final String NUMBER = "ARCACA00182600080001";
    static HubProperties hub;

    @DynamicPropertySource
    static void hubProperties(DynamicPropertyRegistry registry) throws Exception {
        hub = new HubProperties(Files.createTempDirectory(Path.of("target").toAbsolutePath(), "rolled-back-order-"),
                "hub-rolled-back-order-test", 80);
        hub.asMap().forEach((k, v) -> registry.add(k, () -> v));
    }

    @Autowired
    CamelContext camel;
    @Autowired
    EmbeddedActiveMQ broker;

    @Test
    void aNoticeWhoseHopRolledBackIsNotOvertakenByTheNextNoticeAboutItsCertificate() throws Exception {
        var settings = broker.getActiveMQServer().getAddressSettingsRepository().getMatch("hub.outbound");
        assertThat(settings.getRedeliveryDelay()).as("no broker redelivery delay on a queue the hub reads").isZero();
        AtomicInteger failures = new AtomicInteger();
        AdviceWith.adviceWith(camel, "outbound-sign-and-route", a -> a.weaveAddLast().process(exchange -> {
            if (exchange.getMessage().getBody(String.class).contains(">seq 0<") && failures.getAndIncrement() == 0) {
                throw new IllegalStateException("test: a transient fault at the end of the signing hop");
            }
        }));
        String template = Files.readString(Path.of("samples/ccd/utilisation-br-ar-a18.xml"));
        try (Connection c = hub.connectionFactory("sw-br", HubProperties.SW_BR_PASSWORD).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = s.createProducer(s.createQueue("BR.sw.outbox"));
            for (int seq = 0; seq < NOTICES; seq++) {
                producer.send(s.createTextMessage(template.replace("ARCACA00182600074388", NUMBER)
                        .replace("</UtilisationNotice>", "<Reason>seq " + seq + "</Reason></UtilisationNotice>")));
            }
        }

        List<Message> delivered = Jms.receiveSelected(hub.connectionFactory("sw-ar", HubProperties.SW_AR_PASSWORD),
                "AR.sw.inbox", "OriginHubMessageType = 'UtilisationNotice'", NOTICES, 60_000);
        assertThat(failures.get()).as("the first notice's signing hop failed once, then passed").isEqualTo(2);
        EnvelopeCodec codec = new EnvelopeCodec();
        List<Integer> order = new ArrayList<>();
        for (Message m : delivered) {
            ExchangeEnvelope env = codec.read(Jms.body(m).getBytes(StandardCharsets.UTF_8));
            order.add(Integer.parseInt(env.getBody().getUtilisationNotice().getReason().replace("seq ", "")));
        }
        assertThat(order).as("the notices about %s in AR's inbox", NUMBER).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }
}
