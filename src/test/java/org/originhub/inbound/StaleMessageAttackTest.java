package org.originhub.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.Test;
import org.originhub.dataset.EnvelopeCodec;
import org.originhub.dataset.v1.AcknowledgementStatusCode;
import org.originhub.dataset.v1.AcknowledgementType;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.exchange.HubHeaders;
import org.originhub.format.FormatContext;
import org.originhub.format.ccd.CcdFormat;
import org.originhub.history.JdbcMessageHistory;
import org.originhub.history.MessageState;
import org.originhub.history.MessageSummary;
import org.originhub.signature.DemoKeys;
import org.originhub.signature.EnvelopeSigner;
import org.originhub.signature.KeyStores;
import org.originhub.signature.SigningKey;
import org.originhub.support.HubProperties;
import org.originhub.support.HubSpringBootTest;
import org.originhub.support.PartnerBroker.Jms;
import org.originhub.xml.SecureXml;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The replay of an old message, on the whole hub (embedded broker, default configuration, so the default maximum age
 * of 7 days): partner BR sends over AMQP an envelope correctly signed with its configured key, whose certificate was
 * valid at the backdated CreatedAt, 8 days ago. Before this check such a message was delivered (and once its messageId
 * had left the count-bounded memory, delivered again). It must end in DLQ.hub.inbound as STALE_MESSAGE, be recorded
 * as REJECTED, be answered with a Rejected acknowledgement, reach no single window, and the hub keeps serving.
 */
@HubSpringBootTest
class StaleMessageAttackTest {
    static final long WAIT = 30_000;
    static final long NOTHING = 1_500;
    static final String BR_KEY_ALIAS = "origin-hub-br";
    static final char[] BR_KEY_PASSWORD = "br-key-test-password".toCharArray();

    static HubProperties hub;

    @DynamicPropertySource
    static void hubProperties(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "stale-message");
        hub = new HubProperties(dir.resolve("hub"), "hub-freshness-test", 57);
        // BR's key (the party's signing key and partner BR's configured certificate) has been valid for 30 days, so a
        // CreatedAt 8 days back is within its validity: only the message's age can refuse it. Demo mode keeps it.
        Files.createDirectories(hub.keystore("BR").getParent());
        DemoKeys.write(DemoKeys.generate("BR", BR_KEY_ALIAS, Instant.now().minus(Duration.ofDays(30)), Duration.ofDays(730)),
                hub.keystore("BR"), BR_KEY_PASSWORD);
        hub.asMap().forEach((k, v) -> registry.add(k, () -> v));
    }

    @Autowired
    JdbcMessageHistory history;

    final EnvelopeCodec codec = new EnvelopeCodec();

    @Test
    void signedMessageBackdatedBeyondTheMaximumAgeIsDeadLetteredAndTheHubKeepsServing() throws Exception {
        SigningKey br = KeyStores.load(hub.keystore("BR"), BR_KEY_ALIAS, BR_KEY_PASSWORD);
        ExchangeEnvelope stale = brToAr(OffsetDateTime.now(ZoneOffset.UTC).minusDays(8));
        String staleId = stale.getHeader().getMessageId();
        sendAsPartnerBr(sign(stale, br), "stale");

        Message dead = Jms.receiveSelected(hub.hubConnectionFactory(), "DLQ.hub.inbound", "testCase = 'stale'", WAIT);
        assertThat(dead).as("stale message dead-lettered").isNotNull();
        assertThat(dead.getStringProperty(HubHeaders.FAILURE_REASON)).isEqualTo("STALE_MESSAGE");
        assertThat(dead.getStringProperty(HubHeaders.FAILURE_DETAIL)).contains("maximum message age");
        assertThat(dead.getStringProperty(HubHeaders.FAILED_ROUTE)).isEqualTo("inbound-verify");

        // Refused before the hub believed its header: the history knows it by the broker's message id.
        String historyId = dead.getStringProperty(HubHeaders.MESSAGE_ID);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(history.summary(historyId))
                .get().satisfies(s -> {
                    assertThat(s.lastState()).isIn(MessageState.REJECTED, MessageState.FAILED);
                    assertThat(s.lastReason()).startsWith("STALE_MESSAGE");
                }));

        // The sender is told (the Rejected acknowledgement travels to partner BR, which here is this hub's BR).
        Message ack = Jms.receiveSelected(hub.hubConnectionFactory(), "BR.sw.inbox", "OriginHubInReplyTo = '" + staleId + "'", WAIT);
        assertThat(ack).as("Rejected acknowledgement of the stale message").isNotNull();
        AcknowledgementType rejected = codec.read(Jms.body(ack).getBytes(StandardCharsets.UTF_8)).getBody().getAcknowledgement();
        assertThat(rejected.getStatus()).isEqualTo(AcknowledgementStatusCode.REJECTED);
        assertThat(rejected.getReason()).extracting(r -> r.getCode()).containsExactly("STALE_MESSAGE");

        // A fresh message right after is delivered: the hub keeps serving.
        ExchangeEnvelope fresh = brToAr(OffsetDateTime.now(ZoneOffset.UTC));
        sendAsPartnerBr(sign(fresh, br), "fresh");
        Message delivered = Jms.receiveSelected(hub.hubConnectionFactory(), "AR.sw.inbox",
                "OriginHubMessageId = '" + fresh.getHeader().getMessageId() + "'", WAIT);
        assertThat(delivered).as("fresh message delivered to AR's single window").isNotNull();

        assertThat(Jms.receiveSelected(hub.hubConnectionFactory(), "AR.sw.inbox", "OriginHubMessageId = '" + staleId + "'",
                NOTHING)).as("the stale message reached no single window").isNull();
        MessageSummary freshHistory = history.summary(fresh.getHeader().getMessageId()).orElseThrow();
        assertThat(freshHistory.lastState()).isIn(MessageState.DELIVERED, MessageState.ACKNOWLEDGED);
    }

    // ------------------------------------------------------------------ helpers

    /**
     * What partner BR's hub (or any AMQP 1.0 client) does: sends to hub.inbound over AMQP with the partner's broker
     * account. The only place this test uses a broker account of a partner.
     */
    private static void sendAsPartnerBr(String document, String testCase) throws Exception {
        JmsConnectionFactory cf = new JmsConnectionFactory("partner-br", HubProperties.PARTNER_BR_PASSWORD, hub.amqpUrl());
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage m = s.createTextMessage(document);
            m.setStringProperty("testCase", testCase);
            s.createProducer(s.createQueue("hub.inbound")).send(m);
        }
    }

    /** A BR → AR certificate of origin in the common dataset (from the ccd sample) with the given CreatedAt, unsigned. */
    private static ExchangeEnvelope brToAr(OffsetDateTime createdAt) throws Exception {
        ExchangeEnvelope env = new CcdFormat().parse(Files.readAllBytes(Path.of("samples/ccd/coo-br-ar-a18.xml")), FormatContext.of("BR"));
        env.getHeader().setMessageId(UUID.randomUUID().toString());
        String number = "BR-A18-" + UUID.randomUUID().toString().substring(0, 8);
        env.getHeader().setDocumentNumber(number);
        env.getBody().getCertificateOfOrigin().getDocument().setNumber(number);
        env.getHeader().setCreatedAt(createdAt);
        env.getHeader().setSchemaVersion(EnvelopeCodec.SCHEMA_VERSION);
        return env;
    }

    private String sign(ExchangeEnvelope env, SigningKey key) {
        return SecureXml.toString(new EnvelopeSigner().sign(codec.toDocument(env), key));
    }
}
