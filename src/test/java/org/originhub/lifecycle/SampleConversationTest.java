package org.originhub.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.originhub.lifecycle.LifecycleFixtures.*;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.originhub.dataset.v1.CertificateStatusCode;
import org.originhub.dataset.v1.ExchangeEnvelope;

/**
 * The whole conversation of the samples between two hubs with their own databases: AR issues the COD, replaces it,
 * BR reports utilisation and asks for a verification, AR confirms, then cancels; BR finally pulls the CO. The state
 * on both sides is checked after each step.
 */
class SampleConversationTest {
    @TempDir
    Path arDir;
    @TempDir
    Path brDir;

    @Test
    void theSampleConversationMovesBothSidesInStep() {
        CertificateLifecycle arHub = new CertificateLifecycle(database(arDir), CODEC);
        CertificateLifecycle brHub = new CertificateLifecycle(database(brDir), CODEC);
        CertificateKey cod = new CertificateKey("AR", COD_NUMBER, COD_ISSUED);
        CertificateKey co = new CertificateKey("AR", NUMBER, ISSUED);

        ExchangeEnvelope issuance = codIssuance();
        send(arHub, brHub, issuance);
        assertStates(arHub, brHub, cod, CertificateState.ISSUED);

        send(arHub, brHub, sample("co-replacement-ar-br-a18.xml"));
        assertStates(arHub, brHub, cod, CertificateState.REPLACED);
        assertStates(arHub, brHub, co, CertificateState.ISSUED);

        send(brHub, arHub, sample("utilisation-br-ar-a18.xml"));
        assertStates(arHub, brHub, co, CertificateState.UTILISED);

        ExchangeEnvelope request = sample("verification-request-br-ar-a18.xml");
        send(brHub, arHub, request);
        assertStates(arHub, brHub, co, CertificateState.UNDER_VERIFICATION);

        ExchangeEnvelope response = sample("verification-response-ar-br-a18.xml");
        response.getHeader().setInReplyTo(request.getHeader().getMessageId());
        response.getHeader().setCorrelationId(request.getHeader().getMessageId());
        send(arHub, brHub, response);
        assertStates(arHub, brHub, co, CertificateState.VERIFIED);

        send(arHub, brHub, sample("status-cancel-ar-br-a18.xml"));
        assertStates(arHub, brHub, co, CertificateState.CANCELLED);

        assertThat(brHub.transitions("BR", co)).extracting(LifecycleTransition::messageType).containsExactly(
                "CertificateOfOrigin", "UtilisationNotice", "VerificationRequest", "VerificationResponse", "StatusNotice");
        assertThat(arHub.transitions("AR", co)).extracting(LifecycleTransition::direction).containsExactly(
                MessageDirection.OUTBOUND, MessageDirection.INBOUND, MessageDirection.INBOUND, MessageDirection.OUTBOUND, MessageDirection.OUTBOUND);

        ExchangeEnvelope pull = sample("certificate-request-br-ar-a18.xml");
        brHub.onOutbound(pull, xml(pull));
        arHub.onInbound(pull, xml(pull));
        ExchangeEnvelope copy = arHub.answerCertificateRequest(pull, "AR").orElseThrow();
        assertThat(copy.getBody().getCertificateOfOrigin().getDocument().getStatus()).isEqualTo(CertificateStatusCode.CANCELLED);
        assertThat(copy.getBody().getCertificateOfOrigin().getDocument().getReplacedCertificate().getNumber()).isEqualTo(COD_NUMBER);
        send(arHub, brHub, copy);
        assertStates(arHub, brHub, co, CertificateState.CANCELLED);
    }

    private static void send(CertificateLifecycle from, CertificateLifecycle to, ExchangeEnvelope e) {
        byte[] xml = xml(e);
        from.onOutbound(e, xml);
        assertThat(to.onInbound(e, xml).warnings()).as(e.getHeader().getMessageType().value()).isEmpty();
    }

    private static void assertStates(CertificateLifecycle arHub, CertificateLifecycle brHub, CertificateKey key, CertificateState expected) {
        assertThat(arHub.certificate("AR", key).orElseThrow().state()).as("AR's view of " + key).isEqualTo(expected);
        assertThat(brHub.certificate("BR", key).orElseThrow().state()).as("BR's view of " + key).isEqualTo(expected);
        assertThat(arHub.certificate("BR", key)).isEmpty();
        assertThat(brHub.certificate("AR", key)).isEmpty();
    }
}
