package org.originhub.signature;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.xml.crypto.AlgorithmMethod;
import javax.xml.crypto.KeySelector;
import javax.xml.crypto.KeySelectorException;
import javax.xml.crypto.KeySelectorResult;
import javax.xml.crypto.XMLCryptoContext;
import javax.xml.crypto.MarshalException;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.SignedInfo;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLSignature;
import javax.xml.crypto.dsig.XMLSignatureException;
import javax.xml.crypto.dsig.dom.DOMValidateContext;
import javax.xml.crypto.dsig.keyinfo.KeyInfo;
import javax.xml.crypto.dsig.keyinfo.X509Data;
import org.originhub.dataset.EnvelopeCodec;
import org.originhub.dataset.OffsetDateTimeAdapter;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Checks the signature of an exchange envelope received from a partner, before anything in it is believed.
 * A document is accepted only if it follows the profile of {@link SignatureProfile} to the letter:
 * <ol>
 * <li>exactly one ds:Signature element in the whole document, a direct child of the root
 *     ({@code SIGNATURE_MISSING} when there is none, {@code SIGNATURE_PROFILE} otherwise);</li>
 * <li>exactly one Reference, URI="" (the whole document: no ID-based reference, no Reference to KeyInfo), with
 *     only the enveloped-signature and exclusive C14N transforms, SHA-256 digest, RSA-SHA256 or ECDSA-SHA256,
 *     exclusive or inclusive C14N 1.0, no ds:Object, an X.509 certificate in KeyInfo ({@code SIGNATURE_PROFILE});</li>
 * <li>the signature value and the digest verify with the key of that certificate, under the JDK's secure
 *     validation ({@code SIGNATURE_INVALID});</li>
 * <li>the signing time (Header/CreatedAt, covered by the signature) is not more than the allowed clock skew in the
 *     future ({@code UNTRUSTED_SIGNER}) and not older than the maximum message age ({@code STALE_MESSAGE});</li>
 * <li>the certificate is trusted for the sender named in the signed header ({@link SignerTrust}), was valid at
 *     the signing time, and is valid now or expired less than the certificate grace ago ({@code UNTRUSTED_SIGNER}).
 *     Judged at CreatedAt alone, a retired key still configured could sign backdated messages for ever; judged now
 *     alone, a message signed just before its certificate expired and delayed by an outage would be lost.</li>
 * </ol>
 * Why this closes signature wrapping: a Reference URI="" always designates the whole document that holds the
 * signature, and the only signature allowed is a child of that document's root, so the verified content is
 * exactly the root returned in {@link VerifiedSignature#signedRoot()}; there is no second copy of Header/Body
 * that could be signed while another is read. Callers must read the envelope from that same DOM.
 *
 * <p>Freshness and duplicates: a message older than the maximum age is refused here, so the inbound messageId memory
 * ({@code org.originhub.inbound.InboundMessageIds}) only needs to cover that window for a replay to be caught.
 *
 * <p>Stateless apart from its clock and time limits; thread-safe.
 */
public class EnvelopeVerifier {
    /** Default tolerance for a partner's clock running ahead of ours. */
    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    /**
     * Default oldest signing time accepted, counted back from now: a sending hub retries while this hub is down, and
     * the message keeps its CreatedAt, so it must cover a realistic outage (a long weekend and the time to fix it).
     */
    public static final Duration DEFAULT_MAX_MESSAGE_AGE = Duration.ofDays(7);
    /**
     * Default time after its expiry during which a signer's certificate is still accepted (for a message signed
     * while it was valid): the message age window, so that a message signed just before the expiry and delayed by
     * as long an outage still gets in.
     */
    public static final Duration DEFAULT_CERTIFICATE_GRACE = DEFAULT_MAX_MESSAGE_AGE;

    private static final String NS = EnvelopeCodec.NAMESPACE;
    private static final String ROOT = "ExchangeEnvelope";

    private final Clock clock;
    private final Duration maxClockSkew;
    private final Duration maxMessageAge;
    private final Duration certificateGrace;

    /** The system clock and the default skew, message age and certificate grace. */
    public EnvelopeVerifier() {
        this(Clock.systemUTC(), DEFAULT_MAX_CLOCK_SKEW);
    }

    /**
     * @param clock        the hub's clock, to refuse signing times in the future
     * @param maxClockSkew how far ahead of {@code clock} a signing time may be (partners' clocks drift)
     */
    public EnvelopeVerifier(Clock clock, Duration maxClockSkew) {
        this(clock, maxClockSkew, DEFAULT_MAX_MESSAGE_AGE, DEFAULT_CERTIFICATE_GRACE);
    }

    /**
     * @param clock            the hub's clock
     * @param maxClockSkew     how far ahead of {@code clock} a signing time may be (partners' clocks drift)
     * @param maxMessageAge    how far behind {@code clock} a signing time may be ({@code originhub.inbound.max-message-age})
     * @param certificateGrace how long after its expiry the signer's certificate is still accepted
     *                         ({@code originhub.inbound.certificate-grace})
     */
    public EnvelopeVerifier(Clock clock, Duration maxClockSkew, Duration maxMessageAge, Duration certificateGrace) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxClockSkew == null || maxClockSkew.isNegative()) {
            throw new IllegalArgumentException("the maximum clock skew must be zero or positive: " + maxClockSkew);
        }
        if (maxMessageAge == null || maxMessageAge.isNegative() || maxMessageAge.isZero()) {
            throw new IllegalArgumentException("the maximum message age must be positive: " + maxMessageAge);
        }
        if (certificateGrace == null || certificateGrace.isNegative()) {
            throw new IllegalArgumentException("the certificate grace must be zero or positive: " + certificateGrace);
        }
        this.maxClockSkew = maxClockSkew;
        this.maxMessageAge = maxMessageAge;
        this.certificateGrace = certificateGrace;
    }

    /**
     * Verifies the envelope and asks {@code trust} whether the signer may speak for the sender named in the
     * signed header; the signing time is the signed Header/CreatedAt. The main entry point for inbound messages.
     */
    public VerifiedSignature verify(Document envelope, SignerTrust trust) {
        return verify(envelope, null, trust, null);
    }

    /**
     * As {@link #verify(Document, SignerTrust)}, and also requires the signed Header/Sender/Country to be
     * {@code expectedSender} (the partner the message came from, e.g. by its broker user), else
     * {@code SENDER_MISMATCH}.
     */
    public VerifiedSignature verify(Document envelope, String expectedSender, SignerTrust trust) {
        return verify(envelope, Objects.requireNonNull(expectedSender, "expectedSender"), trust, null);
    }

    /**
     * Verifies the envelope against the certificates configured for its sender (the caller chose them from the
     * header's Sender/Country); the signing time is the signed Header/CreatedAt.
     */
    public VerifiedSignature verify(Document envelope, Collection<X509Certificate> trustedForSender) {
        return verify(envelope, null, PinnedCertificates.forAnySender(trustedForSender), null);
    }

    /**
     * Verifies the envelope against the certificates configured for its sender, checking the certificate's
     * validity at an explicit {@code signingTime} (refused if more than the clock skew in the future). Prefer
     * the overloads that take the signing time from the signed header, which cannot disagree with the document.
     */
    public VerifiedSignature verify(Document envelope, Collection<X509Certificate> trustedForSender, Instant signingTime) {
        return verify(envelope, null, PinnedCertificates.forAnySender(trustedForSender),
                Objects.requireNonNull(signingTime, "signingTime"));
    }

    private VerifiedSignature verify(Document envelope, String expectedSender, SignerTrust trust, Instant signingTime) {
        Objects.requireNonNull(trust, "trust");
        Element root = requireEnvelopeRoot(envelope);
        Element signatureElement = soleSignatureUnderRoot(envelope, root);

        // Checked on the DOM first, so that a profile violation is reported as such, in the profile's words, before
        // the XML-DSig implementation (whose secure validation refuses some of the same things) reads anything.
        precheckProfile(signatureElement);

        // The validation key is the one of the KeyInfo certificate we then check for trust, never a KeyValue or
        // anything else the sender could add; it is only known after the profile checks, hence the indirection.
        AtomicReference<PublicKey> signerKey = new AtomicReference<>();
        DOMValidateContext ctx = new DOMValidateContext(new KeySelector() {
            @Override
            public KeySelectorResult select(KeyInfo keyInfo, Purpose purpose, AlgorithmMethod method,
                                            XMLCryptoContext context) throws KeySelectorException {
                PublicKey key = signerKey.get();
                if (key == null) {
                    throw new KeySelectorException("no signer certificate selected");
                }
                return () -> key;
            }
        }, signatureElement);
        ctx.setProperty(SignatureProfile.SECURE_VALIDATION, Boolean.TRUE);
        ctx.setProperty(SignatureProfile.SECURE_VALIDATION_SANTUARIO, Boolean.TRUE);
        XMLSignature signature;
        try {
            signature = SignatureProfile.factory().unmarshalXMLSignature(ctx);
        } catch (MarshalException e) {
            throw profile("the ds:Signature element is malformed: " + e.getMessage(), e);
        }
        checkProfile(signature);
        List<X509Certificate> presented = keyInfoCertificates(signature.getKeyInfo());
        X509Certificate signer = signerOf(presented);
        signerKey.set(signer.getPublicKey());
        validate(signature, ctx, signer);

        // From here on, Header and Body are the ones the signature covers: read them from this very root.
        String sender = headerText(root, "Sender", "Country");
        if (expectedSender != null && !expectedSender.equalsIgnoreCase(sender)) {
            throw new MessageRejectedException(RejectionReason.SENDER_MISMATCH, "the signed header names sender "
                    + sender + ", but the message came from " + expectedSender);
        }
        Instant when = signingTime != null ? signingTime : createdAt(root);
        Instant now = clock.instant();
        checkSigningTime(when, now);
        trust.check(sender, signer, presented, when);
        checkValidityAt(signer, when);
        checkValidNow(signer, now);
        return new VerifiedSignature(root, signer, sender, when);
    }

    /**
     * The certificate a document says it was signed with (the leaf of its KeyInfo), without verifying anything:
     * to tell a sender which key its rejected message used. Empty when there is no readable one.
     */
    public static Optional<X509Certificate> signerCertificate(Document envelope) {
        NodeList signatures = envelope.getElementsByTagNameNS(SignatureProfile.DSIG_NS, "Signature");
        if (signatures.getLength() != 1) {
            return Optional.empty();
        }
        try {
            DOMValidateContext ctx = new DOMValidateContext(new KeySelector() {
                @Override
                public KeySelectorResult select(KeyInfo keyInfo, Purpose purpose, AlgorithmMethod method,
                                                XMLCryptoContext context) throws KeySelectorException {
                    throw new KeySelectorException("reading only, not validating");
                }
            }, signatures.item(0));
            ctx.setProperty(SignatureProfile.SECURE_VALIDATION, Boolean.TRUE);
            XMLSignature signature = SignatureProfile.factory().unmarshalXMLSignature(ctx);
            return Optional.of(signerOf(keyInfoCertificates(signature.getKeyInfo())));
        } catch (MarshalException | MessageRejectedException e) {
            return Optional.empty();
        }
    }

    // ------------------------------------------------------------------ structure

    private static Element requireEnvelopeRoot(Document envelope) {
        Element root = envelope == null ? null : envelope.getDocumentElement();
        if (root == null) {
            throw new IllegalArgumentException("no document to verify");
        }
        if (root.getLocalName() == null) {
            // A DOM built without namespace awareness would hide every ds:Signature from the checks below.
            throw new IllegalArgumentException("the document was parsed without namespace awareness; use SecureXml.parse");
        }
        if (!NS.equals(root.getNamespaceURI()) || !ROOT.equals(root.getLocalName())) {
            throw new MessageRejectedException(RejectionReason.SCHEMA_INVALID, "the root element is {"
                    + root.getNamespaceURI() + "}" + root.getLocalName() + ", expected {" + NS + "}" + ROOT);
        }
        return root;
    }

    private static Element soleSignatureUnderRoot(Document envelope, Element root) {
        NodeList signatures = envelope.getElementsByTagNameNS(SignatureProfile.DSIG_NS, "Signature");
        if (signatures.getLength() == 0) {
            throw new MessageRejectedException(RejectionReason.SIGNATURE_MISSING,
                    "the envelope has no ds:Signature element; the profile requires one, a direct child of the root");
        }
        if (signatures.getLength() > 1) {
            throw profile("the document has " + signatures.getLength()
                    + " ds:Signature elements; the profile allows exactly one, a direct child of the root");
        }
        Element signature = (Element) signatures.item(0);
        if (signature.getParentNode() != root) {
            throw profile("the ds:Signature element is inside " + path(signature.getParentNode())
                    + "; the profile requires it to be a direct child of the root " + ROOT);
        }
        return signature;
    }

    /** The profile's algorithm and reference rules, on the raw ds:Signature element. */
    private static void precheckProfile(Element signature) {
        Element signedInfo = soleDs(signature, "SignedInfo");
        requireAlgorithm(soleDs(signedInfo, "CanonicalizationMethod"), SignatureProfile.ACCEPTED_CANONICALIZATIONS,
                "SignedInfo uses canonicalization %s; the profile allows exclusive C14N ("
                        + SignatureProfile.CANONICALIZATION + ") or C14N 1.0");
        requireAlgorithm(soleDs(signedInfo, "SignatureMethod"), SignatureProfile.ACCEPTED_SIGNATURE_METHODS,
                "the signature method is %s; the profile allows only " + SignatureProfile.RSA_SHA256 + " and "
                        + SignatureProfile.ECDSA_SHA256);
        List<Element> references = dsChildren(signedInfo, "Reference");
        if (references.size() != 1) {
            throw profile("SignedInfo has " + references.size() + " Reference elements; the profile allows exactly one,"
                    + " with URI=\"\" (the whole document)");
        }
        Element reference = references.get(0);
        if (!reference.hasAttributeNS(null, "URI")) {
            throw profile("the Reference has no URI attribute; the profile requires URI=\"\" (the whole document)");
        }
        String uri = reference.getAttributeNS(null, "URI");
        if (!uri.isEmpty()) {
            throw profile("the Reference has URI=\"" + uri
                    + "\"; the profile requires URI=\"\" (the whole document), never a reference by ID");
        }
        requireAlgorithm(soleDs(reference, "DigestMethod"), SignatureProfile.ACCEPTED_DIGESTS,
                "the Reference uses digest %s; the profile requires SHA-256 (" + SignatureProfile.DIGEST + ")");
        List<String> transforms = new ArrayList<>();
        for (Element container : dsChildren(reference, "Transforms")) {
            for (Element transform : dsChildren(container, "Transform")) {
                transforms.add(transform.getAttributeNS(null, "Algorithm"));
            }
        }
        requireTransforms(transforms);
        if (!dsChildren(signature, "Object").isEmpty()) {
            throw profile("the signature carries ds:Object element(s); the profile has none");
        }
    }

    private static void requireTransforms(List<String> transforms) {
        if (!transforms.equals(SignatureProfile.TRANSFORMS) && !transforms.equals(List.of(Transform.ENVELOPED))) {
            throw profile("the Reference has transforms " + transforms + "; the profile allows only "
                    + SignatureProfile.TRANSFORMS + " (exclusive C14N optional)");
        }
    }

    private static void requireAlgorithm(Element element, java.util.Set<String> accepted, String messageFormat) {
        String algorithm = element.getAttributeNS(null, "Algorithm");
        if (!accepted.contains(algorithm)) {
            throw profile(String.format(messageFormat, algorithm.isEmpty() ? "(none)" : algorithm));
        }
    }

    private static Element soleDs(Element parent, String localName) {
        List<Element> found = dsChildren(parent, localName);
        if (found.size() != 1) {
            throw profile("ds:" + parent.getLocalName() + " has " + found.size() + " ds:" + localName
                    + " elements; XML-DSig requires exactly one");
        }
        return found.get(0);
    }

    private static List<Element> dsChildren(Element parent, String localName) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && SignatureProfile.DSIG_NS.equals(e.getNamespaceURI())
                    && localName.equals(e.getLocalName())) {
                found.add(e);
            }
        }
        return found;
    }

    /** The same rules on what the XML-DSig implementation actually read and will validate (defence in depth). */
    private static void checkProfile(XMLSignature signature) {
        SignedInfo si = signature.getSignedInfo();
        String c14n = si.getCanonicalizationMethod().getAlgorithm();
        if (!SignatureProfile.ACCEPTED_CANONICALIZATIONS.contains(c14n)) {
            throw profile("SignedInfo uses canonicalization " + c14n
                    + "; the profile allows exclusive C14N (" + SignatureProfile.CANONICALIZATION + ") or C14N 1.0");
        }
        String method = si.getSignatureMethod().getAlgorithm();
        if (!SignatureProfile.ACCEPTED_SIGNATURE_METHODS.contains(method)) {
            throw profile("the signature method is " + method + "; the profile allows only "
                    + SignatureProfile.RSA_SHA256 + " and " + SignatureProfile.ECDSA_SHA256);
        }
        List<?> references = si.getReferences();
        if (references.size() != 1) {
            throw profile("SignedInfo has " + references.size() + " Reference elements; the profile allows exactly one,"
                    + " with URI=\"\" (the whole document)");
        }
        Reference ref = (Reference) references.get(0);
        if (ref.getURI() == null) {
            throw profile("the Reference has no URI attribute; the profile requires URI=\"\" (the whole document)");
        }
        if (!ref.getURI().isEmpty()) {
            throw profile("the Reference has URI=\"" + ref.getURI()
                    + "\"; the profile requires URI=\"\" (the whole document), never a reference by ID");
        }
        if (ref.getType() != null) {
            throw profile("the Reference has Type=\"" + ref.getType() + "\"; the profile's Reference has no Type");
        }
        String digest = ref.getDigestMethod().getAlgorithm();
        if (!SignatureProfile.ACCEPTED_DIGESTS.contains(digest)) {
            throw profile("the Reference uses digest " + digest + "; the profile requires SHA-256 ("
                    + SignatureProfile.DIGEST + ")");
        }
        List<String> transforms = new ArrayList<>();
        for (Object t : ref.getTransforms()) {
            transforms.add(((Transform) t).getAlgorithm());
        }
        requireTransforms(transforms);
        if (!signature.getObjects().isEmpty()) {
            throw profile("the signature carries " + signature.getObjects().size()
                    + " ds:Object element(s); the profile has none");
        }
        if (signature.getKeyInfo() == null) {
            throw profile("the signature has no KeyInfo; the profile requires the signer's X.509 certificate there");
        }
    }

    private static List<X509Certificate> keyInfoCertificates(KeyInfo keyInfo) {
        List<X509Certificate> certificates = new ArrayList<>();
        if (keyInfo != null) {
            for (Object item : keyInfo.getContent()) {
                if (item instanceof X509Data data) {
                    for (Object content : data.getContent()) {
                        if (content instanceof X509Certificate certificate) {
                            certificates.add(certificate);
                        }
                    }
                }
            }
        }
        if (certificates.isEmpty()) {
            throw profile("KeyInfo holds no X509Data/X509Certificate; the profile requires the signer's certificate");
        }
        return List.copyOf(certificates);
    }

    /**
     * The signing certificate among those of KeyInfo: the only one, or, when a chain is sent along, the one leaf
     * (the certificate that issued no other). Never chosen by whether its key happens to verify.
     */
    private static X509Certificate signerOf(List<X509Certificate> presented) {
        if (presented.size() == 1) {
            return presented.get(0);
        }
        List<X509Certificate> leaves = new ArrayList<>();
        for (X509Certificate candidate : presented) {
            boolean issuesAnother = presented.stream().anyMatch(other -> other != candidate
                    && other.getIssuerX500Principal().equals(candidate.getSubjectX500Principal())
                    && !other.getSubjectX500Principal().equals(other.getIssuerX500Principal()));
            if (!issuesAnother) {
                leaves.add(candidate);
            }
        }
        if (leaves.size() != 1) {
            throw profile("KeyInfo holds " + presented.size() + " certificates and " + leaves.size()
                    + " possible signers; send the signer's certificate (and optionally its chain) only");
        }
        return leaves.get(0);
    }

    // ------------------------------------------------------------------ cryptography

    private static void validate(XMLSignature signature, DOMValidateContext ctx, X509Certificate signer) {
        PublicKey key = signer.getPublicKey();
        String method = signature.getSignedInfo().getSignatureMethod().getAlgorithm();
        boolean matches = SignatureProfile.RSA_SHA256.equals(method) ? "RSA".equals(key.getAlgorithm())
                : "EC".equals(key.getAlgorithm());
        if (!matches) {
            throw new MessageRejectedException(RejectionReason.SIGNATURE_INVALID, "the signature method is " + method
                    + " but the certificate in KeyInfo holds a " + key.getAlgorithm() + " key: " + describe(signer));
        }
        try {
            if (signature.validate(ctx)) {
                return;
            }
            Reference ref = (Reference) signature.getSignedInfo().getReferences().get(0);
            if (!ref.validate(ctx)) {
                throw new MessageRejectedException(RejectionReason.SIGNATURE_INVALID,
                        "the digest of the document does not match the signed one: the envelope was changed after "
                                + "signing (or is not what was signed)");
            }
            throw new MessageRejectedException(RejectionReason.SIGNATURE_INVALID,
                    "the SignatureValue does not verify with the key of certificate " + describe(signer));
        } catch (XMLSignatureException e) {
            // Secure validation refusals (weak key, forbidden construct) and unreadable values end here.
            throw new MessageRejectedException(RejectionReason.SIGNATURE_INVALID,
                    "the signature cannot be validated: " + rootMessage(e), e);
        }
    }

    // ------------------------------------------------------------------ header and time

    private static String headerText(Element root, String... path) {
        Element current = soleChild(root, "Header");
        for (String name : path) {
            current = soleChild(current, name);
        }
        String text = current.getTextContent().trim();
        if (text.isEmpty()) {
            throw new MessageRejectedException(RejectionReason.SCHEMA_INVALID,
                    "the signed header has an empty " + String.join("/", path));
        }
        return text;
    }

    private static Instant createdAt(Element root) {
        String text = headerText(root, "CreatedAt");
        try {
            return new OffsetDateTimeAdapter().unmarshal(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new MessageRejectedException(RejectionReason.SCHEMA_INVALID,
                    "the signed header's CreatedAt '" + text + "' is not an xs:dateTime", e);
        }
    }

    private static Element soleChild(Element parent, String localName) {
        Element found = null;
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && NS.equals(e.getNamespaceURI()) && localName.equals(e.getLocalName())) {
                if (found != null) {
                    throw new MessageRejectedException(RejectionReason.SCHEMA_INVALID,
                            path(parent) + " has more than one " + localName);
                }
                found = e;
            }
        }
        if (found == null) {
            throw new MessageRejectedException(RejectionReason.SCHEMA_INVALID, path(parent) + " has no " + localName);
        }
        return found;
    }

    private void checkSigningTime(Instant signingTime, Instant now) {
        if (signingTime.isAfter(now.plus(maxClockSkew))) {
            throw new MessageRejectedException(RejectionReason.UNTRUSTED_SIGNER, "the signing time (header CreatedAt) "
                    + signingTime + " is " + Duration.between(now, signingTime).withNanos(0)
                    + " ahead of this hub's clock (" + now + "), more than the allowed skew of " + maxClockSkew
                    + "; the certificate's validity at signing time cannot be established");
        }
        // Refused for good, not redelivered: only a resend with a new CreatedAt (and signature) can get in. This bound
        // is also what lets the inbound messageId memory be kept for a fixed time, never trimmed by count.
        if (signingTime.isBefore(now.minus(maxMessageAge))) {
            throw new MessageRejectedException(RejectionReason.STALE_MESSAGE, "the signing time (header CreatedAt) "
                    + signingTime + " is " + Duration.between(signingTime, now).withNanos(0) + " before this hub's clock ("
                    + now + "), older than the maximum message age of " + maxMessageAge);
        }
    }

    /**
     * The certificate must also be valid now, or have expired less than the grace ago: CreatedAt is the signer's own
     * claim, so validity at CreatedAt alone would let a retired key sign backdated messages.
     */
    private void checkValidNow(X509Certificate signer, Instant now) {
        Instant notBefore = signer.getNotBefore().toInstant();
        Instant notAfter = signer.getNotAfter().toInstant();
        if (now.isBefore(notBefore)) {
            throw new MessageRejectedException(RejectionReason.UNTRUSTED_SIGNER, "certificate " + describe(signer)
                    + " is not yet valid at this hub's time " + now + " (valid from " + notBefore + ")");
        }
        if (now.isAfter(notAfter.plus(certificateGrace))) {
            throw new MessageRejectedException(RejectionReason.UNTRUSTED_SIGNER, "certificate " + describe(signer)
                    + " expired at " + notAfter + ", " + Duration.between(notAfter, now).withNanos(0)
                    + " before this hub's time " + now + ", more than the certificate grace of " + certificateGrace);
        }
    }

    private static void checkValidityAt(X509Certificate signer, Instant signingTime) {
        Instant notBefore = signer.getNotBefore().toInstant();
        Instant notAfter = signer.getNotAfter().toInstant();
        if (signingTime.isBefore(notBefore) || signingTime.isAfter(notAfter)) {
            throw new MessageRejectedException(RejectionReason.UNTRUSTED_SIGNER, "certificate " + describe(signer)
                    + " was not valid at the signing time " + signingTime + " (valid from " + notBefore + " to "
                    + notAfter + ")");
        }
    }

    // ------------------------------------------------------------------ messages

    /** Subject, serial and SHA-256 fingerprint: what an operator compares with the partner's configuration. */
    static String describe(X509Certificate certificate) {
        String fingerprint;
        try {
            fingerprint = HexFormat.ofDelimiter(":").withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            fingerprint = "?";
        }
        return "'" + certificate.getSubjectX500Principal().getName() + "' (serial "
                + certificate.getSerialNumber().toString(16) + ", SHA-256 " + fingerprint + ")";
    }

    private static String path(Node node) {
        StringBuilder sb = new StringBuilder();
        for (Node n = node; n instanceof Element e; n = n.getParentNode()) {
            sb.insert(0, "/" + (e.getLocalName() != null ? e.getLocalName() : e.getNodeName()));
        }
        return sb.length() == 0 ? "the document" : sb.toString();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
    }

    private static MessageRejectedException profile(String detail) {
        return new MessageRejectedException(RejectionReason.SIGNATURE_PROFILE, detail);
    }

    private static MessageRejectedException profile(String detail, Throwable cause) {
        return new MessageRejectedException(RejectionReason.SIGNATURE_PROFILE, detail, cause);
    }
}
