package org.originhub.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.jms.Message;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.originhub.exchange.HubHeaders;
import org.originhub.support.HubProperties;
import org.originhub.support.HubSpringBootTest;
import org.originhub.support.PartnerBroker.Jms;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The crash window between the intake's records and its commit, hit deterministically (issue 13): the intake maps a
 * document, sends the envelope to hub.outbound and writes RECEIVED and MAPPED to the history (its own database
 * transaction, durable at once), and then the hop fails before its JMS commit, once for each document. The send is
 * rolled back with the consumption, the broker redelivers the document, and the redelivered hop must pass its own
 * RECEIVED/MAPPED: the document is sent once and delivered once at the partner, never taken for a DUPLICATE of itself.
 * Both kinds of documents: a common-dataset CO with its own MessageId, and an ALADI COD without one (known by the id
 * derived from its outbox message, the same on redelivery).
 */
@HubSpringBootTest
class IntakeRolledBackAfterItsRecordsTest {
    static HubProperties hub;
    /** Documents (by CO number) whose first pass through the intake has been made to fail after its records. */
    static final Set<String> failedOnce = ConcurrentHashMap.newKeySet();

    @DynamicPropertySource
    static void hubProperties(DynamicPropertyRegistry registry) throws Exception {
        hub = new HubProperties(Files.createTempDirectory(Path.of("target").toAbsolutePath(), "intake-rollback"), "hub-intake-rollback-test", 78);
        hub.asMap().forEach((k, v) -> registry.add(k, () -> v));
    }

    @Autowired
    CamelContext camel;
    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void failEachDocumentOnceAfterItsRecords() throws Exception {
        for (String route : List.of("sw-outbox-intake-AR", "sw-outbox-intake-BR")) {
            if (camel.getRoute(route).getProperties().containsKey("failsOnce")) continue;
            AdviceWith.adviceWith(camel, route, a -> a.weaveAddLast().process(e -> {
                // The last step of the hop, after RECEIVED and MAPPED are written: as a crash before the commit would.
                if (failedOnce.add(e.getMessage().getHeader(HubHeaders.DOCUMENT_NUMBER, String.class))) {
                    throw new IllegalStateException("test: the hop fails after its records, before its commit");
                }
            }));
            camel.getRoute(route).getProperties().put("failsOnce", true);
        }
    }

    @Test
    void aCommonDatasetCertificateWithItsOwnMessageIdIsSentOnce() throws Exception {
        String messageId = UUID.randomUUID().toString();
        String number = "BR-ROLLBACK-" + messageId.substring(0, 8);
        String coo = Files.readString(Path.of("samples/ccd/coo-br-ar-a18.xml"), StandardCharsets.UTF_8)
                .replace("BR-A18-2025-004522", number)
                .replace("<Header>", "<Header><MessageId>" + messageId + "</MessageId>");
        Jms.sendText(hub.connectionFactory("sw-br", HubProperties.SW_BR_PASSWORD), "BR.sw.outbox", coo);

        assertDeliveredOnceAndRecordedOnce(number, "AR.sw.inbox", "BR");
        assertThat(messageIdOf(number, "BR")).isEqualTo(messageId);
    }

    @Test
    void anAladiCodWithoutMessageIdIsSentOnce() throws Exception {
        String number = "ARCACA001826" + String.format("%08d", (int) (Math.random() * 90_000_000) + 10_000_000);
        String cod = Files.readString(Path.of("samples/aladi-cod/cod-4.1.0-FormA18-AR-BR.xml"), StandardCharsets.UTF_8)
                .replace("ARCACA00182600074211", number);
        Jms.sendText(hub.connectionFactory("sw-ar", HubProperties.SW_AR_PASSWORD), "AR.sw.outbox", cod);

        assertDeliveredOnceAndRecordedOnce(number, "BR.sw.inbox", "AR");
    }

    private void assertDeliveredOnceAndRecordedOnce(String number, String partnerInbox, String party) throws Exception {
        Message delivered = Jms.receiveSelected(hub.hubConnectionFactory(), partnerInbox,
                "OriginHubDocumentNumber = '" + number + "'", 60_000);
        assertThat(delivered).as("CO %s delivered after its intake was rolled back once", number).isNotNull();
        assertThat(failedOnce).as("the first pass did fail").contains(number);
        String messageId = delivered.getStringProperty(HubHeaders.MESSAGE_ID);

        // The sender's history: one message, each intake step once, then SENT and the partner's acknowledgement.
        await("acknowledged").atMost(Duration.ofSeconds(30)).until(() -> states(messageId, party).contains("ACKNOWLEDGED"));
        List<String> states = states(messageId, party);
        assertThat(states).containsSubsequence("RECEIVED", "MAPPED", "SIGNED", "SENT", "ACKNOWLEDGED")
                .doesNotContain("DUPLICATE", "REJECTED", "FAILED");
        assertThat(states.stream().filter(s -> s.equals("RECEIVED") || s.equals("MAPPED")).toList())
                .as("the redone hop's steps written once").containsExactly("RECEIVED", "MAPPED");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM message WHERE document_number = ? AND party = ? "
                + "AND message_type = 'CertificateOfOrigin'", Integer.class, number, party)).as("one message, no phantom").isEqualTo(1);
        // Nothing dead-lettered, and no second copy behind the first (a later CO would come after it: the queue is empty).
        assertThat(Jms.receiveSelected(hub.hubConnectionFactory(), "DLQ." + party + ".sw.outbox",
                "OriginHubDocumentNumber = '" + number + "'", 1)).isNull();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM message_transition WHERE message_id = ? AND state = 'DELIVERED'",
                Integer.class, messageId)).as("delivered once at the partner").isEqualTo(1);
    }

    private List<String> states(String messageId, String party) {
        return jdbc.queryForList("SELECT state FROM message_transition WHERE message_id = ? AND party = ? ORDER BY at, id",
                String.class, messageId, party);
    }

    private String messageIdOf(String number, String party) {
        return jdbc.queryForObject("SELECT message_id FROM message WHERE document_number = ? AND party = ? "
                + "AND message_type = 'CertificateOfOrigin'", String.class, number, party);
    }
}
