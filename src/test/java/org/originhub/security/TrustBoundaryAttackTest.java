package org.originhub.security;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.Session;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.originhub.dataset.EnvelopeCodec;
import org.originhub.dataset.v1.AcknowledgementStatusCode;
import org.originhub.dataset.v1.AcknowledgementType;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.exchange.HubHeaders;
import org.originhub.exchange.TrustBoundary;
import org.originhub.format.FormatContext;
import org.originhub.format.ccd.CcdFormat;
import org.originhub.history.JdbcMessageHistory;
import org.originhub.signature.EnvelopeSigner;
import org.originhub.signature.SigningKey;
import org.originhub.support.PartnerBroker.Jms;
import org.originhub.support.TwoHubs;
import org.originhub.xml.SecureXml;

/**
 * The trust boundaries of issue 9, attacked the way a partner account or a single-window account would, against two
 * real hubs (AR and BR, each on its own embedded broker) and a bare partner broker (CL). Hub AR is the target: its
 * account {@code partner-br} speaks for BR, {@code partner-cl} for CL, {@code sw-ar} is AR's single window.
 *
 * <p>Each attack ends with nothing wrong delivered, nothing signed that should not be, the reason in the dead-letter
 * headers and in the history, and the hub still serving (the honest message sent after it is delivered).
 */
class TrustBoundaryAttackTest {
    static final long WAIT = 40_000;
    static final long NOTHING = 2_000;

    @TempDir
    static Path dir;
    static TwoHubs hubs;
    static final EnvelopeCodec codec = new EnvelopeCodec();
    static final EnvelopeSigner signer = new EnvelopeSigner();

    @BeforeAll
    static void startHubs() throws Exception {
        hubs = new TwoHubs(dir).start();
    }

    @AfterAll
    static void stopHubs() throws Exception {
        if (hubs != null) hubs.close();
    }

    // ------------------------------------------------------------------ 1. the verified bytes travel

    /**
     * A partner signs with its own key a document that declares a multi-byte encoding other than UTF-8. Before the
     * fix the verifier decoded it one way and delivery another; now it is refused before anything parses it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"EUC-JP", "GB18030", "Big5-HKSCS", "x-Johab", "EUC-TW"})
    void partnerDocumentDeclaringAnotherEncodingIsRefused(String encoding) throws Exception {
        ExchangeEnvelope env = brToAr();
        byte[] signed = signedBytes(env, hubs.key("BR"));
        String text = new String(signed, StandardCharsets.UTF_8);
        assertThat(text).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"");
        byte[] declared = text.replaceFirst("encoding=\"UTF-8\"", "encoding=\"" + encoding + "\"").getBytes(StandardCharsets.UTF_8);

        String testCase = "encoding-" + encoding;
        sendBytesToHubAr("partner-br", "partner-br-on-ar-password", declared, testCase, Map.of());

        assertDeadLettered("DLQ.hub.inbound", testCase, "UNSUPPORTED_ENCODING");
        assertNotDelivered(env.getHeader().getMessageId());
        assertRejectedTo(hubs.hubBrAdmin(), env.getHeader().getMessageId(), "UNSUPPORTED_ENCODING");
        assertStillServing();
    }

    /** Bytes that are not UTF-8 at all (an EUC-JP lead byte pair), with no declaration: refused, not re-decoded. */
    @Test
    void partnerDocumentWithInvalidUtf8BytesIsRefused() throws Exception {
        ExchangeEnvelope env = brToAr();
        env.getBody().getCertificateOfOrigin().getGoodsItem().get(0).setDescription("MARKER");
        byte[] signed = signedBytes(env, hubs.key("BR"));
        String text = new String(signed, StandardCharsets.UTF_8).replaceFirst("<\\?xml[^>]*>", "");
        int at = text.indexOf("MARKER");
        byte[] head = text.substring(0, at).getBytes(StandardCharsets.UTF_8);
        byte[] tail = text.substring(at).getBytes(StandardCharsets.UTF_8);
        byte[] bad = new byte[head.length + 2 + tail.length];
        System.arraycopy(head, 0, bad, 0, head.length);
        bad[head.length] = (byte) 0xA4;   // an EUC-JP hiragana, invalid as UTF-8
        bad[head.length + 1] = (byte) 0xA2;
        System.arraycopy(tail, 0, bad, head.length + 2, tail.length);

        sendBytesToHubAr("partner-br", "partner-br-on-ar-password", bad, "invalid-utf8", Map.of());

        assertDeadLettered("DLQ.hub.inbound", "invalid-utf8", "UNSUPPORTED_ENCODING");
        assertNotDelivered(env.getHeader().getMessageId());
    }

