package org.originhub.format.edi3;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Collectors;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;

/**
 * The JSON Schema of the edi3 Certificate of Origin (draft-07), loaded once from the class path
 * ({@value #LOCATION}, see the README beside it for provenance). Every {@code $ref} is local and remote fetching
 * is switched off; {@code format} (uri, date-time) is asserted. Thread-safe.
 */
public final class Edi3Schema {
    public static final String LOCATION = "/formats/edi3-json/CertificateOfOrigin.schema.json";
    private static final int MAX_REPORTED = 10;

    private final Schema schema;

    public Edi3Schema() {
        // "components" holds the model's definitions (OpenAPI style): known to the dialect, so that it is not
        // reported as an unknown keyword; its schemas are still reached through the $refs.
        Dialect draft7 = Dialect.builder(Dialects.getDraft7()).keyword(new NonValidationKeyword("components")).build();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(draft7, builder -> builder
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build())
                .schemaLoader(loader -> loader.fetchRemoteResources(false)));
        try (InputStream in = Edi3Schema.class.getResourceAsStream(LOCATION)) {
            if (in == null) throw new IllegalStateException("schema not on the class path: " + LOCATION);
            this.schema = registry.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + LOCATION, e);
        }
        schema.initializeValidators();
    }

    /** What is wrong with a document, one line per failure naming its JSON Pointer path ({@code /supplyChainConsignment/...}). */
    public List<String> problems(JsonNode document) {
        return schema.validate(document).stream().map(Edi3Schema::describe).toList();
    }

    /** Throws {@code SCHEMA_INVALID}, naming the failing paths, when the document does not follow the schema. */
    public void check(JsonNode document) {
        List<String> problems = problems(document);
        if (!problems.isEmpty()) {
            String shown = problems.stream().limit(MAX_REPORTED).collect(Collectors.joining("; "));
            throw new MessageRejectedException(RejectionReason.SCHEMA_INVALID, "edi3 CertificateOfOrigin: " + shown
                    + (problems.size() > MAX_REPORTED ? "; and " + (problems.size() - MAX_REPORTED) + " more" : ""));
        }
    }

    private static String describe(Error e) {
        String message = e.getMessage();
        String path = String.valueOf(e.getInstanceLocation());
        return message.startsWith(path) ? message : path + ": " + message;
    }
}
