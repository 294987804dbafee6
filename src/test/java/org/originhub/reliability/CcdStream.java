package org.originhub.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A stream of certificates of origin as Brazil's single window sends them (format ccd, from
 * {@code samples/ccd/coo-br-ar-a18.xml}), each with its own MessageId set by the single window (the hub keeps a
 * MessageId it is given), so the far end can count every message by messageId. {@code cos} certificates with
 * {@code perCo} messages each, interleaved (CO 1 msg 1, CO 2 msg 1, ..., CO 1 msg 2, ...), so per-CO order is tested
 * across a busy queue. The hub groups them by {@code BR:<CO number>} (JMSXGroupID).
 */
final class CcdStream {
    static final String SAMPLE_NUMBER = "BR-A18-2025-004522";

    /** One message of the stream: its messageId, its CO number and its position among that CO's messages. */
    record Item(String messageId, String coNumber, int seq) {
    }

    private final String template;
    private final List<Item> items = new ArrayList<>();
    private final Map<String, Item> byId = new LinkedHashMap<>();

    CcdStream(String run, int cos, int perCo) {
        try {
            template = Files.readString(Path.of("samples/ccd/coo-br-ar-a18.xml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int seq = 1; seq <= perCo; seq++) {
            for (int co = 1; co <= cos; co++) {
                Item item = new Item(UUID.randomUUID().toString(), "BR-A18-" + run + "-" + String.format("%05d", co), seq);
                items.add(item);
                byId.put(item.messageId(), item);
            }
        }
    }

    /** Adds one message of its own CO to the stream (not interleaved). */
    Item add(String coNumber) {
        Item item = new Item(UUID.randomUUID().toString(), coNumber, 1);
        items.add(item);
        byId.put(item.messageId(), item);
        return item;
    }

    List<Item> items() {
        return Collections.unmodifiableList(items);
    }

    int size() {
        return items.size();
    }

    Item item(String messageId) {
        return byId.get(messageId);
    }

    /** The ccd document of one item: the sample with its MessageId and CO number. */
    String document(Item item) {
        return template
                .replace("<Header>", "<Header>\n    <MessageId>" + item.messageId() + "</MessageId>")
                .replace(SAMPLE_NUMBER, item.coNumber());
    }
}