    /** A single window's document in another encoding is refused at intake too, and the single window is told. */
    @Test
    void singleWindowDocumentDeclaringAnotherEncodingIsRefused() throws Exception {
        String cod = Files.readString(Path.of("samples/aladi-cod/cod-4.1.0-FormA18-AR-BR.xml"), StandardCharsets.UTF_8);
        assertThat(cod).contains("encoding=\"UTF-8\"");
        byte[] declared = cod.replaceFirst("encoding=\"UTF-8\"", "encoding=\"EUC-JP\"").getBytes(StandardCharsets.UTF_8);
        sendCore(hubs.ar.connectionFactory("sw-ar", "sw-ar-test-password"), "AR.sw.outbox", declared, "sw-encoding", Map.of());

        Message dead = assertDeadLettered("DLQ.AR.sw.outbox", "sw-encoding", "UNSUPPORTED_ENCODING");
        // Failed before it had a messageId: the dead letter and the answer name it by the JMS id the window sent.
        String jmsId = dead.getStringProperty(HubHeaders.MESSAGE_ID);
        assertThat(jmsId).startsWith("ID:");
        Message told = Jms.receiveSelected(hubs.hubArAdmin(), "AR.sw.inbox", "OriginHubInReplyTo = '" + jmsId + "'", WAIT);
        assertThat(told).as("the single window is told").isNotNull();
        assertThat(told.getStringProperty(HubHeaders.FAILURE_REASON)).isEqualTo("UNSUPPORTED_ENCODING");
    }

    // ------------------------------------------------------------------ 2. header injection skips nothing

    /**
     * Camel's control header in any letter case, set by a partner on an unsigned envelope: before the fix the JMS
     * producer obeyed it and the document went straight to the single window's inbox.
     */
    @ParameterizedTest
    @ValueSource(strings = {"CamelJmsDestinationName", "CAMELJMSDESTINATIONNAME", "cAmeLJmsDestinationName", "camelJmsDestinationName"})
    void camelDestinationHeaderFromPartnerIsNotObeyed(String spelling) throws Exception {
        ExchangeEnvelope env = brToAr();
        byte[] unsigned = codec.write(env);
        String testCase = "inject-inbound-" + spelling;
        sendBytesToHubAr("partner-br", "partner-br-on-ar-password", unsigned, testCase, Map.of(spelling, "AR.sw.inbox"));

        Message dead = assertDeadLettered("DLQ.hub.inbound", testCase, "SIGNATURE_MISSING");
        assertNoCamelHeaders(dead);
        assertThat(Jms.receiveSelected(hubs.hubArAdmin(), "AR.sw.inbox", "testCase = '" + testCase + "'", NOTHING))
                .as("the injected destination was not obeyed").isNull();
        assertNotDelivered(env.getHeader().getMessageId());
        assertStillServing();
    }

    /** The same header set by a single window on its outbox: its document still goes through intake, not around it. */
    @ParameterizedTest
    @ValueSource(strings = {"CamelJmsDestinationName", "CAMELJMSDESTINATIONNAME", "cAmeLJmsDestinationName"})
    void camelDestinationHeaderFromSingleWindowIsNotObeyed(String spelling) throws Exception {
        // An envelope claiming to come from BR, which AR's single window may not send: intake must see and refuse it.
        ExchangeEnvelope forged = brToAr();
        String testCase = "inject-outbox-" + spelling;
        sendCore(hubs.ar.connectionFactory("sw-ar", "sw-ar-test-password"), "AR.sw.outbox", codec.write(forged), testCase,
                Map.of(spelling, "hub.verified"));

        Message dead = assertDeadLettered("DLQ.AR.sw.outbox", testCase, "SENDER_MISMATCH");
        assertNoCamelHeaders(dead);
        assertNotDelivered(forged.getHeader().getMessageId());
    }

