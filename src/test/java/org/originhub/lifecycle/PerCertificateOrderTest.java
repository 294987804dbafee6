package org.originhub.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.jms.JmsEndpoint;
import org.junit.jupiter.api.Test;
import org.originhub.dataset.EnvelopeCodec;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.exchange.HubHeaders;
import org.originhub.support.HubProperties;
import org.originhub.support.HubSpringBootTest;
import org.originhub.support.PartnerBroker.Jms;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Messages about the same CO keep their order with several consumers on every queue: 200 utilisation notices about
 * 20 COs, sent by BR's single window to AR through the whole chain (intake, signing, AMQP, verification, delivery),
 * with 4 concurrent consumers per route; AR's single window receives each CO's notices in the order they were sent.
 *
 * <p>Overtaking is made possible, not left to chance: the first notice about each CO is slow at the intake (before
 * the hub knows which CO it is about) and at signing (after). Another consumer, free meanwhile, would take the next
 * notice about the same CO and pass it on first, unless the queue keeps them apart: the single window's outbox is an
 * exclusive queue (one consumer at a time, any number of consumers or hub instances waiting), every later queue
 * groups by CO ({@code JMSXGroupID}). Without either, this test fails.
 */
@HubSpringBootTest
// No prefetch (consumerWindowSize=0): each consumer takes one message at a time, so consecutive messages go to
// different consumers, as they do under load; with prefetch the first consumer would buffer this whole small batch.
@org.springframework.test.context.TestPropertySource(properties = {"originhub.queues.concurrent-consumers=4",
        "spring.artemis.broker-url=vm://54?consumerWindowSize=0"})
class PerCertificateOrderTest {
    static final int CERTIFICATES = 20;
    static final int PER_CERTIFICATE = 10;
    static final Duration SLOW_FIRST_NOTICE = Duration.ofMillis(300);
    static HubProperties hub;

    @DynamicPropertySource
    static void hubProperties(DynamicPropertyRegistry registry) throws Exception {
        hub = new HubProperties(Files.createTempDirectory(Path.of("target").toAbsolutePath(), "per-co-order"), "hub-order-test", 54);
        hub.asMap().forEach((k, v) -> registry.add(k, () -> v));
    }

    @Autowired
    CamelContext camel;

    @Test
    void twoHundredMessagesAboutTwentyCertificatesKeepTheirOrderPerCertificate() throws Exception {
        assertThat(camel.getRoutes().stream().filter(route -> route.getEndpoint() instanceof JmsEndpoint).toList())
                .hasSizeGreaterThan(4).allSatisfy(route ->
                        assertThat(((JmsEndpoint) route.getEndpoint()).getConcurrentConsumers()).isEqualTo(4));
        for (String route : List.of("sw-outbox-intake-BR", "outbound-sign-and-route")) {
            // Camel's delayer, synchronous: the slow step holds its consumer and its transaction, as slow work would.
            AdviceWith.adviceWith(camel, route, a -> a.weaveAddFirst()
                    .filter(a.body().convertToString().contains(">seq 0<"))
                    .delay(SLOW_FIRST_NOTICE.toMillis()).syncDelayed()
                    .end());
        }
        String template = Files.readString(Path.of("samples/ccd/utilisation-br-ar-a18.xml"));
        ActiveMQConnectionFactory swBr = hub.connectionFactory("sw-br", HubProperties.SW_BR_PASSWORD);
        // Each CO's notices back to back (CO 0 #0 ... #9, CO 1 #0 ...): while #0 is slow, #1 is next in the queue.
        try (Connection c = swBr.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = s.createProducer(s.createQueue("BR.sw.outbox"));
            for (int co = 0; co < CERTIFICATES; co++) {
                for (int seq = 0; seq < PER_CERTIFICATE; seq++) {
                    String doc = template.replace("ARCACA00182600074388", number(co))
                            .replace("</UtilisationNotice>",
                                    "<Reason>seq " + seq + "</Reason></UtilisationNotice>");
                    producer.send(s.createTextMessage(doc));
                }
            }
        }

        List<Message> delivered = Jms.receiveSelected(hub.connectionFactory("sw-ar", HubProperties.SW_AR_PASSWORD),
                "AR.sw.inbox", "OriginHubMessageType = 'UtilisationNotice'", CERTIFICATES * PER_CERTIFICATE, 60_000);
        assertThat(delivered).hasSize(CERTIFICATES * PER_CERTIFICATE);

        EnvelopeCodec codec = new EnvelopeCodec();
        Map<String, List<Integer>> seqByCertificate = new LinkedHashMap<>();
        for (Message m : delivered) {
            assertThat(m.getStringProperty(HubHeaders.GROUP_ID)).startsWith("AR:");
            ExchangeEnvelope env = codec.read(Jms.body(m).getBytes(StandardCharsets.UTF_8));
            String number = env.getBody().getUtilisationNotice().getCertificate().getNumber();
            int seq = Integer.parseInt(env.getBody().getUtilisationNotice().getReason().replace("seq ", ""));
            seqByCertificate.computeIfAbsent(number, k -> new ArrayList<>()).add(seq);
        }
        assertThat(seqByCertificate).hasSize(CERTIFICATES);
        seqByCertificate.forEach((number, seqs) ->
                assertThat(seqs).as("order of the messages about %s", number).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
    }

    private static String number(int co) {
        return String.format("ARCACA001826000%05d", co);
    }
}
