package org.originhub.lifecycle;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.originhub.dataset.EnvelopeCodec;
import org.originhub.dataset.v1.AcknowledgementStatusCode;
import org.originhub.dataset.v1.AuthorityRefType;
import org.originhub.dataset.v1.CertificateOfOriginType;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.dataset.v1.HeaderType;
import org.originhub.dataset.v1.MessageTypeCode;
import org.originhub.dataset.v1.StatusNoticeType;
import org.originhub.dataset.v1.UtilisationNoticeType;
import org.originhub.dataset.v1.VerificationResponseType;
import org.originhub.dataset.v1.VerificationResultCode;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;
import org.originhub.dataset.AcknowledgementFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The lifecycle rules of certificates of origin (CO): keeps, for each party this hub serves, the state of every CO
 * that party sent or received a message about, and refuses the messages that do not fit.
 *
 * <p>Entry points: {@link #onOutbound} when a party of this hub sends a message, {@link #onInbound} when a verified
 * partner message is about to be delivered to a party's single window, {@link #answerCertificateRequest} to answer a
 * partner's pull. Each message is applied in one database transaction, under a row lock on the CO. A message
 * processed before (same party and MessageId, e.g. redelivered after a rollback) changes nothing and gets the
 * outcome it got the first time. A refused message raises {@link MessageRejectedException} and changes nothing.
 *
 * <p>The view is per party: the party is the sender of an outbound message and the receiver of an inbound one; it is
 * on the {@link CertificateSide#ISSUING issuing side} when it is the CO's issuing country. So a hub serving both AR
 * and BR keeps AR's and BR's views of the same CO apart.
 *
 * <p>The rules (the same for both directions):
 * <table>
 * <caption>Rules</caption>
 * <tr><th>message</th><th>CO unknown</th><th>CO known</th></tr>
 * <tr><td>CertificateOfOrigin 9 (original; also any function not below)</td><td>ISSUED, envelope kept</td>
 *   <td>valid: state unchanged, envelope kept, warning CERTIFICATE_ALREADY_KNOWN; replaced or no longer valid:
 *   rejected LIFECYCLE_CONFLICT</td></tr>
 * <tr><td>CertificateOfOrigin 5/4 with ReplacedCertificate (another number)</td><td>old CO recorded REPLACED with
 *   warning REPLACED_CERTIFICATE_UNKNOWN; new CO ISSUED</td><td>old CO REPLACED (replaced_by = new); new CO ISSUED;
 *   old CO no longer valid, or already replaced by another CO: rejected LIFECYCLE_CONFLICT</td></tr>
 * <tr><td>CertificateOfOrigin 4/5 with ReplacedCertificate = its own number (amendment in place)</td><td>ISSUED,
 *   warning REPLACED_CERTIFICATE_UNKNOWN</td><td>state unchanged, new envelope kept; no longer valid or replaced:
 *   rejected LIFECYCLE_CONFLICT</td></tr>
 * <tr><td>CertificateOfOrigin 5/4 without ReplacedCertificate; 1/3 (cancel with a CO body)</td>
 *   <td colspan="2">rejected LIFECYCLE_CONFLICT</td></tr>
 * <tr><td>CertificateOfOrigin 31/7/43 (copy, e.g. the answer to a certificate request)</td><td>recorded in the state
 *   its Document/Status says, envelope kept</td><td>state unchanged; envelope kept if none was</td></tr>
 * <tr><td>StatusNotice Cancelled/Revoked/Withdrawn</td><td>rejected UNKNOWN_CERTIFICATE</td><td>CANCELLED /
 *   REVOKED / WITHDRAWN (warning CERTIFICATE_UTILISED if it was utilised, CERTIFICATE_REPLACED if replaced); already
 *   cancelled, revoked or withdrawn: accepted, state unchanged, warning ALREADY_CANCELLED</td></tr>
 * <tr><td>UtilisationNotice (any decision; the decision is kept)</td><td>recorded UTILISED, warning
 *   UNKNOWN_CERTIFICATE</td><td>ISSUED/UTILISED: UTILISED; under or after verification: state unchanged; no longer
 *   valid: state unchanged, warning CERTIFICATE_CANCELLED; replaced: state unchanged, warning CERTIFICATE_REPLACED</td></tr>
 * <tr><td>VerificationRequest</td><td>recorded UNDER_VERIFICATION, warning UNKNOWN_CERTIFICATE</td>
 *   <td>UNDER_VERIFICATION; no longer valid or replaced: state unchanged, warning; the request is kept either way</td></tr>
 * <tr><td>VerificationResponse (InReplyTo = a known request about the same CO, to its requester)</td>
 *   <td colspan="2">Confirmed: VERIFIED; NotConfirmed: NOT_CONFIRMED; PartiallyConfirmed: NOT_CONFIRMED with warning
 *   PARTIALLY_CONFIRMED; a no longer valid or replaced CO keeps its state. No InReplyTo or an unknown request: rejected
 *   UNKNOWN_VERIFICATION_REQUEST; a request about another CO or from another country: rejected LIFECYCLE_CONFLICT;
 *   a second answer: accepted, latest counts, warning VERIFICATION_ALREADY_ANSWERED</td></tr>
 * <tr><td>CertificateRequest</td><td>nothing recorded</td><td>state unchanged, logged</td></tr>
 * <tr><td>Acknowledgement</td><td colspan="2">nothing (the message history records it)</td></tr>
 * </table>
 * Every message also must come from the right side: what the issuing side sends (CertificateOfOrigin, StatusNotice,
 * VerificationResponse) from the CO's issuing country, what the importing side sends to it; and a CO number known with
 * another issue date is a LIFECYCLE_CONFLICT.
 */
public class CertificateLifecycle {
    /** UNCL 1225 "copy": the function of the answer to a certificate request. */
    public static final String FUNCTION_COPY = "31";

    private final CertificateLifecycleStore store;
    private final EnvelopeCodec codec;
    private final Clock clock;
    private final TransactionTemplate tx;

    public CertificateLifecycle(DataSource dataSource, EnvelopeCodec codec) {
        this(dataSource, codec, Clock.systemUTC());
    }

    public CertificateLifecycle(DataSource dataSource, EnvelopeCodec codec, Clock clock) {
        this.store = new CertificateLifecycleStore(dataSource);
        this.codec = codec;
        this.clock = clock;
        // Its own transaction manager: the hub's PlatformTransactionManager bean is the JMS one.
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    /**
     * A party of this hub sends {@code envelope} (its MessageId assigned): issuing side a CO, a replacement, a status
     * notice, a verification response; importing side a utilisation notice, a verification request, a certificate
     * request.
     *
     * @param xml the envelope as it leaves (signed or not yet); {@code null} to keep the envelope re-marshalled
     * @throws MessageRejectedException if the message does not fit the CO's lifecycle
     */
    public LifecycleOutcome onOutbound(ExchangeEnvelope envelope, byte[] xml) {
        return process(envelope, xml, MessageDirection.OUTBOUND);
    }

    /**
     * A verified partner message is about to be delivered to the single window of the party it is addressed to.
     *
     * @param signedXml the envelope exactly as received and verified
     * @throws MessageRejectedException if the message does not fit the CO's lifecycle
     */
    public LifecycleOutcome onInbound(ExchangeEnvelope envelope, byte[] signedXml) {
        return process(envelope, signedXml, MessageDirection.INBOUND);
    }

    /**
     * Answers a partner's CertificateRequest that reached the issuing side's hub: a copy of the stored CO, as a new
     * unsigned envelope (new MessageId, InReplyTo = the request, the request's CorrelationId or else its MessageId,
     * MessageFunction {@value #FUNCTION_COPY} copy, Document/Status = the CO's current validity, sender =
     * {@code answeringParty}, receiver = the requester); or, when this hub holds no such CO for that party (number,
     * issuing country and, if given, issue date), an Acknowledgement Rejected with reason CERTIFICATE_NOT_FOUND.
     * Either is ready for {@code hub.outbound} (signed and sent by the outbound flow).
     *
     * @return empty only when {@code request} is not a CertificateRequest
     */
    public Optional<ExchangeEnvelope> answerCertificateRequest(ExchangeEnvelope request, String answeringParty) {
        if (request.getBody() == null || request.getBody().getCertificateRequest() == null) {
            return Optional.empty();
        }
        CertificateKey wanted = CertificateKey.concerning(request);
        return Optional.of(inTransaction(() -> {
            if (!wanted.issuingCountry().equals(answeringParty)) {
                return notFound(request, answeringParty, wanted + " was not issued by " + answeringParty
                        + ", so its hub cannot provide it: ask the issuing country");
            }
            Optional<CertificateRecord> found = store.find(answeringParty, wanted.issuingCountry(), wanted.number(), false);
            if (found.isEmpty() || !found.get().hasEnvelope()) {
                return notFound(request, answeringParty, "the hub of " + answeringParty + " holds no " + wanted);
            }
            CertificateRecord co = found.get();
            if (!CertificateKey.datesAgree(co.certificate().issueDate(), wanted.issueDate())) {
                return notFound(request, answeringParty, "the hub of " + answeringParty + " holds no " + wanted
                        + " (CO " + wanted.number() + " it holds was issued on " + co.certificate().issueDate() + ")");
            }
            ExchangeEnvelope copy = copyOf(codec.read(store.envelope(co.id()).orElseThrow()), co, request, answeringParty);
            HeaderType h = copy.getHeader();
            store.appendTransition(co.id(), answeringParty, new LifecycleTransition(co.certificate(), co.state(), co.state(),
                    h.getMessageId(), MessageTypeCode.CERTIFICATE_OF_ORIGIN.value(), MessageDirection.OUTBOUND, clock.instant(),
                    "copy sent to " + h.getReceiver().getCountry() + " in answer to certificate request " + request.getHeader().getMessageId()), null);
            return copy;
        }));
    }

    /** The CO as {@code party} knows it (issuing country and number; the issue date, if given, must agree). */
    public Optional<CertificateRecord> certificate(String party, CertificateKey key) {
        return store.find(party, key.issuingCountry(), key.number(), false)
                .filter(r -> CertificateKey.datesAgree(r.certificate().issueDate(), key.issueDate()));
    }

    /** The CO's transition log as {@code party} knows it, oldest first (empty if unknown). */
    public List<LifecycleTransition> transitions(String party, CertificateKey key) {
        return certificate(party, key).map(r -> store.transitions(r.id())).orElse(List.of());
    }

    /** The store itself, so that tests can read what a step wrote (the stored envelope, a verification request). */
    public CertificateLifecycleStore store() {
        return store;
    }

    // ------------------------------------------------------------------ processing

    private LifecycleOutcome process(ExchangeEnvelope envelope, byte[] xml, MessageDirection direction) {
        HeaderType h = envelope.getHeader();
        if (h == null || h.getMessageId() == null) {
            throw new IllegalArgumentException("the lifecycle needs the envelope's header and MessageId (call it once the hub assigned them)");
        }
        MessageTypeCode type = CertificateKey.typeOf(envelope);
        if (type == MessageTypeCode.ACKNOWLEDGEMENT) {
            return LifecycleOutcome.nothing();
        }
        try {
            return inTransaction(() -> apply(new Msg(envelope, xml, direction, type)));
        } catch (DuplicateKeyException e) {
            // Another consumer recorded the same CO (or request) first, in parallel: once more, now it is known.
            return inTransaction(() -> apply(new Msg(envelope, xml, direction, type)));
        }
    }

    private LifecycleOutcome apply(Msg m) {
        List<LifecycleTransition> before = store.transitionsOfMessage(m.party, m.id);
        if (!before.isEmpty()) {
            return new LifecycleOutcome(before, decode(store.warningsOfMessage(m.party, m.id)));
        }
        switch (m.type) {
            case CERTIFICATE_OF_ORIGIN -> certificate(m);
            case STATUS_NOTICE -> statusNotice(m);
            case UTILISATION_NOTICE -> utilisation(m);
            case VERIFICATION_REQUEST -> verificationRequest(m);
            case VERIFICATION_RESPONSE -> verificationResponse(m);
            case CERTIFICATE_REQUEST -> certificateRequest(m);
            default -> {
                return LifecycleOutcome.nothing();
            }
        }
        return m.finish();
    }

    private void certificate(Msg m) {
        CertificateKey key = m.key();
        String function = m.h.getMessageFunction();
        switch (function == null ? "9" : function) {
            case "1", "3" -> throw conflict("a CertificateOfOrigin cannot have MessageFunction " + function
                    + " (cancellation/deletion): cancel, revoke or withdraw " + key + " with a StatusNotice");
            case "31", "7", "43" -> copy(m, key);
            case "5", "4" -> replacement(m, key);
            default -> issuance(m, key, null);
        }
    }

    private void issuance(Msg m, CertificateKey key, String replaces) {
        Optional<CertificateRecord> known = known(m, key);
        if (known.isEmpty()) {
            CertificateRecord co = m.create(key, CertificateState.ISSUED, replaces);
            m.step(null, co, replaces == null ? "issued" : "issued, replacing CO " + replaces);
            m.keepEnvelope(co);
            return;
        }
        CertificateRecord co = known.get();
        requireStillValid(co, "issued again");
        m.warn(LifecycleWarning.CERTIFICATE_ALREADY_KNOWN, co.certificate() + " was already issued (it is " + co.state().inWords()
                + "); its new data is kept, its state is unchanged");
        m.step(co, replaces != null && co.replaces() == null ? co.withReplaces(replaces) : co, "issued again");
        m.keepEnvelope(co);
    }

    private void replacement(Msg m, CertificateKey key) {
        CertificateKey old = CertificateKey.replacedBy(m.env);
        String function = m.h.getMessageFunction();
        if (old == null) {
            throw conflict("a CertificateOfOrigin with MessageFunction " + function + " (" + ("5".equals(function) ? "replacement" : "amendment")
                    + ") must name the CO it replaces in Document/ReplacedCertificate");
        }
        if (!old.issuingCountry().equals(key.issuingCountry())) {
            throw conflict(key + " cannot replace " + old + ": a CO replaces only a CO of its own issuing country");
        }
        if (old.number().equals(key.number())) {
            amendmentInPlace(m, key);
            return;
        }
        Optional<CertificateRecord> known = known(m, old);
        if (known.isEmpty()) {
            m.warn(LifecycleWarning.REPLACED_CERTIFICATE_UNKNOWN, "The replaced " + old + " is not known to the hub of " + m.party
                    + "; it is recorded as replaced by CO " + key.number());
            CertificateRecord replaced = m.create(old, CertificateState.REPLACED, null).withReplacedBy(key.number());
            m.step(null, replaced, "replaced by CO " + key.number() + " (first seen in the replacement)");
        } else {
            CertificateRecord replaced = known.get();
            if (replaced.state().isNoLongerValid()) {
                throw conflict(replaced.certificate() + " was " + replaced.state().inWords() + "; a CO taken back cannot be replaced: issue a new CO");
            }
            if (replaced.state() == CertificateState.REPLACED && !key.number().equals(replaced.replacedBy())) {
                throw conflict(replaced.certificate() + " was already replaced by CO " + replaced.replacedBy() + "; it cannot be replaced by CO " + key.number() + " too");
            }
            m.step(replaced, replaced.withState(CertificateState.REPLACED).withReplacedBy(key.number()), "replaced by CO " + key.number());
        }
        issuance(m, key, old.number());
    }

    private void amendmentInPlace(Msg m, CertificateKey key) {
        Optional<CertificateRecord> known = known(m, key);
        if (known.isEmpty()) {
            m.warn(LifecycleWarning.REPLACED_CERTIFICATE_UNKNOWN, "The amended " + key + " is not known to the hub of " + m.party
                    + "; it is recorded as issued with the amended data");
            CertificateRecord co = m.create(key, CertificateState.ISSUED, null);
            m.step(null, co, "amended (first seen in the amendment)");
            m.keepEnvelope(co);
            return;
        }
        CertificateRecord co = known.get();
        requireStillValid(co, "amended");
        m.step(co, co, "amended");
        m.keepEnvelope(co);
    }

    private void copy(Msg m, CertificateKey key) {
        Optional<CertificateRecord> known = known(m, key);
        String what = m.direction == MessageDirection.OUTBOUND ? "copy sent to " + m.h.getReceiver().getCountry() : "copy received";
        if (known.isEmpty()) {
            CertificateState state = CertificateState.of(m.env.getBody().getCertificateOfOrigin().getDocument().getStatus());
            CertificateRecord co = m.create(key, state, null);
            m.step(null, co, what);
            m.keepEnvelope(co);
            return;
        }
        CertificateRecord co = known.get();
        m.step(co, co, what);
        if (!co.hasEnvelope()) {
            m.keepEnvelope(co);
        }
    }

    private void statusNotice(Msg m) {
        CertificateKey key = m.key();
        m.requireRightSide(key);
        StatusNoticeType notice = m.env.getBody().getStatusNotice();
        CertificateState target = CertificateState.of(notice.getStatus());
        Optional<CertificateRecord> known = known(m, key);
        if (known.isEmpty()) {
            throw new MessageRejectedException(RejectionReason.UNKNOWN_CERTIFICATE, key + " is not known to the hub of " + m.party
                    + ": a StatusNotice (" + notice.getStatus().value() + ") is accepted only for a CO sent through the hub; send the CO first");
        }
        CertificateRecord co = known.get();
        String reason = notice.getReason() == null || notice.getReason().isBlank() ? "" : ": " + notice.getReason();
        if (co.state().isNoLongerValid()) {
            m.warn(LifecycleWarning.ALREADY_CANCELLED, co.certificate() + " was already " + co.state().inWords()
                    + "; this " + target.inWords().replace("cancelled", "cancellation").replace("revoked", "revocation").replace("withdrawn", "withdrawal")
                    + " changes nothing");
            m.step(co, co, "already " + co.state().inWords() + ", " + target.inWords() + " again" + reason);
            return;
        }
        if (co.state() == CertificateState.UTILISED) {
            m.warn(LifecycleWarning.CERTIFICATE_UTILISED, co.certificate() + " had already been used for preference (utilisation "
                    + co.utilisationDecision() + "); it is now " + target.inWords());
        } else if (co.state() == CertificateState.REPLACED) {
            m.warn(LifecycleWarning.CERTIFICATE_REPLACED, co.certificate() + " had been replaced by CO " + co.replacedBy()
                    + "; it is now " + target.inWords());
        }
        m.step(co, co.withState(target), target.inWords() + reason);
    }

    private void utilisation(Msg m) {
        CertificateKey key = m.key();
        m.requireRightSide(key);
        UtilisationNoticeType notice = m.env.getBody().getUtilisationNotice();
        String decision = notice.getDecision().value();
        String note = "utilisation: preference " + decision
                + (notice.getDeclarationNumber() != null ? " (declaration " + notice.getDeclarationNumber() + ")" : "");
        Optional<CertificateRecord> known = known(m, key);
        if (known.isEmpty()) {
            m.warn(LifecycleWarning.UNKNOWN_CERTIFICATE, "Utilisation notice for " + key + ", which the hub of " + m.party
                    + " has never seen (not issued through the hub?): recorded");
            CertificateRecord co = m.create(key, CertificateState.UTILISED, null).withUtilisationDecision(decision);
            m.step(null, co, note);
            return;
        }
        CertificateRecord co = known.get().withUtilisationDecision(decision);
        CertificateState now = co.state();
        if (now.isNoLongerValid()) {
            m.warn(LifecycleWarning.CERTIFICATE_CANCELLED, "Utilisation notice (" + decision + ") for " + co.certificate() + ", which was "
                    + now.inWords() + ": recorded, the CO stays " + now.inWords());
        } else if (now == CertificateState.REPLACED) {
            m.warn(LifecycleWarning.CERTIFICATE_REPLACED, "Utilisation notice (" + decision + ") for " + co.certificate()
                    + ", which was replaced by CO " + co.replacedBy() + ": recorded, the CO stays replaced");
        } else if (now == CertificateState.ISSUED || now == CertificateState.UTILISED) {
            co = co.withState(CertificateState.UTILISED);
        }
        m.step(known.get(), co, note);
    }

    private void verificationRequest(Msg m) {
        CertificateKey key = m.key();
        m.requireRightSide(key);
        String note = "verification requested by " + m.h.getSender().getCountry();
        Optional<CertificateRecord> known = known(m, key);
        CertificateRecord co;
        if (known.isEmpty()) {
            m.warn(LifecycleWarning.UNKNOWN_CERTIFICATE, "Verification request for " + key + ", which the hub of " + m.party
                    + " has never seen (not issued through the hub?): recorded");
            co = m.create(key, CertificateState.UNDER_VERIFICATION, null);
            m.step(null, co, note);
        } else {
            CertificateRecord was = known.get();
            co = was;
            if (was.state().isNoLongerValid()) {
                m.warn(LifecycleWarning.CERTIFICATE_CANCELLED, "Verification request for " + was.certificate() + ", which was "
                        + was.state().inWords() + ": recorded, the CO stays " + was.state().inWords());
            } else if (was.state() == CertificateState.REPLACED) {
                m.warn(LifecycleWarning.CERTIFICATE_REPLACED, "Verification request for " + was.certificate()
                        + ", which was replaced by CO " + was.replacedBy() + ": recorded, the CO stays replaced");
            } else {
                co = was.withState(CertificateState.UNDER_VERIFICATION);
            }
            m.step(was, co, note);
        }
        store.insertVerificationRequest(new VerificationRequestRecord(m.party, m.id, co.id(), m.h.getSender().getCountry(),
                m.now, null, null, null));
    }

    private void verificationResponse(Msg m) {
        CertificateKey key = m.key();
        m.requireRightSide(key);
        String requestId = m.h.getInReplyTo();
        if (requestId == null) {
            throw new MessageRejectedException(RejectionReason.UNKNOWN_VERIFICATION_REQUEST,
                    "a VerificationResponse must name the request it answers in Header/InReplyTo");
        }
        VerificationRequestRecord request = store.verificationRequest(m.party, requestId).orElseThrow(() -> new MessageRejectedException(
                RejectionReason.UNKNOWN_VERIFICATION_REQUEST, "the hub of " + m.party + " knows no verification request "
                + requestId + " (the response's InReplyTo) about " + key));
        CertificateRecord co = store.findById(request.certificateId(), true).orElseThrow();
        if (!co.certificate().sameCertificate(key)) {
            throw conflict("verification request " + requestId + " was about " + co.certificate() + ", this response is about " + key);
        }
        String to = m.h.getReceiver().getCountry();
        if (!request.requestingCountry().equals(to)) {
            throw conflict("verification request " + requestId + " came from " + request.requestingCountry() + ", this response goes to " + to);
        }
        VerificationResponseType response = m.env.getBody().getVerificationResponse();
        VerificationResultCode result = response.getResult();
        if (request.answered()) {
            m.warn(LifecycleWarning.VERIFICATION_ALREADY_ANSWERED, "Verification request " + requestId + " was answered before ("
                    + request.result() + ", message " + request.responseMessageId() + "); this answer (" + result.value() + ") now counts");
        }
        CertificateState target = result == VerificationResultCode.CONFIRMED ? CertificateState.VERIFIED : CertificateState.NOT_CONFIRMED;
        if (result == VerificationResultCode.PARTIALLY_CONFIRMED) {
            m.warn(LifecycleWarning.PARTIALLY_CONFIRMED, "The origin of " + co.certificate() + " was only partly confirmed: the CO is recorded as "
                    + "not confirmed; the findings name the items");
        }
        CertificateRecord after = co.withVerificationResult(result.value());
        if (!co.state().isNoLongerValid() && co.state() != CertificateState.REPLACED) {
            after = after.withState(target);
        }
        m.step(co, after, "verification " + result.value() + " (request " + requestId + ")");
        store.answerVerificationRequest(m.party, requestId, m.id, result.value(), m.now);
    }

    private void certificateRequest(Msg m) {
        CertificateKey key = m.key();
        m.requireRightSide(key);
        store.find(m.party, key.issuingCountry(), key.number(), true)
                .filter(co -> CertificateKey.datesAgree(co.certificate().issueDate(), key.issueDate()))
                .ifPresent(co -> m.step(co, co, "certificate requested by " + m.h.getSender().getCountry()));
    }

    // ------------------------------------------------------------------ helpers

    /** The CO as the message's party knows it, locked; a known number with another issue date is a conflict. */
    private Optional<CertificateRecord> known(Msg m, CertificateKey key) {
        Optional<CertificateRecord> found = store.find(m.party, key.issuingCountry(), key.number(), true);
        if (found.isEmpty()) return found;
        CertificateRecord co = found.get();
        if (!CertificateKey.datesAgree(co.certificate().issueDate(), key.issueDate())) {
            throw conflict("CO " + key.number() + " of " + key.issuingCountry() + " is known to the hub of " + m.party + " as issued on "
                    + co.certificate().issueDate() + ", this message says " + key.issueDate());
        }
        if (co.certificate().issueDate() == null && key.issueDate() != null) {
            co = co.withIssueDate(key.issueDate());
        }
        return Optional.of(co);
    }

    private static void requireStillValid(CertificateRecord co, String what) {
        if (co.state().isNoLongerValid()) {
            throw conflict(co.certificate() + " was " + co.state().inWords() + "; it cannot be " + what + ": issue a new CO");
        }
        if (co.state() == CertificateState.REPLACED) {
            throw conflict(co.certificate() + " was replaced by CO " + co.replacedBy() + "; it cannot be " + what);
        }
    }

    private static MessageRejectedException conflict(String detail) {
        return new MessageRejectedException(RejectionReason.LIFECYCLE_CONFLICT, detail);
    }

    private ExchangeEnvelope notFound(ExchangeEnvelope request, String answeringParty, String detail) {
        return AcknowledgementFactory.acknowledge(AcknowledgementFactory.Original.of(request.getHeader()), answeringParty,
                AcknowledgementStatusCode.REJECTED, List.of(new AcknowledgementFactory.Reason(RejectionReason.CERTIFICATE_NOT_FOUND.name(),
                        RejectionReason.CERTIFICATE_NOT_FOUND.description() + ": " + detail, false)));
    }

    private ExchangeEnvelope copyOf(ExchangeEnvelope stored, CertificateRecord co, ExchangeEnvelope request, String answeringParty) {
        HeaderType req = request.getHeader();
        HeaderType was = stored.getHeader();
        HeaderType h = new HeaderType();
        h.setMessageId(UUID.randomUUID().toString());
        h.setCorrelationId(req.getCorrelationId() != null ? req.getCorrelationId() : req.getMessageId());
        h.setInReplyTo(req.getMessageId());
        h.setMessageType(MessageTypeCode.CERTIFICATE_OF_ORIGIN);
        h.setMessageFunction(FUNCTION_COPY);
        AuthorityRefType sender = new AuthorityRefType();
        sender.setCountry(answeringParty);
        if (was.getSender() != null && answeringParty.equals(was.getSender().getCountry())) {
            sender.setAuthorityId(was.getSender().getAuthorityId());
            sender.setName(was.getSender().getName());
        }
        h.setSender(sender);
        AuthorityRefType receiver = new AuthorityRefType();
        receiver.setCountry(req.getSender().getCountry());
        receiver.setAuthorityId(req.getSender().getAuthorityId());
        receiver.setName(req.getSender().getName());
        h.setReceiver(receiver);
        h.setAgreementId(was.getAgreementId());
        h.setDocumentNumber(co.certificate().number());
        h.setDocumentIssueDate(was.getDocumentIssueDate() != null ? was.getDocumentIssueDate() : co.certificate().issueDate());
        h.setCreatedAt(OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
        h.setSchemaVersion(EnvelopeCodec.SCHEMA_VERSION);
        CertificateOfOriginType body = stored.getBody().getCertificateOfOrigin();
        body.getDocument().setStatus(co.state().documentStatus());
        ExchangeEnvelope copy = new ExchangeEnvelope();
        copy.setHeader(h);
        copy.setBody(stored.getBody());
        copy.setAny(null);
        return copy;
    }

    private <T> T inTransaction(Supplier<T> work) {
        return tx.execute(status -> work.get());
    }

    static String encode(List<LifecycleWarning> warnings) {
        if (warnings.isEmpty()) return null;
        StringBuilder sb = new StringBuilder();
        for (LifecycleWarning w : warnings) {
            if (sb.length() > 0) sb.append('\n');
            sb.append(w.code()).append('\t').append(w.text().replaceAll("[\\r\\n\\t]+", " "));
        }
        return sb.toString();
    }

    static List<LifecycleWarning> decode(List<String> encoded) {
        List<LifecycleWarning> out = new ArrayList<>();
        for (String block : encoded) {
            for (String line : block.split("\n")) {
                int tab = line.indexOf('\t');
                if (tab > 0) out.add(new LifecycleWarning(line.substring(0, tab), line.substring(tab + 1)));
            }
        }
        return out;
    }

    private static boolean looksSigned(byte[] xml) {
        String s = new String(xml, StandardCharsets.UTF_8);
        return s.contains("http://www.w3.org/2000/09/xmldsig#") && s.contains("SignatureValue");
    }

    /** One message being applied: its identity, the party whose view it changes, and what it did so far. */
    private final class Msg {
        final ExchangeEnvelope env;
        final HeaderType h;
        final byte[] xml;
        final MessageDirection direction;
        final MessageTypeCode type;
        final String id;
        final String party;
        final String partner;
        final Instant now = clock.instant();
        final List<LifecycleWarning> warnings = new ArrayList<>();
        final List<LifecycleTransition> transitions = new ArrayList<>();
        final List<Long> certificateIds = new ArrayList<>();

        Msg(ExchangeEnvelope env, byte[] xml, MessageDirection direction, MessageTypeCode type) {
            this.env = env;
            this.h = env.getHeader();
            this.xml = xml;
            this.direction = direction;
            this.type = type;
            this.id = h.getMessageId();
            boolean out = direction == MessageDirection.OUTBOUND;
            this.party = (out ? h.getSender() : h.getReceiver()).getCountry();
            this.partner = (out ? h.getReceiver() : h.getSender()).getCountry();
        }

        CertificateKey key() {
            try {
                return CertificateKey.concerning(env);
            } catch (IllegalArgumentException e) {
                throw new MessageRejectedException(RejectionReason.MAPPING_FAILED, "the message names no certificate of origin: " + e.getMessage(), e);
            }
        }

        /** What the issuing side sends comes from the CO's issuing country; what the importing side sends goes to it. */
        void requireRightSide(CertificateKey key) {
            boolean issuingSends = CertificateKey.sentByIssuingSide(type);
            String issuer = (issuingSends ? h.getSender() : h.getReceiver()).getCountry();
            if (!key.issuingCountry().equals(issuer)) {
                throw conflict(issuingSends
                        ? "only the issuing side sends a " + type.value() + " about its CO: " + key + " was issued by " + key.issuingCountry()
                                + ", this message comes from " + issuer
                        : "a " + type.value() + " goes to the CO's issuing side: " + key + " was issued by " + key.issuingCountry()
                                + ", this message is addressed to " + issuer);
            }
        }

        void warn(String code, String text) {
            warnings.add(new LifecycleWarning(code, text));
        }

        CertificateRecord create(CertificateKey key, CertificateState state, String replaces) {
            CertificateSide side = party.equals(key.issuingCountry()) ? CertificateSide.ISSUING : CertificateSide.IMPORTING;
            return store.insert(new CertificateRecord(0, party, side, key, partner, h.getAgreementId(), state, replaces, null, null, null,
                    false, now, now));
        }

        /** Records a step: writes the CO back and queues its transition. {@code before} null: first seen. */
        void step(CertificateRecord before, CertificateRecord after, String note) {
            CertificateRecord written = after.updatedAt(now);
            store.update(written);
            transitions.add(new LifecycleTransition(written.certificate(), before == null ? null : before.state(), written.state(),
                    id, type.value(), direction, now, note));
            certificateIds.add(written.id());
        }

        void keepEnvelope(CertificateRecord co) {
            byte[] bytes = xml != null ? xml : codec.write(env);
            store.saveEnvelope(co.id(), bytes, id, looksSigned(bytes));
        }

        LifecycleOutcome finish() {
            String encoded = encode(warnings);
            for (int i = 0; i < transitions.size(); i++) {
                store.appendTransition(certificateIds.get(i), party, transitions.get(i), i == 0 ? encoded : null);
            }
            return new LifecycleOutcome(transitions, warnings);
        }
    }
}