    /** A JMSReplyTo set by an outsider is not obeyed: the hub would otherwise send the route's result there. */
    @Test
    void replyToFromSingleWindowIsNotObeyed() throws Exception {
        byte[] cod = Files.readAllBytes(Path.of("samples/aladi-cod/cod-4.1.0-FormA18-AR-BR.xml"));
        try (Connection c = hubs.ar.connectionFactory("sw-ar", "sw-ar-test-password").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            BytesMessage m = s.createBytesMessage();
            m.writeBytes(cod);
            m.setJMSReplyTo(s.createQueue("attack.replies"));
            s.createProducer(s.createQueue("AR.sw.outbox")).send(m);
        }
        // The CO itself goes its normal way to BR's single window...
        assertThat(Jms.receiveSelected(hubs.hubBrAdmin(), "BR.sw.inbox", "OriginHubSender = 'AR' AND OriginHubMessageType = 'CertificateOfOrigin'", WAIT))
                .isNotNull();
        // ...and nothing was sent to the queue the outsider named.
        assertThat(Jms.receive(hubs.hubArAdmin(), "attack.replies", 1, NOTHING)).isEmpty();
    }

    // ------------------------------------------------------------------ 3. outsiders' properties never reach a single window

    @Test
    void forgedHubPropertiesFromPartnerDoNotReachTheSingleWindow() throws Exception {
        ExchangeEnvelope env = brToAr();
        byte[] signed = signedBytes(env, hubs.key("BR"));
        Map<String, String> forged = Map.of(
                HubHeaders.ORIGINAL_DOCUMENT, java.util.Base64.getEncoder().encodeToString("<forged/>".getBytes(StandardCharsets.UTF_8)),
                HubHeaders.ORIGINAL_DOCUMENT_FORMAT, "aladi-cod 4.1.0",
                HubHeaders.ORIGINAL_DOCUMENT_SHA256, "0000",
                HubHeaders.DUPLICATE, "true",
                HubHeaders.LIFECYCLE_WARNINGS, "forged warning",
                HubHeaders.SIGNER, "CN=forged",
                HubHeaders.AUTHENTICATED_ACCOUNT, "sw-ar",
                HubHeaders.PARTNER_QUEUE, "partner.CL.out",
                HubHeaders.IDEMPOTENCY_KEY, "BR:forged");
        sendBytesToHubAr("partner-br", "partner-br-on-ar-password", signed, "forged-props", forged);

        Message delivered = Jms.receiveSelected(hubs.hubArAdmin(), "AR.sw.inbox", "OriginHubMessageId = '" + env.getHeader().getMessageId() + "'", WAIT);
        assertThat(delivered).as("the genuine message is delivered").isNotNull();
        assertThat(delivered.getStringProperty(HubHeaders.ORIGINAL_DOCUMENT)).isNull();
        assertThat(delivered.getStringProperty(HubHeaders.ORIGINAL_DOCUMENT_SHA256)).isNull();
        assertThat(delivered.getStringProperty(HubHeaders.DUPLICATE)).isNull();
        assertThat(delivered.getStringProperty(HubHeaders.LIFECYCLE_WARNINGS)).isNull();
        assertThat(delivered.getStringProperty(HubHeaders.SIGNER)).isNotEqualTo("CN=forged").contains("BR");
        assertThat(delivered.getStringProperty("testCase")).isNull();
        assertOnlyDocumentedProperties(delivered);
    }

    // ------------------------------------------------------------------ identity comes from authentication

