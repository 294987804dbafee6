package org.originhub.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.originhub.lifecycle.LifecycleFixtures.*;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.originhub.dataset.v1.AcknowledgementStatusCode;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.dataset.v1.NoticeStatusCode;
import org.originhub.dataset.v1.UtilisationDecisionCode;
import org.originhub.dataset.v1.VerificationResultCode;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;
import org.originhub.dataset.AcknowledgementFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Every lifecycle rule, against a real H2 database migrated by Flyway. One hub serves AR (issuing side) and BR
 * (importing side), as the default configuration does, so each message is applied outbound (the sender's view) and
 * inbound (the receiver's view) and both views are checked.
 */
class CertificateLifecycleTest {
    private static final String OLD = "ARCACA00182600070001";
    private static final LocalDate OLD_ISSUED = LocalDate.of(2026, 11, 2);

    @TempDir
    Path dir;
    DataSource db;
    CertificateLifecycle lifecycle;

    @BeforeEach
    void hub() {
        db = openDatabase();
        lifecycle = new CertificateLifecycle(db, CODEC);
    }

    /** The database under test: an H2 file in a temporary folder (PostgreSQL in {@link CertificateLifecyclePostgresTest}). */
    protected DataSource openDatabase() {
        return database(dir);
    }

    /** Sent by its sender's party, then received by its receiver's party: the receiver's outcome. */
    private LifecycleOutcome exchange(ExchangeEnvelope e) {
        byte[] xml = xml(e);
        lifecycle.onOutbound(e, xml);
        return lifecycle.onInbound(e, xml);
    }

    private CertificateState state(String party, String number) {
        return lifecycle.certificate(party, new CertificateKey("AR", number)).orElseThrow().state();
    }

    private CertificateRecord record(String party, String number) {
        return lifecycle.certificate(party, new CertificateKey("AR", number)).orElseThrow();
    }

    private static List<String> codes(LifecycleOutcome o) {
        return o.warnings().stream().map(LifecycleWarning::code).toList();
    }

    private void issued() {
        exchange(issuance(NUMBER, ISSUED));
    }

    // ------------------------------------------------------------------ issuance

    @Test
    void anIssuedCoIsIssuedOnBothSidesWithItsEnvelope() {
        ExchangeEnvelope co = issuance(NUMBER, ISSUED);
        LifecycleOutcome sent = lifecycle.onOutbound(co, xml(co));
        LifecycleOutcome received = lifecycle.onInbound(co, xml(co));

        assertThat(sent.warnings()).isEmpty();
        assertThat(received.warnings()).isEmpty();
        assertThat(received.transitions()).singleElement().satisfies(t -> {
            assertThat(t.from()).isNull();
            assertThat(t.to()).isEqualTo(CertificateState.ISSUED);
            assertThat(t.messageId()).isEqualTo(co.getHeader().getMessageId());
            assertThat(t.messageType()).isEqualTo("CertificateOfOrigin");
            assertThat(t.direction()).isEqualTo(MessageDirection.INBOUND);
        });
        CertificateRecord ar = record("AR", NUMBER);
        CertificateRecord br = record("BR", NUMBER);
        assertThat(ar.side()).isEqualTo(CertificateSide.ISSUING);
        assertThat(ar.partnerCountry()).isEqualTo("BR");
        assertThat(br.side()).isEqualTo(CertificateSide.IMPORTING);
        assertThat(br.partnerCountry()).isEqualTo("AR");
        assertThat(br.certificate().issueDate()).isEqualTo(ISSUED);
        assertThat(br.agreementId()).isEqualTo("A18");
        assertThat(ar.hasEnvelope()).isTrue();
        assertThat(lifecycle.store().envelope(br.id())).hasValueSatisfying(x -> assertThat(x).isEqualTo(xml(co)));
        assertThat(lifecycle.transitions("BR", new CertificateKey("AR", NUMBER))).hasSize(1);
    }

    @Test
    void anIssuanceOfAKnownCoKeepsItsStateAndWarns() {
        issued();
        exchange(utilisation(NUMBER, UtilisationDecisionCode.GRANTED));

        LifecycleOutcome again = exchange(again(issuance(NUMBER, ISSUED)));

        assertThat(codes(again)).containsExactly(LifecycleWarning.CERTIFICATE_ALREADY_KNOWN);
        assertThat(state("BR", NUMBER)).isEqualTo(CertificateState.UTILISED);
    }

    @Test
    void anIssuanceOfACancelledCoIsRefused() {
        issued();
        exchange(notice(NUMBER, NoticeStatusCode.CANCELLED));

        ExchangeEnvelope reissue = again(issuance(NUMBER, ISSUED));
        assertThatThrownBy(() -> lifecycle.onInbound(reissue, xml(reissue)))
                .isInstanceOfSatisfying(MessageRejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RejectionReason.LIFECYCLE_CONFLICT);
                    assertThat(e.getMessage()).contains("was cancelled");
                });
        assertThat(state("BR", NUMBER)).isEqualTo(CertificateState.CANCELLED);
    }

    @Test
    void aCoNumberKnownWithAnotherIssueDateIsAConflict() {
        issued();
        ExchangeEnvelope other = issuance(NUMBER, ISSUED.plusDays(1));
        assertThatThrownBy(() -> lifecycle.onInbound(other, xml(other)))
                .isInstanceOfSatisfying(MessageRejectedException.class, e -> assertThat(e.reason()).isEqualTo(RejectionReason.LIFECYCLE_CONFLICT));
    }

    @Test
    void aCertificateOfOriginWithTheCancellationFunctionIsRefused() {
        ExchangeEnvelope co = issuance(NUMBER, ISSUED);
        co.getHeader().setMessageFunction("1");
        assertThatThrownBy(() -> lifecycle.onOutbound(co, xml(co)))
                .isInstanceOfSatisfying(MessageRejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RejectionReason.LIFECYCLE_CONFLICT);
                    assertThat(e.getMessage()).contains("StatusNotice");
                });
        assertThat(lifecycle.certificate("AR", new CertificateKey("AR", NUMBER))).isEmpty();
    }

    // ------------------------------------------------------------------ replacement and amendment

    @Test
    void aReplacementMarksTheOldCoReplacedAndTheNewOneIssued() {
        exchange(issuance(OLD, OLD_ISSUED));

        LifecycleOutcome o = exchange(replacement(NUMBER, ISSUED, OLD, OLD_ISSUED));

        assertThat(o.warnings()).isEmpty();
        assertThat(o.transitions()).extracting(LifecycleTransition::to).containsExactly(CertificateState.REPLACED, CertificateState.ISSUED);
        for (String party : List.of("AR", "BR")) {
            assertThat(record(party, OLD).state()).isEqualTo(CertificateState.REPLACED);
            assertThat(record(party, OLD).replacedBy()).isEqualTo(NUMBER);
            assertThat(record(party, NUMBER).state()).isEqualTo(CertificateState.ISSUED);
            assertThat(record(party, NUMBER).replaces()).isEqualTo(OLD);
        }
    }

    @Test
    void theReplacementSampleReplacesTheCodSample() {
        exchange(codIssuance());
        LifecycleOutcome o = exchange(sample("co-replacement-ar-br-a18.xml"));

        assertThat(o.warnings()).isEmpty();
        assertThat(state("BR", COD_NUMBER)).isEqualTo(CertificateState.REPLACED);
        assertThat(state("BR", NUMBER)).isEqualTo(CertificateState.ISSUED);
    }

    @Test
    void aReplacementOfAnUnknownCoIsAcceptedWithAWarning() {
        LifecycleOutcome o = exchange(replacement(NUMBER, ISSUED, OLD, OLD_ISSUED));

        assertThat(codes(o)).containsExactly(LifecycleWarning.REPLACED_CERTIFICATE_UNKNOWN);
        assertThat(record("BR", OLD).state()).isEqualTo(CertificateState.REPLACED);
        assertThat(record("BR", OLD).hasEnvelope()).isFalse();
        assertThat(state("BR", NUMBER)).isEqualTo(CertificateState.ISSUED);
    }

    @Test
    void aReplacementOfACancelledCoIsRefusedAndChangesNothing() {
        exchange(issuance(OLD, OLD_ISSUED));
        exchange(notice(OLD, NoticeStatusCode.CANCELLED));

        ExchangeEnvelope r = replacement(NUMBER, ISSUED, OLD, OLD_ISSUED);
        assertThatThrownBy(() -> lifecycle.onOutbound(r, xml(r)))
                .isInstanceOfSatisfying(MessageRejectedException.class, e -> assertThat(e.reason()).isEqualTo(RejectionReason.LIFECYCLE_CONFLICT));
        assertThat(state("AR", OLD)).isEqualTo(CertificateState.CANCELLED);
        assertThat(lifecycle.certificate("AR", new CertificateKey("AR", NUMBER))).isEmpty();
    }

    @Test
    void aCoReplacedByOneCoCannotBeReplacedByAnotherButTheSameReplacementMayBeResent() {
        exchange(issuance(OLD, OLD_ISSUED));
        exchange(replacement(NUMBER, ISSUED, OLD, OLD_ISSUED));

        LifecycleOutcome resent = exchange(replacement(NUMBER, ISSUED, OLD, OLD_ISSUED));
        assertThat(codes(resent)).containsExactly(LifecycleWarning.CERTIFICATE_ALREADY_KNOWN);

        ExchangeEnvelope other = replacement("ARCACA00182600079999", ISSUED, OLD, OLD_ISSUED);
        assertThatThrownBy(() -> lifecycle.onInbound(other, xml(other)))
                .isInstanceOfSatisfying(MessageRejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RejectionReason.LIFECYCLE_CONFLICT);
                    assertThat(e.getMessage()).contains("already replaced by CO " + NUMBER);
                });
    }

    @Test
    void aReplacementMustNameTheReplacedCo() {
        ExchangeEnvelope r = issuance(NUMBER, ISSUED);
        r.getHeader().setMessageFunction("5");
        assertThatThrownBy(() -> lifecycle.onOutbound(r, xml(r)))
                .isInstanceOfSatisfying(MessageRejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RejectionReason.LIFECYCLE_CONFLICT);
                    assertThat(e.getMessage()).contains("ReplacedCertificate");
                });
    }

    @Test
    void anAmendmentUnderTheSameNumberKeepsTheStateAndTheNewData() {
        issued();
        exchange(verificationRequest(NUMBER));
        ExchangeEnvelope amended = replacement(NUMBER, ISSUED, NUMBER, ISSUED);
        amended.getHeader().setMessageFunction("4");

        LifecycleOutcome o = exchange(amended);

        assertThat(o.warnings()).isEmpty();
        assertThat(o.transitions()).singleElement().satisfies(t -> assertThat(t.note()).isEqualTo("amended"));
        assertThat(state("BR", NUMBER)).isEqualTo(CertificateState.UNDER_VERIFICATION);
        assertThat(lifecycle.store().envelope(record("BR", NUMBER).id())).hasValueSatisfying(x -> assertThat(x).isEqualTo(xml(amended)));
    }

    // ------------------------------------------------------------------ status notices

    @Test
    void aCancellationOfAnUnknownCoIsRefusedWithAClearReason() {
        ExchangeEnvelope cancel = notice(NUMBER, NoticeStatusCode.CANCELLED);
        assertThatThrownBy(() -> lifecycle.onInbound(cancel, xml(cancel)))
                .isInstanceOfSatisfying(MessageRejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RejectionReason.UNKNOWN_CERTIFICATE);
                    assertThat(e.getMessage()).contains(NUMBER).contains("not known to the hub of BR");
                });
        assertThatThrownBy(() -> lifecycle.onOutbound(cancel, xml(cancel)))
                .isInstanceOfSatisfying(MessageRejectedException.class, e -> assertThat(e.reason()).isEqualTo(RejectionReason.UNKNOWN_CERTIFICATE));
        assertThat(lifecycle.certificate("BR", new CertificateKey("AR", NUMBER))).isEmpty();
    }

    @Test
    void aCancellationCancelsAndASecondOneIsIdempotent() {
        issued();
        LifecycleOutcome first = exchange(notice(NUMBER, NoticeStatusCode.CANCELLED));
        assertThat(first.warnings()).isEmpty();
        assertThat(state("AR", NUMBER)).isEqualTo(CertificateState.CANCELLED);
        assertThat(state("BR", NUMBER)).isEqualTo(CertificateState.CANCELLED);

        LifecycleOutcome second = exchange(notice(NUMBER, NoticeStatusCode.CANCELLED));

        assertThat(codes(second)).containsExactly(LifecycleWarning.ALREADY_CANCELLED);
        assertThat(second.warnings().get(0).text()).contains("already cancelled");
        assertThat(second.transitions()).singleElement().satisfies(t -> assertThat(t.changedState()).isFalse());
        assertThat(state("BR", NUMBER)).isEqualTo(CertificateState.CANCELLED);
        assertThat(second.acknowledgementReasons()).singleElement()
                .isEqualTo(new AcknowledgementFactory.Reason(LifecycleWarning.ALREADY_CANCELLED, second.warnings().get(0).text(), true));
    }

    @Test
    void aRevocationOfACancelledCoChangesNothingAndWarns() {
        issued();
        exchange(notice(NUMBER, NoticeStatusCode.CANCELLED));
        LifecycleOutcome o = exchange(notice(NUMBER, NoticeStatusCode.REVOKED));
        assertThat(codes(o)).containsExactly(LifecycleWarning.ALREADY_CANCELLED);
        assertThat(state("BR", NUMBER)).isEqualTo(CertificateState.CANCELLED);
    }

    @Test
    void revocationAndWithdrawalAreKeptDistinct() {
        issued();
        exchange(notice(NUMBER, NoticeStatusCode.REVOKED));
        assertThat(state("BR", NUMBER)).isEqualTo(CertificateState.REVOKED);
        exchange(issuance(OLD, OLD_ISSUED));
        exchange(notice(OLD, NoticeStatusCode.WITHDRAWN));
        assertThat(state("BR", OLD)).isEqualTo(CertificateState.WITHDRAWN);
    }

    @Test
    void aCancellationOfAUtilisedCoWarnsTheImportingSide() {
        issued();
        exchange(utilisation(NUMBER, UtilisationDecisionCode.GRANTED));
        LifecycleOutcome o = exchange(notice(NUMBER, NoticeStatusCode.CANCELLED));
        assertThat(codes(o)).containsExactly(LifecycleWarning.CERTIFICATE_UTILISED);
        assertThat(state("BR", NUMBER)).isEqualTo(CertificateState.CANCELLED);
    }

    @Test
    void onlyTheIssuingSideMayCancel() {
        issued();
        ExchangeEnvelope cancel = notice(NUMBER, NoticeStatusCode.CANCELLED);
        cancel.getHeader().getSender().setCountry("BR");
        cancel.getHeader().getReceiver().setCountry("AR");
        assertThatThrownBy(() -> lifecycle.onInbound(cancel, xml(cancel)))
                .isInstanceOfSatisfying(MessageRejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RejectionReason.LIFECYCLE_CONFLICT);
                    assertThat(e.getMessage()).contains("only the issuing side");
                });
        assertThat(state("AR", NUMBER)).isEqualTo(CertificateState.ISSUED);
    }

    // ------------------------------------------------------------------ utilisation

    @Test
    void aUtilisationNoticeMakesTheCoUtilisedAndKeepsTheDecision() {
        issued();
        LifecycleOutcome o = exchange(utilisation(NUMBER, UtilisationDecisionCode.PARTIALLY_GRANTED));
        assertThat(o.warnings()).isEmpty();
        assertThat(state("AR", NUMBER)).isEqualTo(CertificateState.UTILISED);
        assertThat(record("AR", NUMBER).utilisationDecision()).isEqualTo("PartiallyGranted");
        assertThat(o.transitions().get(0).note()).contains("PartiallyGranted").contains("26/1234567-8");
    }

    @Test
    void aUtilisationNoticeForACancelledCoIsFlaggedAndRecorded() {
        issued();
        exchange(notice(NUMBER, NoticeStatusCode.CANCELLED));

        LifecycleOutcome o = exchange(utilisation(NUMBER, UtilisationDecisionCode.GRANTED));

        assertThat(codes(o)).containsExactly(LifecycleWarning.CERTIFICATE_CANCELLED);
        assertThat(o.warnings().get(0).text()).contains("which was cancelled");
        assertThat(state("AR", NUMBER)).isEqualTo(CertificateState.CANCELLED);
        assertThat(record("AR", NUMBER).utilisationDecision()).isEqualTo("Granted");
        assertThat(lifecycle.transitions("AR", new CertificateKey("AR", NUMBER)))
                .extracting(LifecycleTransition::messageType).containsExactly("CertificateOfOrigin", "StatusNotice", "UtilisationNotice");
    }

    @Test
    void aUtilisationNoticeForAnUnknownCoIsRecordedWithAWarning() {
        LifecycleOutcome o = exchange(utilisation(NUMBER, UtilisationDecisionCode.DENIED));
        assertThat(codes(o)).containsExactly(LifecycleWarning.UNKNOWN_CERTIFICATE);
        assertThat(record("AR", NUMBER).state()).isEqualTo(CertificateState.UTILISED);
        assertThat(record("AR", NUMBER).utilisationDecision()).isEqualTo("Denied");
        assertThat(record("AR", NUMBER).side()).isEqualTo(CertificateSide.ISSUING);
    }

    @Test
    void aUtilisationNoticeDuringAVerificationKeepsTheVerificationState() {
        issued();
        exchange(verificationRequest(NUMBER));
        exchange(utilisation(NUMBER, UtilisationDecisionCode.GRANTED));
        assertThat(state("AR", NUMBER)).isEqualTo(CertificateState.UNDER_VERIFICATION);
        assertThat(record("AR", NUMBER).utilisationDecision()).isEqualTo("Granted");
    }

    @Test
    void aUtilisationNoticeMustGoToTheIssuingSide() {
        issued();
        ExchangeEnvelope u = utilisation(NUMBER, UtilisationDecisionCode.GRANTED);
        u.getHeader().getReceiver().setCountry("UY");
        assertThatThrownBy(() -> lifecycle.onOutbound(u, xml(u)))
                .isInstanceOfSatisfying(MessageRejectedException.class, e -> assertThat(e.reason()).isEqualTo(RejectionReason.LIFECYCLE_CONFLICT));
    }

    // ------------------------------------------------------------------ verification

    @Test
    void aVerificationRequestAndItsConfirmationMakeTheCoVerified() {
        issued();
        ExchangeEnvelope request = verificationRequest(NUMBER);
        exchange(request);
        assertThat(state("AR", NUMBER)).isEqualTo(CertificateState.UNDER_VERIFICATION);
        assertThat(state("BR", NUMBER)).isEqualTo(CertificateState.UNDER_VERIFICATION);

        ExchangeEnvelope response = verificationResponse(NUMBER, request.getHeader().getMessageId(), VerificationResultCode.CONFIRMED);
        LifecycleOutcome o = exchange(response);

        assertThat(o.warnings()).isEmpty();
        assertThat(state("AR", NUMBER)).isEqualTo(CertificateState.VERIFIED);
        assertThat(state("BR", NUMBER)).isEqualTo(CertificateState.VERIFIED);
        assertThat(record("BR", NUMBER).verificationResult()).isEqualTo("Confirmed");
        assertThat(lifecycle.store().verificationRequest("BR", request.getHeader().getMessageId())).hasValueSatisfying(r -> {
            assertThat(r.answered()).isTrue();
            assertThat(r.responseMessageId()).isEqualTo(response.getHeader().getMessageId());
            assertThat(r.requestingCountry()).isEqualTo("BR");
        });
    }

    @Test
    void notConfirmedAndPartiallyConfirmedMakeTheCoNotConfirmed() {
        issued();
        ExchangeEnvelope request = verificationRequest(NUMBER);
        exchange(request);
        exchange(verificationResponse(NUMBER, request.getHeader().getMessageId(), VerificationResultCode.NOT_CONFIRMED));
        assertThat(state("BR", NUMBER)).isEqualTo(CertificateState.NOT_CONFIRMED);

        ExchangeEnvelope second = verificationRequest(NUMBER);
        exchange(second);
        LifecycleOutcome partly = exchange(verificationResponse(NUMBER, second.getHeader().getMessageId(), VerificationResultCode.PARTIALLY_CONFIRMED));

        assertThat(codes(partly)).containsExactly(LifecycleWarning.PARTIALLY_CONFIRMED);
        assertThat(state("BR", NUMBER)).isEqualTo(CertificateState.NOT_CONFIRMED);
        assertThat(record("BR", NUMBER).verificationResult()).isEqualTo("PartiallyConfirmed");
    }

    @Test
    void aResponseToAnUnknownRequestIsRefused() {
        issued();
        ExchangeEnvelope response = verificationResponse(NUMBER, UUID.randomUUID().toString(), VerificationResultCode.CONFIRMED);
        assertThatThrownBy(() -> lifecycle.onInbound(response, xml(response)))
                .isInstanceOfSatisfying(MessageRejectedException.class, e -> assertThat(e.reason()).isEqualTo(RejectionReason.UNKNOWN_VERIFICATION_REQUEST));
        assertThatThrownBy(() -> lifecycle.onOutbound(response, xml(response)))
                .isInstanceOfSatisfying(MessageRejectedException.class, e -> assertThat(e.reason()).isEqualTo(RejectionReason.UNKNOWN_VERIFICATION_REQUEST));

        ExchangeEnvelope noReply = verificationResponse(NUMBER, null, VerificationResultCode.CONFIRMED);
        noReply.getHeader().setCorrelationId(null);
        assertThatThrownBy(() -> lifecycle.onInbound(noReply, xml(noReply)))
                .isInstanceOfSatisfying(MessageRejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RejectionReason.UNKNOWN_VERIFICATION_REQUEST);
                    assertThat(e.getMessage()).contains("InReplyTo");
                });
        assertThat(state("BR", NUMBER)).isEqualTo(CertificateState.ISSUED);
    }

    @Test
    void aResponseMustBeAboutTheCoOfItsRequest() {
        issued();
        exchange(issuance(OLD, OLD_ISSUED));
        ExchangeEnvelope request = verificationRequest(NUMBER);
        exchange(request);

        ExchangeEnvelope response = verificationResponse(OLD, request.getHeader().getMessageId(), VerificationResultCode.CONFIRMED);
        assertThatThrownBy(() -> lifecycle.onInbound(response, xml(response)))
                .isInstanceOfSatisfying(MessageRejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RejectionReason.LIFECYCLE_CONFLICT);
                    assertThat(e.getMessage()).contains("was about CO " + NUMBER);
                });
    }

    @Test
    void aSecondAnswerToARequestCountsAndWarns() {
        issued();
        ExchangeEnvelope request = verificationRequest(NUMBER);
        exchange(request);
        exchange(verificationResponse(NUMBER, request.getHeader().getMessageId(), VerificationResultCode.NOT_CONFIRMED));
        LifecycleOutcome o = exchange(verificationResponse(NUMBER, request.getHeader().getMessageId(), VerificationResultCode.CONFIRMED));
        assertThat(codes(o)).containsExactly(LifecycleWarning.VERIFICATION_ALREADY_ANSWERED);
        assertThat(state("BR", NUMBER)).isEqualTo(CertificateState.VERIFIED);
    }

    @Test
    void aVerificationOfAnUnknownCoIsRecordedSoItCanBeAnswered() {
        ExchangeEnvelope request = verificationRequest(NUMBER);
        LifecycleOutcome o = exchange(request);
        assertThat(codes(o)).containsExactly(LifecycleWarning.UNKNOWN_CERTIFICATE);
        assertThat(state("AR", NUMBER)).isEqualTo(CertificateState.UNDER_VERIFICATION);

        exchange(verificationResponse(NUMBER, request.getHeader().getMessageId(), VerificationResultCode.NOT_CONFIRMED));
        assertThat(state("AR", NUMBER)).isEqualTo(CertificateState.NOT_CONFIRMED);
    }

    @Test
    void aVerificationOfACancelledCoKeepsItCancelled() {
        issued();
        exchange(notice(NUMBER, NoticeStatusCode.CANCELLED));
        ExchangeEnvelope request = verificationRequest(NUMBER);
        assertThat(codes(exchange(request))).containsExactly(LifecycleWarning.CERTIFICATE_CANCELLED);
        exchange(verificationResponse(NUMBER, request.getHeader().getMessageId(), VerificationResultCode.NOT_CONFIRMED));
        assertThat(state("BR", NUMBER)).isEqualTo(CertificateState.CANCELLED);
        assertThat(record("BR", NUMBER).verificationResult()).isEqualTo("NotConfirmed");
    }

    // ------------------------------------------------------------------ other messages, idempotency, concurrency

    @Test
    void acknowledgementsAndCertificateRequestsDoNotChangeTheState() {
        issued();
        ExchangeEnvelope co = issuance(NUMBER, ISSUED);
        ExchangeEnvelope ack = AcknowledgementFactory.acknowledge(AcknowledgementFactory.Original.of(co.getHeader()), "BR",
                AcknowledgementStatusCode.ACCEPTED, List.of());
        assertThat(lifecycle.onInbound(ack, xml(ack))).isEqualTo(LifecycleOutcome.nothing());

        LifecycleOutcome asked = exchange(certificateRequest(NUMBER, ISSUED));
        assertThat(asked.warnings()).isEmpty();
        assertThat(asked.transitions()).singleElement().satisfies(t -> assertThat(t.changedState()).isFalse());
        assertThat(state("AR", NUMBER)).isEqualTo(CertificateState.ISSUED);

        assertThat(exchange(certificateRequest("ARCACA00000000000000", null)).transitions()).isEmpty();
    }

    @Test
    void aMessageProcessedTwiceGetsItsFirstOutcomeAndChangesNothing() {
        issued();
        exchange(notice(NUMBER, NoticeStatusCode.CANCELLED));
        ExchangeEnvelope second = notice(NUMBER, NoticeStatusCode.CANCELLED);
        LifecycleOutcome first = lifecycle.onInbound(second, xml(second));

        LifecycleOutcome redelivered = lifecycle.onInbound(second, xml(second));

        assertThat(redelivered.warnings()).isEqualTo(first.warnings());
        assertThat(redelivered.transitions()).hasSize(1);
        assertThat(lifecycle.transitions("BR", new CertificateKey("AR", NUMBER))).hasSize(3);
    }

    @Test
    void aCopyReceivedTakesTheStatusItCarries() {
        ExchangeEnvelope copy = issuance(NUMBER, ISSUED);
        copy.getHeader().setMessageFunction("31");
        copy.getBody().getCertificateOfOrigin().getDocument().setStatus(org.originhub.dataset.v1.CertificateStatusCode.REVOKED);
        lifecycle.onInbound(copy, xml(copy));
        assertThat(state("BR", NUMBER)).isEqualTo(CertificateState.REVOKED);
        assertThat(record("BR", NUMBER).hasEnvelope()).isTrue();
    }

    @Test
    void concurrentFirstMessagesAboutOneCoRecordItOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<LifecycleOutcome>> tasks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ExchangeEnvelope u = utilisation(NUMBER, UtilisationDecisionCode.GRANTED);
                tasks.add(() -> lifecycle.onInbound(u, xml(u)));
            }
            for (Future<LifecycleOutcome> f : pool.invokeAll(tasks)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(new JdbcTemplate(db).queryForObject("SELECT COUNT(*) FROM co_certificate WHERE party = 'AR'", Integer.class)).isEqualTo(1);
        assertThat(lifecycle.transitions("AR", new CertificateKey("AR", NUMBER))).hasSize(8);
    }
}
