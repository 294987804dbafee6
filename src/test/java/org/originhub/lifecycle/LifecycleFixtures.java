package org.originhub.lifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.originhub.dataset.EnvelopeCodec;
import org.originhub.dataset.v1.CertificateReferenceType;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.dataset.v1.HeaderType;
import org.originhub.dataset.v1.NoticeStatusCode;
import org.originhub.dataset.v1.UtilisationDecisionCode;
import org.originhub.dataset.v1.VerificationResultCode;
import org.originhub.format.FormatContext;
import org.originhub.format.aladi.AladiCodFormat;
import org.originhub.format.ccd.CcdFormat;

/**
 * Test support: a real H2 file database with the Flyway migrations applied, and envelopes about CO
 * {@value #NUMBER} issued by AR to BR, built from the ccd samples (so they are schema-valid).
 */
final class LifecycleFixtures {
    static final EnvelopeCodec CODEC = new EnvelopeCodec();
    static final CcdFormat CCD = new CcdFormat(CODEC);
    static final String NUMBER = "ARCACA00182600074388";
    static final LocalDate ISSUED = LocalDate.of(2026, 11, 20);
    static final String COD_NUMBER = "ARCACA00182600074211";
    static final LocalDate COD_ISSUED = LocalDate.of(2026, 11, 14);

    private LifecycleFixtures() {
    }

    /** An H2 file database under {@code dir}, migrated with Flyway from classpath:db/migration. */
    static DataSource database(Path dir) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("lifecycle").toAbsolutePath() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("originhub");
        ds.setPassword("");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return ds;
    }

    /** A ccd sample as the hub has it after intake: MessageId, CreatedAt and SchemaVersion filled. */
    static ExchangeEnvelope sample(String file) {
        try {
            byte[] xml = Files.readAllBytes(Path.of("samples/ccd", file));
            return hubAssigned(CCD.parse(xml, FormatContext.of("AR")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ALADI COD sample (AR to BR, CO {@value #COD_NUMBER}) mapped to the envelope, as AR's intake does. */
    static ExchangeEnvelope codIssuance() {
        try {
            byte[] cod = Files.readAllBytes(Path.of("samples/aladi-cod/cod-4.1.0-FormA18-AR-BR.xml"));
            return hubAssigned(new AladiCodFormat().parse(cod, FormatContext.of("AR")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ExchangeEnvelope hubAssigned(ExchangeEnvelope e) {
        HeaderType h = e.getHeader();
        h.setMessageId(UUID.randomUUID().toString());
        h.setCreatedAt(OffsetDateTime.now(ZoneOffset.UTC));
        h.setSchemaVersion(EnvelopeCodec.SCHEMA_VERSION);
        if (h.getSender().getCountry() == null) h.getSender().setCountry("AR");
        return e;
    }

    /** A new message id, as a resend by the single window would get. */
    static ExchangeEnvelope again(ExchangeEnvelope e) {
        e.getHeader().setMessageId(UUID.randomUUID().toString());
        return e;
    }

    /** An original CO (MessageFunction 9) issued by AR to BR. */
    static ExchangeEnvelope issuance(String number, LocalDate issued) {
        ExchangeEnvelope e = sample("co-replacement-ar-br-a18.xml");
        e.getHeader().setMessageFunction("9");
        var d = e.getBody().getCertificateOfOrigin().getDocument();
        d.setReplacedCertificate(null);
        d.getRemarks().clear();
        d.setNumber(number);
        d.setIssueDateTime(issued.atTime(11, 5).atOffset(ZoneOffset.ofHours(-3)));
        e.getHeader().setDocumentNumber(number);
        e.getHeader().setDocumentIssueDate(issued);
        return e;
    }

    /** CO {@code number} replacing (function 5) CO {@code replaced}, both of AR. */
    static ExchangeEnvelope replacement(String number, LocalDate issued, String replaced, LocalDate replacedIssued) {
        ExchangeEnvelope e = issuance(number, issued);
        e.getHeader().setMessageFunction("5");
        e.getBody().getCertificateOfOrigin().getDocument().setReplacedCertificate(ref(replaced, replacedIssued, "AR"));
        return e;
    }

    static ExchangeEnvelope notice(String number, NoticeStatusCode status) {
        ExchangeEnvelope e = about(sample("status-cancel-ar-br-a18.xml"), number);
        e.getBody().getStatusNotice().setStatus(status);
        return e;
    }

    static ExchangeEnvelope utilisation(String number, UtilisationDecisionCode decision) {
        ExchangeEnvelope e = about(sample("utilisation-br-ar-a18.xml"), number);
        e.getBody().getUtilisationNotice().setDecision(decision);
        return e;
    }

    static ExchangeEnvelope verificationRequest(String number) {
        return about(sample("verification-request-br-ar-a18.xml"), number);
    }

    static ExchangeEnvelope verificationResponse(String number, String inReplyTo, VerificationResultCode result) {
        ExchangeEnvelope e = about(sample("verification-response-ar-br-a18.xml"), number);
        e.getHeader().setInReplyTo(inReplyTo);
        e.getHeader().setCorrelationId(inReplyTo);
        e.getBody().getVerificationResponse().setResult(result);
        return e;
    }

    static ExchangeEnvelope certificateRequest(String number, LocalDate issued) {
        ExchangeEnvelope e = about(sample("certificate-request-br-ar-a18.xml"), number);
        e.getBody().getCertificateRequest().getCertificate().setIssueDate(issued);
        e.getHeader().setDocumentIssueDate(issued);
        return e;
    }

    /** Points a reference-carrying sample at CO {@code number} (the sample's issue date kept only for {@value #NUMBER}). */
    private static ExchangeEnvelope about(ExchangeEnvelope e, String number) {
        CertificateReferenceType ref = CertificateKey.reference(e.getBody());
        ref.setNumber(number);
        e.getHeader().setDocumentNumber(number);
        if (!NUMBER.equals(number)) {
            ref.setIssueDate(null);
            e.getHeader().setDocumentIssueDate(null);
        }
        return e;
    }

    static CertificateReferenceType ref(String number, LocalDate issued, String country) {
        CertificateReferenceType r = new CertificateReferenceType();
        r.setNumber(number);
        r.setIssueDate(issued);
        r.setIssuingCountry(country);
        return r;
    }

    static byte[] xml(ExchangeEnvelope e) {
        return CODEC.write(e);
    }
}