    /** Partner CL's account replays an envelope genuinely signed by BR: the account does not speak for BR. */
    @Test
    void partnerSendingEnvelopeSignedByAnotherPartnersKeyIsRefused() throws Exception {
        ExchangeEnvelope env = brToAr();
        byte[] signedByBr = signedBytes(env, hubs.key("BR"));
        sendBytesToHubAr("partner-cl", "partner-cl-on-ar-password", signedByBr, "cl-sends-br", Map.of());

        assertDeadLettered("DLQ.hub.inbound", "cl-sends-br", "SENDER_MISMATCH");
        assertNotDelivered(env.getHeader().getMessageId());
        // The rejection goes to CL, whose account sent it, not to BR, which the signed header names.
        assertThat(rejectionAtPartnerCl(env.getHeader().getMessageId())).isNotNull();
        assertThat(Jms.receiveSelected(hubs.hubBrAdmin(), "BR.sw.inbox", "OriginHubInReplyTo = '" + env.getHeader().getMessageId() + "'", NOTHING))
                .as("BR is not told about a message it did not send").isNull();
        assertStillServing();
    }

    /**
     * An unsigned message from BR's account that claims to come from CL: the signed Rejected acknowledgement goes to
     * BR (the authenticated account), never to CL (the claim).
     */
    @Test
    void unsignedMessageNamingAnotherSenderIsAnsweredToTheAuthenticatedPartner() throws Exception {
        ExchangeEnvelope env = brToAr();
        env.getHeader().getSender().setCountry("CL");
        sendBytesToHubAr("partner-br", "partner-br-on-ar-password", codec.write(env), "claims-cl", Map.of());

        assertDeadLettered("DLQ.hub.inbound", "claims-cl", "SIGNATURE_MISSING");
        assertNotDelivered(env.getHeader().getMessageId());
        AcknowledgementType ack = assertRejectedTo(hubs.hubBrAdmin(), env.getHeader().getMessageId(), "SIGNATURE_MISSING");
        assertThat(ack.getReason().get(0).getText()).contains("partner-br");
        assertThat(rejectionAtPartnerCl(env.getHeader().getMessageId())).as("nothing signed goes to CL").isNull();
    }

    /**
     * Partner CL sends junk first with the duplicate-detection id of a message BR is about to send. Before the fix the
     * broker dropped BR's genuine message as a duplicate; now ids are scoped by the sending account.
     */
    @Test
    void duplicateIdOfAnotherPartnerCannotBePreempted() throws Exception {
        ExchangeEnvelope env = brToAr();
        String id = env.getHeader().getMessageId();
        sendBytesToHubAr("partner-cl", "partner-cl-on-ar-password", "<junk/>".getBytes(StandardCharsets.UTF_8), "preempt",
                Map.of(HubHeaders.DUPLICATE_ID, id));
        assertDeadLettered("DLQ.hub.inbound", "preempt", "UNPARSEABLE", "SCHEMA_INVALID", "SIGNATURE_MISSING");

        sendBytesToHubAr("partner-br", "partner-br-on-ar-password", signedBytes(env, hubs.key("BR")), "genuine",
                Map.of(HubHeaders.DUPLICATE_ID, id));
        assertThat(Jms.receiveSelected(hubs.hubArAdmin(), "AR.sw.inbox", "OriginHubMessageId = '" + id + "'", WAIT))
                .as("BR's genuine message is delivered").isNotNull();
    }

    // ------------------------------------------------------------------ parser and broker defences already in place

