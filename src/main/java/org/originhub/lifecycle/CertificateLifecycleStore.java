package org.originhub.lifecycle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.GeneratedKeyHolder;

/**
 * The certificate lifecycle tables ({@code db/migration/V100__certificate_lifecycle.sql}) through plain JDBC:
 * one row per CO per party ({@code co_certificate}), its latest CO envelope, the transition log
 * ({@code co_transition}) and the verification requests ({@code co_verification_request}). Runs on H2 and
 * PostgreSQL. Holds no transaction of its own: {@link CertificateLifecycle} wraps each message in one.
 */
public class CertificateLifecycleStore {
    private static final String COLUMNS = "id, party, side, issuing_country, co_number, issue_date, partner_country, agreement_id, "
            + "state, replaces, replaced_by, utilisation_decision, verification_result, envelope IS NOT NULL AS has_envelope, "
            + "created_at, updated_at";

    private final JdbcTemplate jdbc;

    public CertificateLifecycleStore(DataSource dataSource) {
        this(new JdbcTemplate(dataSource));
    }

    public CertificateLifecycleStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The CO as {@code party} knows it, by issuing country and number; {@code forUpdate} locks the row until commit. */
    public Optional<CertificateRecord> find(String party, String issuingCountry, String number, boolean forUpdate) {
        List<CertificateRecord> rows = jdbc.query("SELECT " + COLUMNS + " FROM co_certificate WHERE party = ? AND issuing_country = ? AND co_number = ?"
                + (forUpdate ? " FOR UPDATE" : ""), CERTIFICATE, party, issuingCountry, number);
        return rows.stream().findFirst();
    }

    public Optional<CertificateRecord> findById(long id, boolean forUpdate) {
        return jdbc.query("SELECT " + COLUMNS + " FROM co_certificate WHERE id = ?" + (forUpdate ? " FOR UPDATE" : ""), CERTIFICATE, id)
                .stream().findFirst();
    }

