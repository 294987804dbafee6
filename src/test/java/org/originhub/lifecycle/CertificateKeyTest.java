package org.originhub.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.originhub.lifecycle.LifecycleFixtures.*;

import java.time.LocalDate;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.junit.jupiter.api.Test;
import org.originhub.dataset.v1.AcknowledgementStatusCode;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.dataset.v1.MessageTypeCode;
import org.originhub.dataset.v1.NoticeStatusCode;
import org.originhub.dataset.v1.UtilisationDecisionCode;
import org.originhub.dataset.v1.VerificationResultCode;
import org.originhub.exchange.HubHeaders;
import org.originhub.dataset.AcknowledgementFactory;

/** The CO key and the JMS message group every message about one CO shares, whatever its type and direction. */
class CertificateKeyTest {
    private static final String GROUP = "AR:" + NUMBER;

    @Test
    void everyMessageOfTheSampleConversationHasTheSameGroup() {
        List<String> files = List.of("co-replacement-ar-br-a18.xml", "status-cancel-ar-br-a18.xml", "utilisation-br-ar-a18.xml",
                "verification-request-br-ar-a18.xml", "verification-response-ar-br-a18.xml", "certificate-request-br-ar-a18.xml");
        for (String file : files) {
            assertThat(CertificateKey.groupId(sample(file))).as(file).isEqualTo(GROUP);
            assertThat(CertificateKey.concerning(sample(file))).as(file).isEqualTo(new CertificateKey("AR", NUMBER, ISSUED));
        }
        assertThat(CertificateKey.groupId(codIssuance())).isEqualTo("AR:" + COD_NUMBER);
    }

    @Test
    void withoutIssuingCountryTheIssuerIsDerivedFromWhoSendsTheMessage() {
        // The issuing side sends StatusNotice and VerificationResponse: the sender issued the CO.
        ExchangeEnvelope cancel = notice(NUMBER, NoticeStatusCode.CANCELLED);
        cancel.getBody().getStatusNotice().getCertificate().setIssuingCountry(null);
        ExchangeEnvelope response = verificationResponse(NUMBER, java.util.UUID.randomUUID().toString(), VerificationResultCode.CONFIRMED);
        response.getBody().getVerificationResponse().getCertificate().setIssuingCountry(null);
        // The importing side sends UtilisationNotice, VerificationRequest and CertificateRequest: the receiver issued it.
        ExchangeEnvelope used = utilisation(NUMBER, UtilisationDecisionCode.GRANTED);
        used.getBody().getUtilisationNotice().getCertificate().setIssuingCountry(null);
        ExchangeEnvelope verify = verificationRequest(NUMBER);
        verify.getBody().getVerificationRequest().getCertificate().setIssuingCountry(null);
        ExchangeEnvelope pull = certificateRequest(NUMBER, ISSUED);
        pull.getBody().getCertificateRequest().getCertificate().setIssuingCountry(null);

        for (ExchangeEnvelope e : List.of(cancel, response, used, verify, pull)) {
            assertThat(CertificateKey.groupId(e)).as(e.getHeader().getMessageType().value()).isEqualTo(GROUP);
        }
    }

    @Test
    void anExplicitIssuingCountryWins() {
        ExchangeEnvelope used = utilisation(NUMBER, UtilisationDecisionCode.GRANTED);
        used.getBody().getUtilisationNotice().getCertificate().setIssuingCountry("UY");
        assertThat(CertificateKey.groupId(used)).isEqualTo("UY:" + NUMBER);
    }

    @Test
    void theReferenceWinsOverTheHeaderAndTheHeaderFillsWhatItLacks() {
        ExchangeEnvelope cancel = notice(NUMBER, NoticeStatusCode.CANCELLED);
        cancel.getHeader().setDocumentNumber("SOMETHING-ELSE");
        assertThat(CertificateKey.concerning(cancel).number()).isEqualTo(NUMBER);

        ExchangeEnvelope undated = notice(NUMBER, NoticeStatusCode.CANCELLED);
        undated.getBody().getStatusNotice().getCertificate().setIssueDate(null);
        assertThat(CertificateKey.concerning(undated).issueDate()).isEqualTo(ISSUED);
    }

    @Test
    void anAcknowledgementGroupsWithTheCoOfWhatItAcknowledges() {
        ExchangeEnvelope co = sample("co-replacement-ar-br-a18.xml");
        ExchangeEnvelope ackOfCo = AcknowledgementFactory.acknowledge(AcknowledgementFactory.Original.of(co.getHeader()), "BR",
                AcknowledgementStatusCode.ACCEPTED, List.of());
        ExchangeEnvelope used = sample("utilisation-br-ar-a18.xml");
        ExchangeEnvelope ackOfUse = AcknowledgementFactory.acknowledge(AcknowledgementFactory.Original.of(used.getHeader()), "AR",
                AcknowledgementStatusCode.ACCEPTED, List.of());

        assertThat(ackOfCo.getHeader().getSender().getCountry()).isEqualTo("BR");
        assertThat(CertificateKey.groupId(ackOfCo)).isEqualTo(GROUP);
        assertThat(ackOfUse.getHeader().getSender().getCountry()).isEqualTo("AR");
        assertThat(CertificateKey.groupId(ackOfUse)).isEqualTo(GROUP);
    }

    @Test
    void theHubGroupsEveryMessageByThisKey() {
        ExchangeEnvelope co = codIssuance();
        CamelContext camel = new DefaultCamelContext();
        Message m = new DefaultMessage(camel);
        MessageIdentity.set(m, co);
        assertThat(CertificateKey.groupId(co)).isEqualTo(m.getHeader(HubHeaders.GROUP_ID));
    }

    @Test
    void aReplacementGroupsWithTheNewCoAndNamesTheOldOne() {
        ExchangeEnvelope r = sample("co-replacement-ar-br-a18.xml");
        assertThat(CertificateKey.groupId(r)).isEqualTo(GROUP);
        assertThat(CertificateKey.replacedBy(r)).isEqualTo(new CertificateKey("AR", COD_NUMBER, COD_ISSUED));
        assertThat(CertificateKey.replacedBy(issuance(NUMBER, ISSUED))).isNull();

        r.getBody().getCertificateOfOrigin().getDocument().getReplacedCertificate().setIssuingCountry(null);
        assertThat(CertificateKey.replacedBy(r).issuingCountry()).isEqualTo("AR");
    }

    @Test
    void keysCompareByCountryNumberAndCompatibleDates() {
        CertificateKey dated = new CertificateKey("AR", NUMBER, ISSUED);
        assertThat(dated.sameCertificate(new CertificateKey("AR", NUMBER))).isTrue();
        assertThat(dated.sameCertificate(new CertificateKey("AR", NUMBER, ISSUED.plusDays(1)))).isFalse();
        assertThat(dated.sameCertificate(new CertificateKey("BR", NUMBER, ISSUED))).isFalse();
        assertThat(dated.groupId()).isEqualTo(new CertificateKey(" AR", NUMBER + " ", LocalDate.MIN).groupId());
        assertThatThrownBy(() -> new CertificateKey("ARG", NUMBER)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CertificateKey("AR", " ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void messageTypesAreSortedBySide() {
        assertThat(List.of(MessageTypeCode.values())).filteredOn(CertificateKey::sentByIssuingSide)
                .containsExactlyInAnyOrder(MessageTypeCode.CERTIFICATE_OF_ORIGIN, MessageTypeCode.STATUS_NOTICE, MessageTypeCode.VERIFICATION_RESPONSE);
    }
}