    /** Billion laughs (entity expansion), XXE and an element-depth bomb from a partner: refused before being read. */
    @ParameterizedTest
    @ValueSource(strings = {"laughs", "xxe", "depth"})
    void parserAttacksFromPartnerAreRefused(String attack) throws Exception {
        String document = switch (attack) {
            case "laughs" -> "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
                    + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]><ExchangeEnvelope xmlns=\"" + EnvelopeCodec.NAMESPACE + "\">&lol3;</ExchangeEnvelope>";
            case "xxe" -> "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><ExchangeEnvelope xmlns=\""
                    + EnvelopeCodec.NAMESPACE + "\">&x;</ExchangeEnvelope>";
            default -> "<a>".repeat(200) + "</a>".repeat(200);
        };
        String testCase = "parser-" + attack;
        sendBytesToHubAr("partner-br", "partner-br-on-ar-password", document.getBytes(StandardCharsets.UTF_8), testCase, Map.of());
        Message dead = assertDeadLettered("DLQ.hub.inbound", testCase, "UNPARSEABLE");
        assertThat(dead.getStringProperty(HubHeaders.FAILURE_DETAIL)).doesNotContain("root:");
    }

    /** Anonymous clients and accounts outside their role get nothing from the broker. */
    @Test
    void brokerAccountsCanDoOnlyWhatTheirRoleAllows() throws Exception {
        byte[] doc = "<x/>".getBytes(StandardCharsets.UTF_8);
        org.assertj.core.api.ThrowableAssert.ThrowingCallable anonymous =
                () -> sendBytesToHubAr(null, null, doc, "anonymous", Map.of());
        org.assertj.core.api.Assertions.assertThatThrownBy(anonymous).isInstanceOf(jakarta.jms.JMSException.class);
        // A partner may not write to a single window's queues, nor read what other partners sent.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> send(new JmsConnectionFactory("partner-br", "partner-br-on-ar-password",
                hubs.ar.amqpUrl()), "AR.sw.inbox", doc, "partner-to-inbox", Map.of())).isInstanceOf(jakarta.jms.JMSException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Jms.receive(new JmsConnectionFactory("partner-br", "partner-br-on-ar-password",
                hubs.ar.amqpUrl()), "hub.inbound", 1, 500)).isInstanceOf(jakarta.jms.JMSException.class);
        // A single window may not send as a partner, nor to the hub's internal queues.
        for (String queue : List.of("hub.inbound", "hub.verified", "hub.outbound")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> sendCore(hubs.ar.connectionFactory("sw-ar", "sw-ar-test-password"),
                    queue, doc, "sw-to-" + queue, Map.of())).as(queue).isInstanceOf(jakarta.jms.JMSException.class);
        }
        assertThat(Jms.receiveSelected(hubs.hubArAdmin(), "AR.sw.inbox", "testCase = 'partner-to-inbox'", 200)).isNull();
    }

    // ------------------------------------------------------------------ helpers

    private static JdbcMessageHistory history() {
        return hubs.hubAr().getBean(JdbcMessageHistory.class);
    }

    /** An honest BR message sent after an attack is still delivered: the hub keeps serving. */
    private static void assertStillServing() throws Exception {
        ExchangeEnvelope env = brToAr();
        sendBytesToHubAr("partner-br", "partner-br-on-ar-password", signedBytes(env, hubs.key("BR")), "honest", Map.of());
        assertThat(Jms.receiveSelected(hubs.hubArAdmin(), "AR.sw.inbox", "OriginHubMessageId = '" + env.getHeader().getMessageId() + "'", WAIT))
                .as("the hub still serves honest messages").isNotNull();
    }

    private static Message assertDeadLettered(String dlq, String testCase, String... reasons) throws Exception {
        Message dead = Jms.receiveSelected(hubs.hubArAdmin(), dlq, "testCase = '" + testCase + "'", WAIT);
        assertThat(dead).as("dead letter of %s on %s", testCase, dlq).isNotNull();
        assertThat(dead.getStringProperty(HubHeaders.FAILURE_REASON)).isIn((Object[]) reasons);
        assertThat(dead.getStringProperty(HubHeaders.FAILURE_DETAIL)).isNotBlank();
        // The history has it too, under the id the dead letter names, with the same reason.
        String id = dead.getStringProperty(HubHeaders.MESSAGE_ID);
        assertThat(id).isNotBlank();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(history().find(id)).hasValueSatisfying(d -> assertThat(d.transitions())
                        .anySatisfy(t -> assertThat(t.reason()).startsWith(dead.getStringProperty(HubHeaders.FAILURE_REASON)))));
        return dead;
    }

    private static void assertNotDelivered(String messageId) throws Exception {
        assertThat(Jms.receiveSelected(hubs.hubArAdmin(), "AR.sw.inbox", "OriginHubMessageId = '" + messageId + "'", NOTHING))
                .as("nothing delivered for %s", messageId).isNull();
        assertThat(Jms.receive(hubs.hubArAdmin(), "hub.verified", 1, 200)).isEmpty();
    }

    private static AcknowledgementType assertRejectedTo(ConnectionFactory inboxOwner, String inReplyTo, String reason) throws Exception {
        Message m = Jms.receiveSelected(inboxOwner, "BR.sw.inbox", "OriginHubInReplyTo = '" + inReplyTo + "'", WAIT);
        assertThat(m).as("Rejected acknowledgement of %s", inReplyTo).isNotNull();
        AcknowledgementType ack = codec.read(Jms.body(m).getBytes(StandardCharsets.UTF_8)).getBody().getAcknowledgement();
        assertThat(ack.getStatus()).isEqualTo(AcknowledgementStatusCode.REJECTED);
        assertThat(ack.getReason()).extracting(r -> r.getCode()).containsExactly(reason);
        return ack;
    }

    /** The acknowledgement hub AR sent to partner CL's broker about a message, if any. */
    private static Message rejectionAtPartnerCl(String inReplyTo) throws Exception {
        List<Message> all = Jms.receiveSelected(hubs.partnerCl.adminConnectionFactory(), "hub.inbound",
                "OriginHubMessageType = 'Acknowledgement'", 20, NOTHING);
        for (Message m : all) {
            if (Jms.body(m).contains(inReplyTo)) {
                return m;
            }
        }
        return null;
    }

    private static void assertNoCamelHeaders(Message m) throws Exception {
        for (String name : Collections.list((java.util.Enumeration<String>) m.getPropertyNames())) {
            assertThat(name.toLowerCase()).as("property %s", name).doesNotStartWith("camel");
        }
    }

    /** Only what TrustBoundary.TO_SINGLE_WINDOW documents (plus the JMS provider's own JMSX properties). */
    private static void assertOnlyDocumentedProperties(Message m) throws Exception {
        for (String name : Collections.list((java.util.Enumeration<String>) m.getPropertyNames())) {
            if (name.startsWith("JMSX") || name.startsWith("_AMQ_") && !name.equals(HubHeaders.DUPLICATE_ID)) {
                continue;
            }
            assertThat(TrustBoundary.TO_SINGLE_WINDOW).as("property %s on a single window's message", name).contains(name);
        }
    }

    private static void sendBytesToHubAr(String user, String password, byte[] document, String testCase,
                                         Map<String, String> properties) throws Exception {
        JmsConnectionFactory cf = new JmsConnectionFactory(user, password, hubs.ar.amqpUrl());
        send(cf, "hub.inbound", document, testCase, properties);
    }

    private static void sendCore(ConnectionFactory cf, String queue, byte[] document, String testCase, Map<String, String> properties)
            throws Exception {
        send(cf, queue, document, testCase, properties);
    }

    private static void send(ConnectionFactory cf, String queue, byte[] document, String testCase, Map<String, String> properties)
            throws Exception {
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            BytesMessage m = s.createBytesMessage();
            m.writeBytes(document);
            m.setStringProperty("testCase", testCase);
            for (Map.Entry<String, String> p : properties.entrySet()) {
                m.setStringProperty(p.getKey(), p.getValue());
            }
            s.createProducer(s.createQueue(queue)).send(m);
        }
    }

    private static byte[] signedBytes(ExchangeEnvelope env, SigningKey key) {
        return SecureXml.serialize(signer.sign(codec.toDocument(env), key));
    }

    /** A fresh BR → AR certificate of origin in the common dataset (from the ccd sample), unsigned. */
    private static ExchangeEnvelope brToAr() throws Exception {
        ExchangeEnvelope env = new CcdFormat().parse(Files.readAllBytes(Path.of("samples/ccd/coo-br-ar-a18.xml")), FormatContext.of("BR"));
        env.getHeader().setMessageId(UUID.randomUUID().toString());
        String number = "BR-A18-" + UUID.randomUUID().toString().substring(0, 8);
        env.getHeader().setDocumentNumber(number);
        env.getBody().getCertificateOfOrigin().getDocument().setNumber(number);
        env.getHeader().setCreatedAt(OffsetDateTime.now(ZoneOffset.UTC));
        env.getHeader().setSchemaVersion(EnvelopeCodec.SCHEMA_VERSION);
        return env;
    }

}
