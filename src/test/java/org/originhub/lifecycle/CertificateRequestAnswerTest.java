package org.originhub.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.originhub.lifecycle.LifecycleFixtures.*;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.originhub.dataset.v1.AcknowledgementStatusCode;
import org.originhub.dataset.v1.CertificateStatusCode;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.dataset.v1.MessageTypeCode;
import org.originhub.dataset.v1.NoticeStatusCode;

/** The pull: an importing side's CertificateRequest answered by the issuing side's hub from its store. */
class CertificateRequestAnswerTest {
    @TempDir
    Path dir;
    CertificateLifecycle lifecycle;

    @BeforeEach
    void hub() {
        lifecycle = new CertificateLifecycle(database(dir), CODEC);
        ExchangeEnvelope co = issuance(NUMBER, ISSUED);
        lifecycle.onOutbound(co, xml(co)); // AR issued it through this hub; BR never received it
    }

    @Test
    void aKnownCoIsAnsweredWithACopy() {
        ExchangeEnvelope request = certificateRequest(NUMBER, ISSUED);
        request.getHeader().setCorrelationId(null);

        ExchangeEnvelope copy = lifecycle.answerCertificateRequest(request, "AR").orElseThrow();

        var h = copy.getHeader();
        assertThat(h.getMessageId()).isNotEqualTo(request.getHeader().getMessageId()).matches("[0-9a-f-]{36}");
        assertThat(h.getInReplyTo()).isEqualTo(request.getHeader().getMessageId());
        assertThat(h.getCorrelationId()).isEqualTo(request.getHeader().getMessageId());
        assertThat(h.getMessageType()).isEqualTo(MessageTypeCode.CERTIFICATE_OF_ORIGIN);
        assertThat(h.getMessageFunction()).isEqualTo("31");
        assertThat(h.getSender().getCountry()).isEqualTo("AR");
        assertThat(h.getSender().getAuthorityId()).isEqualTo("CAC");
        assertThat(h.getReceiver().getCountry()).isEqualTo("BR");
        assertThat(h.getReceiver().getAuthorityId()).isEqualTo("RFB");
        assertThat(h.getDocumentNumber()).isEqualTo(NUMBER);
        assertThat(h.getDocumentIssueDate()).isEqualTo(ISSUED);
        assertThat(h.getCreatedAt()).isNotNull();
        assertThat(copy.getAny()).isNull();
        var document = copy.getBody().getCertificateOfOrigin().getDocument();
        assertThat(document.getNumber()).isEqualTo(NUMBER);
        assertThat(document.getStatus()).isEqualTo(CertificateStatusCode.ISSUED);
        assertThat(copy.getBody().getCertificateOfOrigin().getGoodsItem()).hasSize(2);
        // Schema-valid, ready for hub.outbound.
        assertThat(CODEC.read(xml(copy)).getHeader().getInReplyTo()).isEqualTo(request.getHeader().getMessageId());
        assertThat(lifecycle.transitions("AR", new CertificateKey("AR", NUMBER))).last()
                .satisfies(t -> assertThat(t.note()).contains("copy sent to BR").contains(request.getHeader().getMessageId()));

        // Sending it changes nothing more at AR; receiving it makes BR know the CO, with its envelope.
        assertThat(lifecycle.onOutbound(copy, xml(copy)).transitions()).hasSize(1);
        lifecycle.onInbound(copy, xml(copy));
        CertificateRecord atBr = lifecycle.certificate("BR", new CertificateKey("AR", NUMBER)).orElseThrow();
        assertThat(atBr.state()).isEqualTo(CertificateState.ISSUED);
        assertThat(atBr.hasEnvelope()).isTrue();
        assertThat(lifecycle.certificate("AR", new CertificateKey("AR", NUMBER)).orElseThrow().state()).isEqualTo(CertificateState.ISSUED);
    }

    @Test
    void theCopyCarriesTheCurrentStatusAndTheRequestsCorrelation() {
        ExchangeEnvelope cancel = notice(NUMBER, NoticeStatusCode.CANCELLED);
        lifecycle.onOutbound(cancel, xml(cancel));
        ExchangeEnvelope request = certificateRequest(NUMBER, null);
        String conversation = java.util.UUID.randomUUID().toString();
        request.getHeader().setCorrelationId(conversation);

        ExchangeEnvelope copy = lifecycle.answerCertificateRequest(request, "AR").orElseThrow();

        assertThat(copy.getBody().getCertificateOfOrigin().getDocument().getStatus()).isEqualTo(CertificateStatusCode.CANCELLED);
        assertThat(copy.getHeader().getCorrelationId()).isEqualTo(conversation);
    }

    @Test
    void anUnknownCoIsAnsweredNotFound() {
        ExchangeEnvelope request = certificateRequest("ARCACA00000000000001", null);

        ExchangeEnvelope answer = lifecycle.answerCertificateRequest(request, "AR").orElseThrow();

        assertNotFound(answer, request);
        assertThat(answer.getBody().getAcknowledgement().getReason().get(0).getText()).contains("ARCACA00000000000001");
    }

    @Test
    void anotherIssueDateOrIssuingCountryIsNotFound() {
        assertNotFound(lifecycle.answerCertificateRequest(certificateRequest(NUMBER, ISSUED.minusDays(3)), "AR").orElseThrow(), null);

        ExchangeEnvelope elsewhere = certificateRequest(NUMBER, ISSUED);
        elsewhere.getBody().getCertificateRequest().getCertificate().setIssuingCountry("UY");
        ExchangeEnvelope answer = lifecycle.answerCertificateRequest(elsewhere, "AR").orElseThrow();
        assertNotFound(answer, elsewhere);
        assertThat(answer.getBody().getAcknowledgement().getReason().get(0).getText()).contains("not issued by AR");
    }

    @Test
    void aCoKnownOnlyByReferenceIsNotFound() {
        ExchangeEnvelope used = utilisation("ARCACA00000000000002", org.originhub.dataset.v1.UtilisationDecisionCode.GRANTED);
        lifecycle.onInbound(used, xml(used)); // AR records it, but never held its envelope
        assertNotFound(lifecycle.answerCertificateRequest(certificateRequest("ARCACA00000000000002", null), "AR").orElseThrow(), null);
    }

    @Test
    void onlyACertificateRequestIsAnswered() {
        assertThat(lifecycle.answerCertificateRequest(verificationRequest(NUMBER), "AR")).isEmpty();
    }

    private static void assertNotFound(ExchangeEnvelope answer, ExchangeEnvelope request) {
        assertThat(answer.getHeader().getMessageType()).isEqualTo(MessageTypeCode.ACKNOWLEDGEMENT);
        assertThat(answer.getHeader().getSender().getCountry()).isEqualTo("AR");
        assertThat(answer.getHeader().getReceiver().getCountry()).isEqualTo("BR");
        var ack = answer.getBody().getAcknowledgement();
        assertThat(ack.getStatus()).isEqualTo(AcknowledgementStatusCode.REJECTED);
        assertThat(ack.getAcknowledgedMessageType()).isEqualTo(MessageTypeCode.CERTIFICATE_REQUEST);
        assertThat(ack.getReason()).singleElement().satisfies(r -> {
            assertThat(r.getCode()).isEqualTo("CERTIFICATE_NOT_FOUND");
            assertThat(r.getSeverity()).isEqualTo("Error");
        });
        if (request != null) {
            assertThat(answer.getHeader().getInReplyTo()).isEqualTo(request.getHeader().getMessageId());
        }
        CODEC.read(xml(answer));
    }
}
