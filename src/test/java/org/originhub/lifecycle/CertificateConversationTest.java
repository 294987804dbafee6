package org.originhub.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.originhub.dataset.EnvelopeCodec;
import org.originhub.dataset.v1.AcknowledgementStatusCode;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.exchange.HubHeaders;
import org.originhub.support.PartnerBroker.Jms;
import org.originhub.support.TwoHubs;

/**
 * The whole conversation about one CO between two hubs (AR issues, BR imports), as the WCO framework's business
 * process describes it: issue, replace, utilisation, verification request and response, cancellation; then a pull of
 * the CO by BR. After each step the CO's state is checked on both sides, and at the end the order of what each single
 * window received.
 */
class CertificateConversationTest {
    static final long WAIT = 40_000;
    static final String ORIGINAL = "ARCACA00182600074211";
    static final String REPLACEMENT = "ARCACA00182600074388";

    @TempDir
    static Path dir;
    static TwoHubs hubs;
    static final EnvelopeCodec codec = new EnvelopeCodec();

    @BeforeAll
    static void startHubs() throws Exception {
        hubs = new TwoHubs(dir).start();
    }

    @AfterAll
    static void stopHubs() throws Exception {
        if (hubs != null) hubs.close();
    }

    @Test
    void issueReplaceUtiliseVerifyCancelAndPull() throws Exception {
        ConnectionFactory swAr = hubs.ar.connectionFactory("sw-ar", "sw-ar-test-password");
        ConnectionFactory swBr = hubs.br.connectionFactory("sw-br", "sw-br-test-password");

        // 1-2. AR issues the CO (ALADI COD), then replaces it (common dataset on the same outbox), back to back.
        Jms.sendBytes(swAr, "AR.sw.outbox", sample("aladi-cod/cod-4.1.0-FormA18-AR-BR.xml"));
        Jms.sendBytes(swAr, "AR.sw.outbox", sample("ccd/co-replacement-ar-br-a18.xml"));
        List<Message> atBr = new ArrayList<>(receiveBusiness(swBr, "BR.sw.inbox", 2));
        assertThat(numbers(atBr)).containsExactly(ORIGINAL, REPLACEMENT);
        awaitState("AR", ORIGINAL, CertificateState.REPLACED);
        awaitState("BR", ORIGINAL, CertificateState.REPLACED);
        awaitState("AR", REPLACEMENT, CertificateState.ISSUED);
        awaitState("BR", REPLACEMENT, CertificateState.ISSUED);

        // The issuing hub's history answers "where is CO ... from Argentina?": every state the issuance passed through.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> {
            var history = hubs.hubAr().getBean(org.originhub.history.JdbcMessageHistory.class);
            var found = history.search(new org.originhub.history.MessageQuery(ORIGINAL, null, "AR", null, null, null,
                    "CertificateOfOrigin"), 0, 10).items();
            assertThat(found).hasSize(1);
            assertThat(history.find(found.get(0).messageId()).orElseThrow().transitions())
                    .extracting(org.originhub.history.MessageHistory.Transition::state)
                    .containsSubsequence(org.originhub.history.MessageState.RECEIVED, org.originhub.history.MessageState.MAPPED,
                            org.originhub.history.MessageState.SIGNED, org.originhub.history.MessageState.SENT,
                            org.originhub.history.MessageState.ACKNOWLEDGED);
        });

        // 3. BR's customs granted the preference: utilisation notice to the issuing side.
        Jms.sendBytes(swBr, "BR.sw.outbox", sample("ccd/utilisation-br-ar-a18.xml"));
        List<Message> atAr = new ArrayList<>(receiveBusiness(swAr, "AR.sw.inbox", 1));
        awaitState("AR", REPLACEMENT, CertificateState.UTILISED);
        awaitState("BR", REPLACEMENT, CertificateState.UTILISED);

        // 4. BR asks for a retroactive verification.
        Jms.sendBytes(swBr, "BR.sw.outbox", sample("ccd/verification-request-br-ar-a18.xml"));
        Message request = receiveBusiness(swAr, "AR.sw.inbox", 1).get(0);
        atAr.add(request);
        String requestId = request.getStringProperty(HubHeaders.MESSAGE_ID);
        awaitState("AR", REPLACEMENT, CertificateState.UNDER_VERIFICATION);
        awaitState("BR", REPLACEMENT, CertificateState.UNDER_VERIFICATION);

        // 5. AR answers, correlated to the request it received.
        String response = new String(sample("ccd/verification-response-ar-br-a18.xml"), StandardCharsets.UTF_8)
                .replace("5b0c7f1e-2a4d-4c8e-9f3a-7d1e6b2c4a90", requestId);
        Jms.sendText(swAr, "AR.sw.outbox", response);
        atBr.addAll(receiveBusiness(swBr, "BR.sw.inbox", 1));
        awaitState("AR", REPLACEMENT, CertificateState.VERIFIED);
        awaitState("BR", REPLACEMENT, CertificateState.VERIFIED);

        // 6. AR cancels the CO.
        Jms.sendBytes(swAr, "AR.sw.outbox", sample("ccd/status-cancel-ar-br-a18.xml"));
        atBr.addAll(receiveBusiness(swBr, "BR.sw.inbox", 1));
        awaitState("AR", REPLACEMENT, CertificateState.CANCELLED);
        awaitState("BR", REPLACEMENT, CertificateState.CANCELLED);

        assertThat(types(atBr)).containsExactly("CertificateOfOrigin", "CertificateOfOrigin", "VerificationResponse", "StatusNotice");
        assertThat(types(atAr)).containsExactly("UtilisationNotice", "VerificationRequest");
        assertThat(lifecycle("BR").transitions("BR", new CertificateKey("AR", REPLACEMENT)))
                .extracting(LifecycleTransition::to)
                .containsSubsequence(CertificateState.ISSUED, CertificateState.UTILISED, CertificateState.UNDER_VERIFICATION,
                        CertificateState.VERIFIED, CertificateState.CANCELLED);

        // Every step was acknowledged as accepted to its sender (the replacement may carry warnings).
        assertThat(acknowledgementStatuses(swAr, "AR.sw.inbox", 4)).doesNotContain(AcknowledgementStatusCode.REJECTED);
        assertThat(acknowledgementStatuses(swBr, "BR.sw.inbox", 2)).doesNotContain(AcknowledgementStatusCode.REJECTED);

        // 7. Pull: BR asks AR's hub for the CO; AR's hub answers with a copy (MessageFunction 31), now cancelled.
        Jms.sendBytes(swBr, "BR.sw.outbox", sample("ccd/certificate-request-br-ar-a18.xml"));
        Message copy = Jms.receiveSelected(swBr, "BR.sw.inbox", "OriginHubMessageType = 'CertificateOfOrigin'", WAIT);
        assertThat(copy).as("copy of the CO answered by AR's hub").isNotNull();
        ExchangeEnvelope env = codec.read(Jms.body(copy).getBytes(StandardCharsets.UTF_8));
        assertThat(env.getHeader().getMessageFunction()).isEqualTo("31");
        assertThat(env.getBody().getCertificateOfOrigin().getDocument().getNumber()).isEqualTo(REPLACEMENT);
        assertThat(env.getBody().getCertificateOfOrigin().getDocument().getStatus().value()).isEqualTo("Cancelled");
    }

    @Test
    void cancellingAnUnknownCertificateIsRefusedAndTheSingleWindowIsTold() throws Exception {
        ConnectionFactory swAr = hubs.ar.connectionFactory("sw-ar", "sw-ar-test-password");
        String cancel = new String(sample("ccd/status-cancel-ar-br-a18.xml"), StandardCharsets.UTF_8)
                .replace(REPLACEMENT, "ARCACA00182600099999");
        Jms.sendText(swAr, "AR.sw.outbox", cancel);
        Message dead = Jms.receiveSelected(hubs.hubArAdmin(), "DLQ.AR.sw.outbox", "OriginHubFailureReason = 'UNKNOWN_CERTIFICATE'", WAIT);
        assertThat(dead).as("cancellation of an unknown CO dead-lettered").isNotNull();
        assertThat(dead.getStringProperty(HubHeaders.FAILURE_DETAIL)).contains("ARCACA00182600099999");
        Message told = Jms.receiveSelected(swAr, "AR.sw.inbox", "OriginHubFailureReason = 'UNKNOWN_CERTIFICATE'", WAIT);
        assertThat(told).as("AR's single window told of the refusal").isNotNull();
        assertThat(codec.read(Jms.body(told).getBytes(StandardCharsets.UTF_8)).getBody().getAcknowledgement().getStatus())
                .isEqualTo(AcknowledgementStatusCode.REJECTED);
    }

    private static List<Message> receiveBusiness(ConnectionFactory cf, String inbox, int count) throws Exception {
        List<Message> got = Jms.receiveSelected(cf, inbox, "OriginHubMessageType <> 'Acknowledgement'", count, WAIT);
        assertThat(got).as("%d business messages on %s", count, inbox).hasSize(count);
        return got;
    }

    private static List<AcknowledgementStatusCode> acknowledgementStatuses(ConnectionFactory cf, String inbox, int count) throws Exception {
        List<AcknowledgementStatusCode> out = new ArrayList<>();
        for (Message m : Jms.receiveSelected(cf, inbox, "OriginHubMessageType = 'Acknowledgement'", count, WAIT)) {
            out.add(codec.read(Jms.body(m).getBytes(StandardCharsets.UTF_8)).getBody().getAcknowledgement().getStatus());
        }
        assertThat(out).hasSize(count);
        return out;
    }

    private static List<String> numbers(List<Message> messages) throws Exception {
        List<String> out = new ArrayList<>();
        for (Message m : messages) out.add(m.getStringProperty(HubHeaders.DOCUMENT_NUMBER));
        return out;
    }

    private static List<String> types(List<Message> messages) throws Exception {
        List<String> out = new ArrayList<>();
        for (Message m : messages) out.add(m.getStringProperty(HubHeaders.MESSAGE_TYPE));
        return out;
    }

    private static CertificateLifecycle lifecycle(String party) {
        return ("AR".equals(party) ? hubs.hubAr() : hubs.hubBr()).getBean(CertificateLifecycle.class);
    }

    private static void awaitState(String party, String number, CertificateState expected) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(lifecycle(party).certificate(party, new CertificateKey("AR", number)))
                        .as("%s's view of %s", party, number)
                        .get().extracting(CertificateRecord::state).isEqualTo(expected));
    }

    private static byte[] sample(String path) throws Exception {
        return Files.readAllBytes(Path.of("samples", path));
    }
}
