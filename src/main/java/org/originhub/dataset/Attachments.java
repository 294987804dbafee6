package org.originhub.dataset;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.originhub.dataset.v1.AttachmentRoleCode;
import org.originhub.dataset.v1.AttachmentType;
import org.originhub.dataset.v1.CertificateOfOriginType;

/** Builds and checks the attachments of a CO, chiefly the original national document the issuing side sent. */
public final class Attachments {
    private Attachments() {
    }

    /** The original national document, byte for byte, with its SHA-256, so the importing side sees what was signed. */
    public static AttachmentType originalDocument(byte[] document, String formatLabel, String mimeType, String fileName) {
        AttachmentType a = new AttachmentType();
        a.setRole(AttachmentRoleCode.ORIGINAL_NATIONAL_DOCUMENT);
        a.setFormat(formatLabel);
        a.setFileName(fileName);
        a.setMimeType(mimeType);
        a.setSha256(sha256Hex(document));
        a.setContent(document);
        return a;
    }

    /** The original national document of a CO, if it travelled with it. */
    public static java.util.Optional<AttachmentType> findOriginal(CertificateOfOriginType co) {
        if (co == null) return java.util.Optional.empty();
        return co.getAttachment().stream().filter(a -> a.getRole() == AttachmentRoleCode.ORIGINAL_NATIONAL_DOCUMENT).findFirst();
    }

    /** True when the attachment's content matches the hash it declares. */
    public static boolean hashMatches(AttachmentType a) {
        return a.getContent() != null && sha256Hex(a.getContent()).equals(a.getSha256());
    }

    public static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    public static String sha256Hex(String text) {
        return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }
}