    /** Records a CO seen for the first time; returns it with its id. */
    public CertificateRecord insert(CertificateRecord r) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(con -> {
            var ps = con.prepareStatement("INSERT INTO co_certificate (party, side, issuing_country, co_number, issue_date, partner_country, "
                    + "agreement_id, state, replaces, replaced_by, utilisation_decision, verification_result, created_at, updated_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", new String[] {"id"});
            ps.setString(1, r.party());
            ps.setString(2, r.side().name());
            ps.setString(3, r.certificate().issuingCountry());
            ps.setString(4, r.certificate().number());
            ps.setObject(5, r.certificate().issueDate());
            ps.setString(6, r.partnerCountry());
            ps.setString(7, r.agreementId());
            ps.setString(8, r.state().name());
            ps.setString(9, r.replaces());
            ps.setString(10, r.replacedBy());
            ps.setString(11, r.utilisationDecision());
            ps.setString(12, r.verificationResult());
            ps.setObject(13, utc(r.createdAt()));
            ps.setObject(14, utc(r.updatedAt()));
            return ps;
        }, keys);
        long id = keys.getKey().longValue();
        return findById(id, false).orElseThrow();
    }

    /** Writes back the mutable fields of a CO (state, issue date, references, decisions, partner, agreement). */
    public void update(CertificateRecord r) {
        jdbc.update("UPDATE co_certificate SET issue_date = ?, partner_country = ?, agreement_id = ?, state = ?, replaces = ?, replaced_by = ?, "
                        + "utilisation_decision = ?, verification_result = ?, updated_at = ? WHERE id = ?",
                r.certificate().issueDate(), r.partnerCountry(), r.agreementId(), r.state().name(), r.replaces(), r.replacedBy(),
                r.utilisationDecision(), r.verificationResult(), utc(r.updatedAt()), r.id());
    }

    /** Keeps {@code xml} as the CO's latest envelope. */
    public void saveEnvelope(long certificateId, byte[] xml, String messageId, boolean signed) {
        jdbc.update("UPDATE co_certificate SET envelope = ?, envelope_message_id = ?, envelope_signed = ? WHERE id = ?",
                xml, messageId, signed, certificateId);
    }

    /** The CO's latest envelope, as it was sent or received. */
    public Optional<byte[]> envelope(long certificateId) {
        return jdbc.query("SELECT envelope FROM co_certificate WHERE id = ? AND envelope IS NOT NULL",
                (rs, i) -> rs.getBytes(1), certificateId).stream().findFirst();
    }

    /** Appends a step to the CO's transition log; {@code warnings} is the encoded warnings of the message, or null. */
    public void appendTransition(long certificateId, String party, LifecycleTransition t, String warnings) {
        jdbc.update("INSERT INTO co_transition (certificate_id, party, message_id, message_type, direction, from_state, state, occurred_at, note, warnings) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                certificateId, party, t.messageId(), t.messageType(), t.direction().name(), t.from() == null ? null : t.from().name(),
                t.to().name(), utc(t.at()), clip(t.note(), 2048), clip(warnings, 4000));
    }

    /** The CO's transition log, oldest first. */
    public List<LifecycleTransition> transitions(long certificateId) {
        return jdbc.query("SELECT t.*, c.issuing_country, c.co_number, c.issue_date FROM co_transition t JOIN co_certificate c ON c.id = t.certificate_id "
                + "WHERE t.certificate_id = ? ORDER BY t.id", TRANSITION, certificateId);
    }

    /** The transitions one message caused for {@code party} (empty if it was never processed), oldest first. */
    public List<LifecycleTransition> transitionsOfMessage(String party, String messageId) {
        return jdbc.query("SELECT t.*, c.issuing_country, c.co_number, c.issue_date FROM co_transition t JOIN co_certificate c ON c.id = t.certificate_id "
                + "WHERE t.party = ? AND t.message_id = ? ORDER BY t.id", TRANSITION, party, messageId);
    }

    /** The encoded warnings recorded with one message's transitions. */
    public List<String> warningsOfMessage(String party, String messageId) {
        return jdbc.queryForList("SELECT warnings FROM co_transition WHERE party = ? AND message_id = ? AND warnings IS NOT NULL ORDER BY id",
                String.class, party, messageId);
    }

    public void insertVerificationRequest(VerificationRequestRecord r) {
        jdbc.update("INSERT INTO co_verification_request (party, message_id, certificate_id, requesting_country, requested_at) VALUES (?, ?, ?, ?, ?)",
                r.party(), r.messageId(), r.certificateId(), r.requestingCountry(), utc(r.requestedAt()));
    }

    public Optional<VerificationRequestRecord> verificationRequest(String party, String messageId) {
        return jdbc.query("SELECT * FROM co_verification_request WHERE party = ? AND message_id = ?", (rs, i) -> new VerificationRequestRecord(
                rs.getString("party"), rs.getString("message_id"), rs.getLong("certificate_id"), rs.getString("requesting_country"),
                instant(rs, "requested_at"), rs.getString("response_message_id"), rs.getString("result"), instant(rs, "answered_at")),
                party, messageId).stream().findFirst();
    }

    public void answerVerificationRequest(String party, String requestId, String responseId, String result, Instant at) {
        jdbc.update("UPDATE co_verification_request SET response_message_id = ?, result = ?, answered_at = ? WHERE party = ? AND message_id = ?",
                responseId, result, utc(at), party, requestId);
    }

    private static final RowMapper<CertificateRecord> CERTIFICATE = (rs, i) -> new CertificateRecord(
            rs.getLong("id"), rs.getString("party"), CertificateSide.valueOf(rs.getString("side")),
            new CertificateKey(rs.getString("issuing_country"), rs.getString("co_number"), rs.getObject("issue_date", LocalDate.class)),
            rs.getString("partner_country"), rs.getString("agreement_id"), CertificateState.valueOf(rs.getString("state")),
            rs.getString("replaces"), rs.getString("replaced_by"), rs.getString("utilisation_decision"),
            rs.getString("verification_result"), rs.getBoolean("has_envelope"), instant(rs, "created_at"), instant(rs, "updated_at"));

    private static final RowMapper<LifecycleTransition> TRANSITION = (rs, i) -> new LifecycleTransition(
            new CertificateKey(rs.getString("issuing_country"), rs.getString("co_number"), rs.getObject("issue_date", LocalDate.class)),
            rs.getString("from_state") == null ? null : CertificateState.valueOf(rs.getString("from_state")),
            CertificateState.valueOf(rs.getString("state")), rs.getString("message_id"), rs.getString("message_type"),
            MessageDirection.valueOf(rs.getString("direction")), instant(rs, "occurred_at"), rs.getString("note"));

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime utc(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
