package org.originhub.format.edi3;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;

/**
 * Reads untrusted JSON into a tree, hardened: size, nesting depth and string length bounded
 * ({@link Edi3JsonLimits}, a violation is {@code TOO_LARGE}); duplicate keys, trailing content after the
 * document, and anything that is not JSON are {@code UNPARSEABLE}.
 */
final class Edi3JsonReader {
    private final Edi3JsonLimits limits;
    private final ObjectMapper mapper;

    Edi3JsonReader(Edi3JsonLimits limits) {
        this.limits = limits;
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxDocumentLength(limits.maxBytes())
                .maxNestingDepth(limits.maxDepth())
                .maxStringLength(limits.maxStringLength())
                .build();
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(constraints)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .build();
    }

    JsonNode read(byte[] json) {
        if (json == null || json.length == 0) {
            throw new MessageRejectedException(RejectionReason.UNPARSEABLE, "the message is empty");
        }
        if (json.length > limits.maxBytes()) {
            throw new MessageRejectedException(RejectionReason.TOO_LARGE,
                    "the message has " + json.length + " bytes, the limit is " + limits.maxBytes());
        }
        try {
            JsonNode tree = mapper.readTree(json);
            if (tree == null || tree.isMissingNode()) {
                throw new MessageRejectedException(RejectionReason.UNPARSEABLE, "the message holds no JSON value");
            }
            return tree;
        } catch (JsonProcessingException e) {
            StreamConstraintsException limit = limitViolation(e);
            if (limit != null) {
                throw new MessageRejectedException(RejectionReason.TOO_LARGE,
                        "the JSON exceeds the hub's bounds: " + limit.getOriginalMessage(), e);
            }
            throw new MessageRejectedException(RejectionReason.UNPARSEABLE, "not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")" : ""), e);
        } catch (IOException e) {
            throw new MessageRejectedException(RejectionReason.UNPARSEABLE, "not valid JSON: " + e.getMessage(), e);
        }
    }

    private static StreamConstraintsException limitViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamConstraintsException s) return s;
        }
        return null;
    }
}
